// QueryWorker: runs the reads the master sends over the link (\verify
// checksums, routed reads) on this slave's MySQL, off the io thread.
//
// `sessions` threads, each with a read-only MySQL session of its own (opened
// on its first request): requests start in arrival order and run side by
// side, so a slave answers as many reads at once as its cores allow, as
// MariaDB does for its own clients. Replies are matched to requests by id.
// Anything but a read is refused, whatever the master asks.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ddb/mysql/mysql_connection.h"
#include "ddb/mysql/replay_session.h"
#include "ddb/protocol/messages.h"

namespace ddb {

class QueryWorker {
 public:
  explicit QueryWorker(MySqlEndpoint endpoint, size_t sessions = 1);
  ~QueryWorker();

  void Start();
  void Stop();

  // `done` is called on one of the worker threads with the reply.
  void Submit(QueryRequest request, std::function<void(QueryReply)> done);

 private:
  // One thread's MySQL session: opened on its first request, again after
  // it was lost.
  struct Session {
    std::unique_ptr<MySqlConnection> connection;
    std::unique_ptr<ReplaySession> replay;  // sets the asking session's database and variables
  };
  void Run();
  QueryReply Execute(Session& session, const QueryRequest& request);

  const MySqlEndpoint endpoint_;
  const size_t sessions_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::deque<std::pair<QueryRequest, std::function<void(QueryReply)>>> requests_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ddb
