#include "fake_sql_connection.h"

#include <cctype>

#include "ddb/base/auth.h"

namespace ddb::testing {
namespace {

constexpr int kServerGoneAway = 2006;
// Sessions of the fake all belong to one run of the server.
constexpr int64_t kServerStartedAt = 1700000000;

std::string_view TrimmedLeft(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  return text;
}

// A rule or count for `prefix` matches a statement as sent, or the statement
// a SET STATEMENT around it runs (as the server would execute it).
bool Matches(const std::string& sql, std::string_view prefix) {
  const std::string_view text = TrimmedLeft(sql);
  if (text.substr(0, prefix.size()) == prefix) return true;
  const std::string proper = StatementProper(std::string(text));
  return proper.size() != text.size() && std::string_view(proper).substr(0, prefix.size()) == prefix;
}

// `params` bound into `sql` as literals, for reading and matching (the real
// connection escapes through the client library; this is only a record).
std::string Bound(std::string_view sql, const std::vector<SqlParam>& params) {
  std::string bound;
  size_t next = 0;
  for (char c : sql) {
    if (c != '?' || next == params.size()) {
      bound += c;
      continue;
    }
    const SqlParam& param = params[next++];
    if (std::holds_alternative<std::nullptr_t>(param)) {
      bound += "NULL";
    } else if (auto* i64 = std::get_if<int64_t>(&param)) {
      bound += std::to_string(*i64);
    } else if (auto* u64 = std::get_if<uint64_t>(&param)) {
      bound += std::to_string(*u64);
    } else if (auto* text = std::get_if<std::string>(&param)) {
      bound += QuoteString(*text);
    } else {
      bound += "X'" + HexEncode(std::get<Blob>(param).bytes) + "'";
    }
  }
  return bound;
}

}  // namespace

// One session of the fake server. After a lost-session error it is gone:
// every later call fails with 2006, as a real one would.
class FakeSqlConnection final : public SqlConnection {
 public:
  FakeSqlConnection(FakeSqlServer* server, int number) : server_(server) {
    session_id_.connection_id = static_cast<uint64_t>(number);
    session_id_.server_started_at = kServerStartedAt;
  }

  Status Execute(std::string_view sql, QueryResult* result) override {
    return Run(server_->NextRoundTrip(), std::string(sql), {}, result);
  }

  // The fake has no files: the statement runs as any other.
  Status ExecuteWithLocalFile(std::string_view sql, std::string_view /*file*/, QueryResult* result) override {
    return Execute(sql, result);
  }

