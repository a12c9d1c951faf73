// SqlSession's DDL: run under the DDL barrier without ever holding other
// sessions' commits while it waits for a metadata lock.
#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "database_calls.h"
#include "ddb/sql/explicit_definer.h"
#include "ddb/sql/replay_safety.h"
#include "sql_session.h"
#include "statement_policy.h"

namespace ddb {
namespace {

constexpr int kErrorLockWaitTimeout = 1205;  // also: a metadata lock that was busy

}  // namespace

ExecutionResult SqlSession::RunDdl(const std::string& sql, const ParsedStatement& parsed) {
  const StatementInfo& info = parsed.info;
  if (info.is_temporary) {
    return Fail(Status::Refused("a temporary " + info.object + ": not supported by ddb"));
  }
  // CREATE TABLE … SELECT DATABASE() (a program's or view's query runs later, elsewhere).
  if (database_.empty() && info.object == "TABLE" && CallsDatabase(QueryOfDefinition(parsed.tokens))) {
    return Fail(Status::Refused(
        "the definition's query calls DATABASE(), which is NULL in a session without a default database; a "
        "slave, whose applier keeps the last database a record named, would store that name: USE a database "
        "first (nothing was changed)"));
  }
  // Before anything runs: a password that cannot be logged as a hash must
  // refuse the statement, as the master could not log it once it ran.
  std::string logged_sql;
  if (Status s = TextToLog(sql, parsed.tokens, &logged_sql); !s.ok()) return Fail(s);
  if (logged_sql == sql) logged_sql = WithExplicitDefiner(sql, parsed.tokens, account_);
  const ReplayTraits traits = InspectForReplay(parsed.tokens);
  std::vector<SessionSetting> context;
  std::vector<std::string> warnings;
  if (Status s = PrepareReplayContext(traits, &context, &warnings); !s.ok()) return Fail(s);
  if (in_transaction_) {
    if (Status s = CommitOpenTransaction(); !s.ok()) return Fail(s);
  }
  const ReplayClock clock = ChooseClock(traits.uses_rand, &context);
  const int64_t timestamp = clock.micros;
  // The DDL and its bookkeeping run with the user's autocommit.
  if (Status s = PinTimestamp(clock, false, ServerAutocommitWanted()); !s.ok()) return Fail(s);
  QueryResult result;
  uint64_t seq = 0;
  Status s = RunDdlWithoutBlockingCommits(sql, logged_sql, timestamp, context, &result, &seq);
  if (seq != 0) last_write_seq_ = seq;  // set even by a DROP that failed part way
  if (!s.ok()) return Fail(s);
  // DROP DATABASE of the current database leaves the session without one.
  QueryResult current;
  if (connection_->Execute("SELECT DATABASE()", &current).ok() && !current.rows.empty()) {
    database_ = current.rows[0][0].value_or("");
  }
  ExecutionResult outcome;
  outcome.result = std::move(result);
  outcome.warnings = std::move(warnings);
  return outcome;
}

Status SqlSession::RunDdlWithoutBlockingCommits(const std::string& sql, const std::string& logged_sql,
                                                int64_t timestamp, const std::vector<SessionSetting>& context,
                                                QueryResult* result, uint64_t* seq) {
  // A DDL waits for the metadata locks of other sessions' open transactions
  // on its table. Waiting under the commit lock would stop every session's
  // commits, and deadlock with a session whose COMMIT needs the commit lock
  // to end the very transaction the DDL waits for. So each try takes its
  // metadata locks without waiting (lock_wait_timeout = 0); when they are
  // busy, the commit lock is released and the DDL tried again, for as long
  // as this session's own lock_wait_timeout allows.
  //
  // A try that waited for a row lock instead (a CREATE TABLE ... SELECT
  // reading rows another transaction holds) fails with the same error, but
  // only after the session's innodb_lock_wait_timeout: that one is the
  // user's answer, not retried. Only the statement's own run is timed: the
  // wait for the barrier before it, long under a steady write load, says
  // nothing about which lock failed, and neither does a table copy that
  // ran for long before its final lock upgrade was found busy.
  QueryResult saved;
  if (Status s = connection_->Execute(
          "SELECT @@session.lock_wait_timeout, @@session.innodb_lock_wait_timeout", &saved);
      !s.ok()) {
    return s;
  }
  const std::string wait_seconds = saved.rows.at(0).at(0).value_or("86400");
  const double row_lock_wait_seconds = std::stod(saved.rows.at(0).at(1).value_or("50"));
  if (Status s = connection_->Execute("SET SESSION lock_wait_timeout = 0"); !s.ok()) return s;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(std::stod(wait_seconds));
  // Shut once the locks were found busy: no new transaction starts, the
  // open ones drain, and a try soon after finds the locks free.
  std::optional<DdlGate::Closed> gate_closed;
  Status s;
  for (auto pause = std::chrono::milliseconds(1);;
       pause = std::min(2 * pause, std::chrono::milliseconds(20))) {
    std::chrono::duration<double> ran{0};
    s = log_->RunDdl(
        *connection_, MakeLogged(logged_sql, timestamp, context),
        [&] {
          const auto started = std::chrono::steady_clock::now();
          Status executed = connection_->Execute(sql, result);
          ran = std::chrono::steady_clock::now() - started;
          if (executed.ok()) SaveWarnings(*result);  // before the log's bookkeeping clears them
          return executed;
        },
        seq);
    const bool waited_for_a_row_lock = row_lock_wait_seconds > 0 && ran.count() >= row_lock_wait_seconds;
    const bool metadata_lock_busy = s.code() == Status::Code::kMySql &&
                                    s.mysql_error_code() == kErrorLockWaitTimeout && !waited_for_a_row_lock;
    if (!metadata_lock_busy || std::chrono::steady_clock::now() + pause > deadline) break;
    if (!gate_closed) gate_closed.emplace(log_->ddl_gate());
    std::this_thread::sleep_for(pause);
  }
  if (Status restored = connection_->Execute("SET SESSION lock_wait_timeout = " + wait_seconds);
      !restored.ok()) {
    return s.ok() ? restored : s;
  }
  return s;
}

}  // namespace ddb
