// MasterLink: the slave's end of the replication link. Slaves dial the master.
//
// Connects with exponential back-off, authenticates (HMAC challenge-response
// in both directions) and subscribes after the last record it holds; then
// the session is a LinkChannel (ddb/protocol/link_channel.h) with this end's
// handlers: records go into the bounded ApplyQueue (the handler waits while
// it is full, so the channel reads nothing more and TCP pushes back on the
// master), the master's heartbeats, queries, answers to forwarded writes and
// its Error. The channel's heartbeat is an Ack with the applier's state, sent
// whenever the applier moves and at least every heartbeat interval; a master
// silent past the heartbeat timeout ends the session.
//
// Threads: its own strand, which every session's socket and channel run on;
// public methods may be called from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "apply_queue.h"
#include "ddb/base/asio.h"
#include "ddb/base/tls.h"
#include "ddb/base/wake_signal.h"
#include "ddb/protocol/link_channel.h"
#include "query_worker.h"
#include "slave_config.h"
#include "slave_status.h"

namespace spdlog {
class logger;
}

namespace ddb {

// What the slave knows of its cluster when the link starts, and how it
// keeps what it learns (both called on the link's strand).
struct Membership {
  std::string cluster_id;  // empty: never joined
  EpochHistory epochs;     // of the master it last followed; empty: none yet
  // Stores the cluster id the first time this slave joins.
  std::function<Status(const std::string&)> remember_cluster;
  // Stores the history of a master this slave is about to follow.
  std::function<Status(const EpochHistory&)> remember_epochs;
  // The master hands over (planned switchover): this process becomes the
  // master; returns only when it did not, with why. Empty: refused.
  std::function<Status(const HandOver&)> take_over;
};

class MasterLink {
 public:
  // All references must outlive the link. `tls`: the link runs TLS (the
  // master's certificate checked against the config's tls_ca_file and
  // name); null: plain TCP.
  MasterLink(asio::io_context& io, const SlaveConfig& config, ApplyQueue& queue, SlaveStatusBoard& status,
             QueryWorker& queries, Membership membership, uint64_t applied_seq,
             std::shared_ptr<spdlog::logger> logger, std::shared_ptr<ssl::context> tls = nullptr);

  void Start();
  void Stop();

  // The applier committed up to `seq`. Any thread.
  void Applied(uint64_t seq);

  // Sends a statement typed at this slave's console to the master to run
  // there (forward_writes). `done` is called on the link's strand with the
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
  asio::awaitable<Status> Session(tcp::socket socket, const std::string& host);
  // The TLS handshake, when the link has TLS; its failure in words.
  asio::awaitable<Status> Secure(FramedSocket& socket, const std::string& host);
  // After the master proved itself: refuses a master in an older epoch than
  // this slave follows, or one whose log this slave's is not a prefix of;
  // otherwise keeps the master's history.
  Status CheckEpochs(const std::string& master, const std::vector<EpochStart>& starts);
  asio::awaitable<Status> Handshake(FramedSocket& socket);
  void InstallHandlers(LinkChannel& channel);
  asio::awaitable<Status> ReceiveRecord(LinkChannel& channel, const Frame& frame);
  Frame BuildAck();
  // The link closed: every forwarded statement still waiting gets its answer.
  void FailForwards();

  const asio::any_io_executor strand_;
  const SlaveConfig& config_;
  ApplyQueue& queue_;
  SlaveStatusBoard& status_;
  QueryWorker& queries_;
  Membership membership_;  // strand only
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<ssl::context> tls_;
  std::atomic<uint64_t> applied_seq_;
  std::atomic<uint64_t> link_number_{0};

  // Strand only, like everything below.
  uint64_t received_seq_;                              // newest record handed to the queue (or applied)
  std::shared_ptr<LinkChannel> channel_;               // the session's, from connect to close
  bool linked_ = false;                                // channel_ passed the handshake and runs
  std::map<uint64_t, ForwardCallback> forwards_sent_;  // forwarded statements awaiting the master's answer
  uint64_t next_forward_id_ = 1;
  WakeSignal space_;  // the apply queue has room
  bool stopping_ = false;
};

}  // namespace ddb