  Status ExecuteBatch(std::string_view text) override {
    const uint64_t round_trip = server_->NextRoundTrip();
    for (std::string& statement : SplitBatch(text)) {
      if (Status s = Run(round_trip, std::move(statement), {}, nullptr); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // The fake runs a batch when its results are read: what the applier does
  // in between sees the server as if it were still working.
  Status SendBatch(std::string_view text) override {
    sent_batch_ = std::string(text);
    return Status::Ok();
  }

  Status FinishBatch() override { return ExecuteBatch(std::exchange(sent_batch_, {})); }

  Status ExecuteWithParams(std::string_view sql, const std::vector<SqlParam>& params,
                           QueryResult* result) override {
    return Run(server_->NextRoundTrip(), Bound(sql, params), params, result);
  }

  Status DescribeStatement(std::string_view sql, StatementShape* shape) override {
    *shape = StatementShape();
    QueryResult described;
    if (Status s = Run(server_->NextRoundTrip(), "PREPARE " + std::string(sql), {}, &described); !s.ok()) {
      return s;
    }
    shape->columns = described.columns;
    shape->column_types = described.column_types;
    return Status::Ok();
  }

  // Asks "SELECT @a, @b" of the script; its row's values are the literals.
  Status UserVariableLiterals(const std::vector<std::string>& names,
                              std::vector<std::string>* literals) override {
    std::string sql = "SELECT ";
    for (size_t i = 0; i < names.size(); ++i) sql += (i ? ", @" : "@") + names[i];
    QueryResult values;
    if (Status s = Run(server_->NextRoundTrip(), sql, {}, &values); !s.ok()) return s;
    literals->clear();
    for (size_t i = 0; i < names.size(); ++i) {
      const bool given = !values.rows.empty() && i < values.rows[0].size() && values.rows[0][i];
      literals->push_back(given ? *values.rows[0][i] : "NULL");
    }
    return Status::Ok();
  }

  Status ReadSessionId(MySqlSessionId* id) override {
    if (lost_) return GoneAway();
    *id = session_id_;
    return Status::Ok();
  }

  Status ServerStatistics(std::string* text) override {
    if (lost_) return GoneAway();
    *text =
        "Uptime: 1  Threads: 1  Questions: 1  Slow queries: 0  Opens: 0  Open tables: 0  Queries per "
        "second avg: 1.000";
    return Status::Ok();
  }

  const MySqlSessionId& session_id() const override { return session_id_; }
  uint32_t server_version() const override { return 101100; }
  bool server_is_mariadb() const override { return true; }

 private:
  static Status GoneAway() { return Status::MySql(kServerGoneAway, "HY000", "MySQL server has gone away"); }

  Status Run(uint64_t round_trip, std::string sql, std::vector<SqlParam> params, QueryResult* result) {
    if (lost_) return GoneAway();
    QueryResult discarded;
    QueryResult* into = result != nullptr ? result : &discarded;
    *into = QueryResult();
    Status s = server_->Receive(static_cast<int>(session_id_.connection_id), round_trip, std::move(sql),
                                std::move(params), into);
    if (IsConnectionLost(s)) lost_ = true;
    return s;
  }

  FakeSqlServer* const server_;
  MySqlSessionId session_id_;
  bool lost_ = false;
  std::string sent_batch_;  // sent, its results not read yet
};

void FakeSqlServer::Answer(std::string prefix, QueryResult result, int times) {
  On(
      std::move(prefix),
      [result = std::move(result)](const FakeStatement&, QueryResult* out) {
        *out = result;
        return Status::Ok();
      },
      times);
}

void FakeSqlServer::Fail(std::string prefix, Status error, int times) {
  On(
      std::move(prefix), [error = std::move(error)](const FakeStatement&, QueryResult*) { return error; },
      times);
}

void FakeSqlServer::On(std::string prefix, Handler handler, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  rules_.push_back({std::move(prefix), std::move(handler), times});
}

void FakeSqlServer::FailOpen(Status error, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  open_error_ = std::move(error);
  open_failures_left_ = times;
}

SqlOpener FakeSqlServer::Opener() {
  return [this](const MySqlEndpoint&, const MySqlOpenOptions&, std::unique_ptr<SqlConnection>* out) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (open_failures_left_ > 0) {
      --open_failures_left_;
      return open_error_;
    }
    *out = std::make_unique<FakeSqlConnection>(this, ++connections_opened_);
    return Status::Ok();
  };
}

Status FakeSqlServer::Receive(int connection, uint64_t round_trip, std::string sql,
                              std::vector<SqlParam> params, QueryResult* result) {
  Handler handler;
  FakeStatement statement{connection, round_trip, std::move(sql), std::move(params)};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    received_.push_back(statement);
    for (auto it = rules_.rbegin(); it != rules_.rend(); ++it) {
      Rule& rule = *it;
      if (rule.times_left == 0 || !Matches(statement.sql, rule.prefix)) continue;
      if (rule.times_left > 0) --rule.times_left;
      handler = rule.handler;
      break;
    }
  }
  // Outside the lock: a handler may look at the statements received.
  return handler ? handler(statement, result) : Status::Ok();
}

uint64_t FakeSqlServer::NextRoundTrip() {
  std::lock_guard<std::mutex> lock(mutex_);
  return ++round_trips_;
}

std::vector<FakeStatement> FakeSqlServer::statements() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

std::vector<std::string> FakeSqlServer::Sql() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> texts;
  for (const FakeStatement& statement : received_) texts.push_back(statement.sql);
  return texts;
}

size_t FakeSqlServer::Count(std::string_view prefix) const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t count = 0;
  for (const FakeStatement& statement : received_) {
    if (Matches(statement.sql, prefix)) ++count;
  }
  return count;
}

int FakeSqlServer::connections_opened() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return connections_opened_;
}

void FakeSqlServer::ClearStatements() {
  std::lock_guard<std::mutex> lock(mutex_);
  received_.clear();
}

Status FakeSqlServer::LostSession() {
  return Status::MySql(2013, "HY000", "Lost connection to server during query");
}

Status FakeSqlServer::Deadlock() {
  return Status::MySql(1213, "40001", "Deadlock found when trying to get lock; try restarting transaction");
}

Status FakeSqlServer::SqlError(int code, std::string message) {
  return Status::MySql(code, "HY000", std::move(message));
}

QueryResult FakeSqlServer::Rows(std::vector<std::string> columns,
                                std::vector<std::vector<std::optional<std::string>>> rows) {
  QueryResult result;
  result.has_result_set = true;
  result.numeric.assign(columns.size(), false);
  result.columns = std::move(columns);
  result.rows = std::move(rows);
  return result;
}

QueryResult FakeSqlServer::Value(std::string value) { return Rows({"value"}, {{std::move(value)}}); }

std::vector<std::string> SplitBatch(std::string_view text) {
  std::vector<std::string> statements;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ';' && (i + 1 == text.size() || text[i + 1] == '\n')) {
      statements.push_back(current);
      current.clear();
      continue;
    }
    current += text[i];
  }
  statements.push_back(current);
  // Trim each, and drop what was only whitespace.
  std::vector<std::string> trimmed;
  for (const std::string& statement : statements) {
    const size_t first = statement.find_first_not_of(" \n\t");
    if (first == std::string::npos) continue;
    const size_t last = statement.find_last_not_of(" \n\t");
    trimmed.push_back(statement.substr(first, last - first + 1));
  }
  return trimmed;
}

std::string StatementProper(const std::string& sql) {
  constexpr std::string_view kSetStatement = "SET STATEMENT ";
  if (sql.compare(0, kSetStatement.size(), kSetStatement) != 0) return sql;
  const size_t for_at = sql.find(" FOR ");
  return for_at == std::string::npos ? sql : sql.substr(for_at + 5);
}

}  // namespace ddb::testing
