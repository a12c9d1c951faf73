// SlaveLink: the master's end of one slave's replication link.
//
// Owns its socket (closed when the link goes; shared_from_this keeps it alive
// while coroutines run). After the handshake it runs two coroutines on the io
// thread: the streamer, the only writer, which sends records (from memory
// when the slave is live, from the log table when it is behind) pipelined
// without waiting for acknowledgements, and heartbeats when idle; and the
// reader, which takes asynchronous acks and heartbeats and closes the link
// when the slave falls silent past the heartbeat timeout.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "ddb/asio.h"
#include "ddb/common_options.h"
#include "ddb/framed_socket.h"
#include "ddb/messages.h"
#include "forwarded_writes.h"
#include "log_table_reader.h"
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
};

// Everything a link uses that outlives it.
struct LinkContext {
  const LinkSettings& settings;
  RecentRecords& recent;
  SlaveRegistry& registry;
  asio::thread_pool& table_workers;  // blocking log-table reads run here
  std::shared_ptr<spdlog::logger> logger;
  ForwardedWrites* forwarded = nullptr;  // runs writes slave consoles forward; null: refused
};

class SlaveLink : public std::enable_shared_from_this<SlaveLink> {
 public:
  SlaveLink(tcp::socket socket, LinkContext context);
  ~SlaveLink();

  void Start();
  // Closes the socket; the coroutines end on their next step. Any thread.
  void Stop();
  // Runs a read on the slave's MySQL; `done` is called on the io thread
  // (with Unavailable if the link closes first). Any thread.
  void Query(QueryRequest request, QueryCallback done);

 private:
  asio::awaitable<void> Run();
  asio::awaitable<Status> Handshake(uint64_t* after_seq);
  asio::awaitable<Status> Stream(uint64_t after_seq);
  asio::awaitable<void> ReadAcks();
  asio::awaitable<Status> ReadFromTable(uint64_t after_seq, std::vector<EncodedRecordPtr>* batch);
  void FailPendingQueries(const std::string& why);
  void Forward(ForwardRequest request);

  FramedSocket socket_;
  LinkContext context_;
  asio::steady_timer wakeup_;  // cancelled when a record is appended
  bool wakeup_pending_ = false;
  int listener_id_ = 0;
  std::string name_;  // slave name, once authenticated
  uint64_t link_id_ = 0;
  std::unique_ptr<LogTableReader> table_reader_;
  std::string end_reason_;
  // Queries for the slave (io thread only): waiting to be sent, and sent
  // waiting for their reply.
  std::deque<QueryRequest> outgoing_;
  std::map<uint64_t, QueryCallback> pending_queries_;
  uint64_t next_request_id_ = 1;
  std::deque<ForwardReply> forward_replies_;  // answers to forwarded writes, to send (io thread only)
};

}  // namespace ddb
