#include "query_worker.h"

#include "ddb/statement_classifier.h"

namespace ddb {

QueryWorker::QueryWorker(MySqlEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

QueryWorker::~QueryWorker() { Stop(); }

void QueryWorker::Start() { thread_ = std::thread([this] { Run(); }); }

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
  QueryReply reply;
  reply.request_id = request.request_id;
  if (ClassifyStatement(request.sql).kind != StatementKind::kRead) {
    reply.message = "a slave runs only reads for the master";
    return reply;
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
  if (!s.ok()) {
    if (IsConnectionLost(s)) {
      session_.reset();
      connection_.reset();
    }
    reply.error_code = static_cast<uint32_t>(s.mysql_error_code());
    reply.sql_state = s.sql_state();
    reply.message = s.message();
    return reply;
  }
  reply.ok = true;
  reply.columns = std::move(result.columns);
  reply.numeric = std::move(result.numeric);
  reply.rows = std::move(result.rows);
  return reply;
}

}  // namespace ddb
