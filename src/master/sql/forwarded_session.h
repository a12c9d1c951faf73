// ForwardedSession: one slave console session's SqlSession on the master and
// the worker thread that drives it, one statement at a time, in order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "ddb/protocol/messages.h"
#include "sql_session.h"

namespace ddb {

class ForwardedSession {
 public:
  using Run = std::function<ForwardReply(SqlSession&, const ForwardRequest&)>;

  ForwardedSession(std::unique_ptr<SqlSession> session, Run run);
  // Ends the session: waits for the statement running now, drops the rest.
  ~ForwardedSession();

  // A console waits for each answer before it sends the next statement, so
  // an honest slave never has more than one queued; a flood is refused.
  static constexpr size_t kMaxQueued = 16;

  // Queues `request`; false (and `done` not kept) when kMaxQueued wait already.
  bool Submit(ForwardRequest request, std::function<void(ForwardReply)>& done);
  // Asks the worker to stop after the statement it is running; returns at once.
  void RequestStop();
  bool finished() const { return finished_; }

 private:
  void Work();

  std::unique_ptr<SqlSession> session_;
  Run run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<ForwardRequest, std::function<void(ForwardReply)>>> queue_;
  bool stopping_ = false;
  std::atomic<bool> finished_{false};
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace ddb
