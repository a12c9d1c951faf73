// MasterLink: the slave's end of the replication link. Slaves dial the master.
//
// Connects with exponential back-off, authenticates (HMAC challenge-response
// in both directions), subscribes after the last record it holds, and then
// runs two coroutines on the io thread: the reader, which moves records into
// the bounded ApplyQueue (waiting when it is full, so TCP pushes back on the
// master) and declares the master gone after the heartbeat timeout; and the
// writer, the only writer, which sends the applier's position as an
// asynchronous Ack whenever it moves, and a heartbeat when idle.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <deque>
#include <map>
#include <utility>

#include "apply_queue.h"
#include "query_worker.h"
#include "ddb/asio.h"
#include "ddb/framed_socket.h"
#include "slave_config.h"
#include "slave_status.h"

namespace spdlog {
class logger;
}

namespace ddb {

class MasterLink {
 public:
  // `remember_cluster` stores the cluster id the first time this slave joins
  // (called on the io thread). All references must outlive the link.
  MasterLink(asio::io_context& io, const SlaveConfig& config, ApplyQueue& queue, SlaveStatusBoard& status,
             QueryWorker& queries, std::string cluster_id, uint64_t applied_seq,
             std::function<Status(const std::string&)> remember_cluster, std::shared_ptr<spdlog::logger> logger);

  void Start();
  void Stop();

  // The applier committed up to `seq`. Any thread.
  void Applied(uint64_t seq);

  // Sends a statement typed at this slave's console to the master to run
  // there (forward_writes). `done` is called on the io thread with the
  // master's answer, or with Unavailable when there is no link or it closes
  // first (the message says whether the statement may have run). The master
  // keeps a forwarding session per link: `required_link` (a link_number(),
  // 0 for any) refuses to send on another link, whose session would lack
  // what was done before (an open transaction, SET variables). Any thread.
  using ForwardCallback = std::function<void(Status, ForwardReply)>;
  void Forward(ForwardRequest request, uint64_t required_link, ForwardCallback done);
  // Number of the current (or last) authenticated link; 0 before the first.
  uint64_t link_number() const { return link_number_; }
  // Console session `session_id`, which forwarded on link `link`, has ended:
  // tells the master to end its session (ForwardEnd) if that link is still
  // up; a closed link ended it already. Any thread.
  void EndForwardSession(uint64_t session_id, uint64_t link);

 private:
  asio::awaitable<void> Run();
  asio::awaitable<Status> Session(tcp::socket socket);
  asio::awaitable<Status> Handshake(FramedSocket& socket);
  asio::awaitable<Status> ReadRecords(FramedSocket& socket);
  asio::awaitable<void> WriteAcks(FramedSocket& socket);
  // The link closed: every forwarded statement still waiting gets its answer.
  void FailForwards();

  asio::io_context& io_;
  const SlaveConfig& config_;
  ApplyQueue& queue_;
  SlaveStatusBoard& status_;
  QueryWorker& queries_;
  std::deque<QueryReply> replies_;  // answered queries the writer sends; io thread only
  // Forwarded statements (io thread only): to send, and sent awaiting an answer.
  std::deque<std::pair<ForwardRequest, ForwardCallback>> forwards_to_send_;
  std::map<uint64_t, ForwardCallback> forwards_sent_;
  std::deque<uint64_t> forward_ends_;  // ended console sessions to announce; io thread only
  uint64_t next_forward_id_ = 1;
  std::string cluster_id_;
  uint64_t received_seq_;  // newest record handed to the queue (or applied)
  std::function<Status(const std::string&)> remember_cluster_;
  std::shared_ptr<spdlog::logger> logger_;

  std::atomic<uint64_t> applied_seq_;
  std::atomic<uint64_t> link_number_{0};
  asio::steady_timer ack_wakeup_;    // cancelled when the applier moves
  asio::steady_timer space_wakeup_;  // cancelled when the queue has room
  bool stopping_ = false;
  FramedSocket* current_ = nullptr;  // the live session's socket, io thread only
  bool writer_running_ = false;      // WriteAcks still refers to the session's socket
};

}  // namespace ddb
