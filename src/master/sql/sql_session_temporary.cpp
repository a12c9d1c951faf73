// SqlSession: statements on the session's temporary tables, which stay on
// the master and are never logged (temporary_tables.h).
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "insert_select.h"
#include "sql_session.h"

namespace ddb {
namespace {

constexpr int kErrorDeadlockOfTransaction = 1213;  // InnoDB rolled the whole transaction back

}  // namespace

ExecutionResult SqlSession::RunOnTemporaryTables(const std::string& sql, const ParsedStatement& parsed,
                                                 const TemporaryTables::Decision& decision) {
  const StatementInfo& info = parsed.info;
  // A read of one is answered by the master: no slave has the table.
  if (info.kind == StatementKind::kRead) return RunRead(sql);
  if (decision.commits_implicitly && in_transaction_) {
    // MariaDB commits the open transaction before ALTER TABLE, TRUNCATE...
    // even of a temporary table: through the log, as before any DDL.
    if (Status s = CommitOpenTransaction(); !s.ok()) return Fail(s);
  } else if (!decision.commits_implicitly && !in_transaction_ && !autocommit_) {
    in_transaction_ = true;  // with autocommit off, a write opens the user's transaction
    pending_.clear();
  }
  // A LOAD DATA LOCAL's file first: a client that refuses or breaks off
  // leaves nothing run.
  std::optional<std::string> local_file;
  if (info.verb == "LOAD") {
    if (Status s = ReceiveLocalFile(parsed.tokens, &local_file); !s.ok()) return Fail(s);
  }
  // The server runs it with the user's autocommit and clock: in the user's
  // transaction when one is open, committed by itself otherwise.
  if (Status s = PrepareServerSession(/*unpin_timestamp=*/true); !s.ok()) return Fail(s);
  QueryResult result;
  if (Status s = local_file ? connection_->ExecuteWithLocalFile(sql, *local_file, &result)
                            : connection_->Execute(sql, &result);
      !s.ok()) {
    if (s.code() == Status::Code::kMySql && s.mysql_error_code() == kErrorDeadlockOfTransaction) {
      in_transaction_ = false;  // InnoDB rolled back the whole transaction
      pending_.clear();
    }
    if (!IsConnectionLost(s)) {
      temporary_tables_.Recheck(parsed, database_,
                                [this](const std::string& schema, const std::string& table) {
                                  return IsTemporaryOnServer(schema, table);
                                });
    }
    return Fail(s);
  }
  // Nothing of ddb's runs after it: SHOW WARNINGS finds its warnings on the server.
  temporary_tables_.Learn(parsed, database_);
  if (info.kind == StatementKind::kDml) last_row_count_ = static_cast<int64_t>(result.affected_rows);
  ExecutionResult outcome;
  outcome.result = std::move(result);
  return outcome;
}

ExecutionResult SqlSession::RunWithTemporaryRows(const std::string& sql, const ParsedStatement& parsed,
                                                 const TemporaryTables::Decision& decision) {
  InsertSelect parts;
  if (!SplitInsertSelect(sql, parsed.tokens, &parts)) return Fail(Status::Refused(decision.refusal));
  // The rows' text comes in the results' character set; the values say so.
  const std::string charset = results_charset_.size() > 2 && results_charset_.front() == '\''
                                  ? results_charset_.substr(1, results_charset_.size() - 2)
                                  : "";
  if (charset.empty() || charset == "binary" ||
      !std::all_of(charset.begin(), charset.end(),
                   [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; })) {
    return Fail(Status::Refused(decision.refusal + "; with character_set_results = " + results_charset_ +
                                " ddb cannot write them as values either"));
  }
  // In the user's transaction, when one is open, as the INSERT would have.
  if (Status s = PrepareServerSession(/*unpin_timestamp=*/true); !s.ok()) return Fail(s);
  QueryResult rows;
  if (Status s = connection_->Execute(parts.query, &rows); !s.ok()) return Fail(s);
  if (rows.rows.empty()) {
    ExecutionResult outcome;
    outcome.result.server_info = "Records: 0  Duplicates: 0  Warnings: 0";
    return outcome;
  }
  std::string as_values = InsertWithValues(parts, rows, charset);
  // A statement the log could not carry would be refused at COMMIT, after
  // it ran; one past max_allowed_packet would cost the session.
  uint64_t limit = 0;
  if (Status s = log_->MaxRecordBytes(*connection_, &limit); !s.ok()) return Fail(s);
  if (as_values.size() > limit) {
    return Fail(Status::Refused("the " + std::to_string(rows.rows.size()) + " rows the query gave take " +
                                std::to_string(as_values.size()) + " bytes as values, over the " +
                                std::to_string(limit) +
                                " a log record can carry: copy them in smaller parts (LIMIT, a key range)"));
  }
  // Logged like any INSERT ... VALUES, and checked as one.
  return Dispatch(as_values);
}

bool SqlSession::IsTemporaryOnServer(const std::string& schema, const std::string& table) {
  // MariaDB 10.11 lists temporary tables nowhere; SHOW CREATE TABLE shows
  // the one that hides a real table of its name, as such.
  QueryResult shown;
  const Status s = connection_->Execute(
      "SHOW CREATE TABLE " + QuoteIdentifier(schema) + "." + QuoteIdentifier(table), &shown);
  if (!s.ok() || shown.rows.empty() || shown.rows[0].size() < 2) return false;
  return shown.rows[0][1].value_or("").starts_with("CREATE TEMPORARY TABLE");
}

}  // namespace ddb
