#include "query_worker.h"

#include <algorithm>

#include "ddb/protocol/query_reply.h"

#include "ddb/sql/statement_classifier.h"

namespace ddb {

QueryWorker::QueryWorker(MySqlEndpoint endpoint, size_t sessions)
    : endpoint_(std::move(endpoint)), sessions_(std::max<size_t>(sessions, 1)) {}

QueryWorker::~QueryWorker() { Stop(); }

void QueryWorker::Start() {
  for (size_t i = 0; i < sessions_; ++i) threads_.emplace_back([this] { Run(); });
}

void QueryWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wakeup_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void QueryWorker::Submit(QueryRequest request, std::function<void(QueryReply)> done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.emplace_back(std::move(request), std::move(done));
  }
  wakeup_.notify_one();
}

void QueryWorker::Run() {
  Session session;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wakeup_.wait(lock, [this] { return stop_ || !requests_.empty(); });
    if (stop_) return;
    auto [request, done] = std::move(requests_.front());
    requests_.pop_front();
    lock.unlock();
    done(Execute(session, request));
    lock.lock();
  }
}

QueryReply QueryWorker::Execute(Session& session, const QueryRequest& request) {
  if (ClassifyStatement(request.sql).kind != StatementKind::kRead) {
    return MakeQueryReply(request.request_id, Status::Refused("a slave runs only reads for the master"));
  }
  Status s;
  if (!session.connection) {
    s = MySqlConnection::Open(endpoint_, &session.connection);
    if (s.ok()) s = session.connection->Execute("SET SESSION TRANSACTION READ ONLY");
    if (s.ok()) {
      session.replay = std::make_unique<ReplaySession>(*session.connection);
    } else {
      session.connection.reset();
    }
  }
  QueryResult result;
  if (s.ok()) {
    LoggedStatement statement;
    statement.sql = request.sql;
    statement.default_database = request.database;
    statement.settings = request.settings;
    s = session.replay->Execute(statement, &result);
  }
  if (IsConnectionLost(s)) {
    session.replay.reset();
    session.connection.reset();
  }
  QueryReply reply = MakeQueryReply(request.request_id, s, std::move(result));
  if (const size_t size = EncodedSize(reply); size > kMaxQueryReplyPayload) {
    return MakeQueryReply(request.request_id,
                          Status::Refused("the result (" + std::to_string(size) +
                                          " bytes) is larger than a slave sends the master (" +
                                          std::to_string(kMaxQueryReplyPayload) + "); the master reads it"));
  }
  return reply;
}

}  // namespace ddb
