// QueryWorker: runs the reads the master sends over the link (\verify
// checksums, routed reads) on this slave's MySQL, off the io thread.
//
// One thread, one read-only MySQL session; requests run in arrival order.
// Anything but a read is refused, whatever the master asks.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "ddb/mysql/mysql_connection.h"
#include "ddb/mysql/replay_session.h"
#include "ddb/protocol/messages.h"

namespace ddb {

class QueryWorker {
 public:
  explicit QueryWorker(MySqlEndpoint endpoint);
  ~QueryWorker();

  void Start();
  void Stop();

  // `done` is called on the worker thread with the reply.
  void Submit(QueryRequest request, std::function<void(QueryReply)> done);

 private:
  void Run();
  QueryReply Execute(const QueryRequest& request);

  const MySqlEndpoint endpoint_;
  std::unique_ptr<MySqlConnection> connection_;
  std::unique_ptr<ReplaySession> session_;  // sets the asking session's database and variables
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<std::pair<QueryRequest, std::function<void(QueryReply)>>> requests_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ddb
