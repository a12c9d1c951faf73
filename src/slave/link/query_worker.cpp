#include "query_worker.h"

#include "ddb/protocol/query_reply.h"

#include "ddb/sql/statement_classifier.h"

namespace ddb {

QueryWorker::QueryWorker(MySqlEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

QueryWorker::~QueryWorker() { Stop(); }

void QueryWorker::Start() {
  thread_ = std::thread([this] { Run(); });
}

void QueryWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void QueryWorker::Submit(QueryRequest request, std::function<void(QueryReply)> done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.emplace_back(std::move(request), std::move(done));
  }
  wakeup_.notify_one();
}

void QueryWorker::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wakeup_.wait(lock, [this] { return stop_ || !requests_.empty(); });
    if (stop_) return;
    auto [request, done] = std::move(requests_.front());
    requests_.pop_front();
    lock.unlock();
    done(Execute(request));
    lock.lock();
  }
}

QueryReply QueryWorker::Execute(const QueryRequest& request) {
  if (ClassifyStatement(request.sql).kind != StatementKind::kRead) {
    return MakeQueryReply(request.request_id, Status::Refused("a slave runs only reads for the master"));
  }
  Status s;
  if (!connection_) {
    s = MySqlConnection::Open(endpoint_, &connection_);
    if (s.ok()) s = connection_->Execute("SET SESSION TRANSACTION READ ONLY");
    if (s.ok()) {
      session_ = std::make_unique<ReplaySession>(*connection_);
    } else {
      connection_.reset();
    }
  }
  QueryResult result;
  if (s.ok()) {
    LoggedStatement statement;
    statement.sql = request.sql;
    statement.default_database = request.database;
    statement.settings = request.settings;
    s = session_->Execute(statement, &result);
  }
  if (IsConnectionLost(s)) {
    session_.reset();
    connection_.reset();
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
