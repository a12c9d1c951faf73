// SqlSession: its connection to the master's MySQL, opened on first use,
// and what losing it ends (sql_session.h).
#include "sql_session.h"

namespace ddb {

Status SqlSession::EnsureConnected() {
  if (connection_) return Status::Ok();
  MySqlEndpoint endpoint = endpoint_;
  endpoint.database = database_;
  const MySqlOpenOptions options{.identify_session = true, .found_rows = count_matched_rows_};
  if (Status s = open_(endpoint, options, &connection_); !s.ok()) {
    connection_.reset();
    return s;
  }
  timestamp_pinned_ = false;
  user_timestamp_micros_.reset();  // a new server session follows the clock
  if (Status s = RefreshSessionState(/*adopt_autocommit=*/true); !s.ok()) return s;
  if (admit_) {
    if (Status s = admit_(current_user_); !s.ok()) {
      connection_.reset();
      return s;
    }
  }
  return Status::Ok();
}

Status SqlSession::ServerStatistics(std::string* text) {
  Status s = EnsureConnected();
  if (s.ok()) s = connection_->ServerStatistics(text);
  if (!s.ok()) return Fail(std::move(s)).status;
  return s;
}

Status SqlSession::Connect(const std::string& database) {
  if (connection_) return Status::Ok();
  database_ = database;
  Status connected = EnsureConnected();
  if (!connected.ok()) database_.clear();
  return connected;
}

void SqlSession::DropConnection() {
  connection_.reset();
  in_transaction_ = false;     // the server rolled back whatever was open
  temporary_tables_.Forget();  // and dropped them
  pending_.clear();
}

ExecutionResult SqlSession::Fail(Status status) {
  if (IsConnectionLost(status)) {
    const bool had_transaction = in_transaction_ && !pending_.empty();
    DropConnection();
    if (had_transaction) {
      status =
          Status::MySql(status.mysql_error_code(), status.sql_state(),
                        status.message() + " (the open transaction was rolled back; nothing was logged)");
    }
  }
  ExecutionResult outcome;
  outcome.status = std::move(status);
  return outcome;
}

ExecutionResult SqlSession::RunUse(const std::string& sql) {
  if (Status s = connection_->Execute(sql); !s.ok()) return Fail(s);
  QueryResult current;
  if (Status s = connection_->Execute("SELECT DATABASE()", &current); !s.ok()) return Fail(s);
  database_ = current.rows.empty() ? "" : current.rows[0][0].value_or("");
  ExecutionResult outcome;
  outcome.info = "Database changed";
  return outcome;
}

}  // namespace ddb
