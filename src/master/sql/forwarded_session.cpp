#include "forwarded_session.h"

namespace ddb {

ForwardedSession::ForwardedSession(std::unique_ptr<SqlSession> session, Run run)
    : session_(std::move(session)), run_(std::move(run)), worker_([this] { Work(); }) {}

ForwardedSession::~ForwardedSession() {
  RequestStop();
  worker_.join();
}

bool ForwardedSession::Submit(ForwardRequest request, std::function<void(ForwardReply)>& done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= kMaxQueued) return false;
    queue_.emplace_back(std::move(request), std::move(done));
  }
  wake_.notify_one();
  return true;
}

void ForwardedSession::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_one();
}

void ForwardedSession::Work() {
  while (true) {
    std::pair<ForwardRequest, std::function<void(ForwardReply)>> item;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    item.second(run_(*session_, item.first));
  }
  // Closing the connection here, on the worker, rolls back an open
  // transaction without making the caller wait for MySQL.
  session_.reset();
  finished_ = true;
}

}  // namespace ddb
