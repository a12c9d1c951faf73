// SlaveLink: the master's end of one slave's replication link.
//
// A handshake, then a LinkChannel (ddb/protocol/link_channel.h) with this end's
// handlers: acks, heartbeats, query results, forwarded writes and their
// session ends, the slave's Error. Records reach the channel from one
// producer coroutine, the streamer, which reads them from memory when the
// slave is live and from the log table when it is behind, and queues them
// pipelined, without waiting for acknowledgements, as fast as the outbox
// takes them (WaitForRoom): a slave that stops reading stops the streamer,
// not the master. The channel's heartbeat is a Heartbeat naming the last
// record queued; a slave silent past the heartbeat timeout is disconnected.
//
// Threads: everything runs on the socket's strand (ReplicationServer accepts
// each socket on one); Start, Stop and Query may be called from any thread.
// Lifetime: shared_from_this keeps the link alive while Run runs, and Run
// outlives the channel's callbacks, so they capture `this`.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "ddb/base/asio.h"
#include "ddb/base/tls.h"
#include "ddb/base/wake_signal.h"
#include "ddb/daemon/common_options.h"
#include "ddb/protocol/link_channel.h"
#include "ddb/protocol/messages.h"
#include "fencing.h"
#include "forwarded_writes.h"
#include "log_table_reader.h"
#include "pending_queries.h"
#include "recent_records.h"
#include "slave_registry.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct LinkSettings {
  std::string master_name;
  std::string cluster_id;
  std::string cluster_secret;
  std::chrono::milliseconds handshake_timeout{5000};
  HeartbeatOptions heartbeat;
  MySqlEndpoint mysql;  // for reading the log table
  // TLS on the replication port (tls_cert_file): every connection must
  // start with a TLS handshake, and the HMAC handshake runs inside it. Null:
  // plain TCP.
  std::shared_ptr<ssl::context> tls;
};

// Everything a link uses that outlives it.
struct LinkContext {
  const LinkSettings& settings;
  RecentRecords& recent;
  SlaveRegistry& registry;
  asio::thread_pool& table_workers;  // blocking log-table reads run here
  std::shared_ptr<spdlog::logger> logger;
  ForwardedWrites* forwarded = nullptr;  // runs writes slave consoles forward; null: refused
  Fencing& fencing;                      // this master's epochs; a slave may report a newer one
};

class SlaveLink : public std::enable_shared_from_this<SlaveLink> {
 public:
  // `socket` must be on a strand of its own.
  SlaveLink(tcp::socket socket, LinkContext context);
  ~SlaveLink();

  void Start();
  // Closes the link. Any thread.
  void Stop();
  // Runs a read on the slave's MySQL; `done` is called on the link's strand
  // (with Unavailable if the link closes first, TimedOut once `timeout` has
  // passed: a late answer is dropped). Any thread.
  void Query(QueryRequest request, std::chrono::milliseconds timeout, QueryCallback done);
  // Sends a switchover's HandOver; `refused` is called on the strand if the
  // slave refuses before its link ends. Any thread.
  void HandOverTo(HandOver request, std::function<void(std::string)> refused);
  // Whether the peer has proved it is a slave of this cluster. Any thread.
  bool authenticated() const { return authenticated_.load(std::memory_order_relaxed); }

 private:
  asio::awaitable<void> Run();
  // TLS first when the port has it: a plain peer is told so and refused.
  asio::awaitable<Status> Secure();
  asio::awaitable<Status> Handshake(uint64_t* after_seq);
  void InstallHandlers();
  asio::awaitable<void> Stream(uint64_t after_seq);
  asio::awaitable<Status> ReadFromTable(uint64_t after_seq, std::vector<EncodedRecordPtr>* batch);
  void AnswerQuery(QueryReply reply);
  void FailQuery(uint64_t request_id, const Status& why);
  void Forward(ForwardRequest request);

  LinkContext context_;
  std::shared_ptr<LinkChannel> channel_;
  std::atomic<bool> authenticated_{false};
  // Everything below on the strand only.
  WakeSignal records_;  // a record was published, or the link closed
  int listener_id_ = 0;
  std::string name_;  // slave name, once authenticated
  uint64_t link_id_ = 0;
  uint64_t sent_seq_ = 0;  // the last record queued: what a Heartbeat says was sent
  std::unique_ptr<LogTableReader> table_reader_;
  std::function<void(std::string)> hand_over_refused_;  // a HandOver sent, not refused yet
  PendingQueries pending_queries_;                      // reads sent to the slave
};

}  // namespace ddb
