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

 private:
  asio::awaitable<void> Run();
  asio::awaitable<Status> Session(tcp::socket socket);
  asio::awaitable<Status> Handshake(FramedSocket& socket);
  asio::awaitable<Status> ReadRecords(FramedSocket& socket);
  asio::awaitable<void> WriteAcks(FramedSocket& socket);

  asio::io_context& io_;
  const SlaveConfig& config_;
  ApplyQueue& queue_;
  SlaveStatusBoard& status_;
  QueryWorker& queries_;
  std::deque<QueryReply> replies_;  // answered queries the writer sends; io thread only
  std::string cluster_id_;
  uint64_t received_seq_;  // newest record handed to the queue (or applied)
  std::function<Status(const std::string&)> remember_cluster_;
  std::shared_ptr<spdlog::logger> logger_;

  std::atomic<uint64_t> applied_seq_;
  asio::steady_timer ack_wakeup_;    // cancelled when the applier moves
  asio::steady_timer space_wakeup_;  // cancelled when the queue has room
  bool stopping_ = false;
  FramedSocket* current_ = nullptr;  // the live session's socket, io thread only
  bool writer_running_ = false;      // WriteAcks still refers to the session's socket
};

}  // namespace ddb
