#include "sql_session.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "database_calls.h"
#include "ddb/base/word_list.h"
#include "ddb/mysql/replay_session.h"
#include "ddb/sql/replay_safety.h"
#include "ddb/sql/row_order.h"
#include "ddb/sql/sql_lexer.h"
#include "meta_schema_guard.h"
#include "program_ids.h"
#include "read_routing_rules.h"
#include "select_order_ids.h"
#include "server_local_tables.h"
#include "session_user_variables.h"
#include "statement_policy.h"
#include "temporary_reach.h"
#include "transaction_statements.h"

namespace ddb {
namespace {

constexpr int kErrorDeadlock = 1213;  // InnoDB rolled the whole transaction back
constexpr int kErrorParse = 1064;     // ER_PARSE_ERROR (sql_session_context.cpp names it too)

ExecutionResult Ok(QueryResult result = QueryResult()) {
  ExecutionResult outcome;
  outcome.result = std::move(result);
  return outcome;
}

// Writes whose affected rows are their ROW_COUNT() and whose text holds no
// password to redact (LOAD XML's ROWS IDENTIFIED BY '<row>' is none).
constexpr std::string_view kRowWriteVerbs[] = {"INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD"};

}  // namespace

SqlSession::SqlSession(MySqlEndpoint endpoint, ReplicationLog* log, SessionOptions options,
                       ReadRouter* router, SyncReplication* sync, SqlOpener open, AccountCheck admit)
    : endpoint_(std::move(endpoint)),
      log_(log),
      options_(options),
      router_(router),
      sync_(sync),
      open_(std::move(open)),
      admit_(std::move(admit)),
      nontransactional_(options_.known_fine) {}

ExecutionResult SqlSession::Execute(const std::string& sql, const std::string& prepared_text) {
  const uint64_t last_write_before = last_write_seq_;
  executing_prepared_ = prepared_text;
  // Kept for this statement only; a write sets it again.
  const std::optional<int64_t> row_count = std::exchange(last_row_count_, std::nullopt);
  const std::optional<int64_t> found_rows = std::exchange(last_found_rows_, std::nullopt);
  std::string text =
      row_count && MayContainKeyword(sql, "ROW_COUNT") ? WithRowCount(sql, lex_mode_, *row_count) : sql;
  if (found_rows && MayContainKeyword(text, "FOUND_ROWS")) text = WithFoundRows(text, lex_mode_, *found_rows);
  ExecutionResult outcome = Dispatch(text);
  executing_prepared_.clear();
  // Any statement may commit (COMMIT, DML in autocommit, DDL, an implicit
  // commit before BEGIN or SET autocommit=1): wait whenever one did.
  if (sync_ != nullptr && last_write_seq_ != last_write_before) {
    if (std::string warning = sync_->AwaitSlaves(last_write_seq_); !warning.empty()) {
      outcome.warnings.push_back(std::move(warning));
    }
  }
  return outcome;
}

ExecutionResult SqlSession::Dispatch(const std::string& sql) {
  // Lexed once, as this session's server reads quotes; every question below
  // reads these tokens.
  const LexMode lexed_with = lex_mode_;
  const ParsedStatement parsed = ParseStatement(sql, lex_mode_);
  const StatementInfo& info = parsed.info;
  if (info.kind == StatementKind::kEmpty) return Ok();
  // The user's last statement's warnings, kept for one more statement.
  std::optional<QueryResult> warnings = std::exchange(saved_warnings_, std::nullopt);
  if (warnings && IsShowWarnings(parsed.tokens)) {
    saved_warnings_ = warnings;  // SHOW WARNINGS leaves the list as it is
    return Ok(std::move(*warnings));
  }
  if (info.incomplete) return Fail(Status::InvalidArgument("statement has an unterminated quote or comment"));
  if (info.has_multiple_statements) {
    // A MySQL client sees this when its connection did not turn on
    // CLIENT_MULTI_STATEMENTS (MariaDB itself answers with a syntax error).
    return Fail(Status::InvalidArgument(
        "several statements in one query: send them one at a time, or turn on the client's multi-statements "
        "option (CLIENT_MULTI_STATEMENTS)"));
  }
  if (std::string refusal = MetaSchemaRefusal(parsed, database_); !refusal.empty()) {
    return Fail(Status::Refused(refusal));
  }
  if (info.is_temporary && !options_.temporary_tables) {
    return Fail(Status::Refused(
        "a temporary table made from a slave's console would live on the master, where this console's reads "
        "do not go: make it at the master's console or through its MySQL endpoint"));
  }
  const TemporaryTables::Decision temporary = temporary_tables_.Classify(parsed, database_);
  if (temporary.use == TemporaryTables::Use::kRefused) return Fail(Status::Refused(temporary.refusal));
  // What a statement does to temporary tables alone stays on the master:
  // no replay, so nothing to refuse for a replay's sake.
  const bool on_temporary_tables = temporary.use == TemporaryTables::Use::kLocal;
  // A statement reading temporary rows into tables that replicate is
  // checked once its rows are values (RunWithTemporaryRows).
  const bool materialize = temporary.use == TemporaryTables::Use::kMaterialize;
  if (!on_temporary_tables && !materialize) {
    if (std::string refusal = RefusalFor(parsed); !refusal.empty())
      return Fail(Status::Refused(std::move(refusal)));
    if (std::string refusal = RefuseServerLocalTables(parsed, database_); !refusal.empty())
      return Fail(Status::Refused(std::move(refusal)));
  }
  if (Status s = EnsureConnected(); !s.ok()) return Fail(s);
  if (lexed_with.ansi_quotes != lex_mode_.ansi_quotes ||
      lexed_with.backslash_escapes != lex_mode_.backslash_escapes ||
      lexed_with.server_version != lex_mode_.server_version) {
    // A session's first statement, lexed before its server told its
    // sql_mode and version: again, as that server will read it.
    saved_warnings_ = std::move(warnings);
    return Dispatch(sql);
  }
  may_hold_user_variables_ = may_hold_user_variables_ || MaySetUserVariables(parsed);
  if (on_temporary_tables) return RunOnTemporaryTables(sql, parsed, temporary);
  if (materialize) return RunWithTemporaryRows(sql, parsed, temporary);
  if (temporary.use == TemporaryTables::Use::kCheckPrograms) {
    if (Status s =
            CheckProgramsAvoidTemporaryTables(*connection_, parsed.tokens, database_, temporary_tables_);
        !s.ok()) {
      return Fail(s);
    }
  }
  if (Status s = CheckIdsInPrograms(*connection_, parsed, database_, lex_mode_); !s.ok()) return Fail(s);
  if (Status s = CheckProgramWrites(*connection_, parsed, database_, options_.refuse_unsafe); !s.ok())
    return Fail(s);
  // A stored function may write: a read, DO or SET (SET @v = f()) that
  // calls one runs as a logged write, so the slaves run it too.
  const bool may_call = info.kind == StatementKind::kRead || info.verb == "DO" ||
                        (info.kind == StatementKind::kSet && !MentionsAutocommit(parsed.tokens));
  if (may_call && CallsStoredFunction(parsed.tokens)) {
    ExecutionResult outcome = RunDml(sql, parsed);
    // A SET may have changed variables logged with later statements.
    if (outcome.status.ok() && info.kind == StatementKind::kSet && connection_) {
      if (Status s = RefreshSessionState(); !s.ok()) return Fail(s);
    }
    return outcome;
  }
  switch (info.kind) {
    case StatementKind::kRead:
      if (router_ != nullptr && router_->from_slaves() && Routable(sql, parsed) && AccountMayRead(sql)) {
        QueryRequest request;
        request.sql = sql;
        request.database = database_;
        request.settings = settings_;
        // Every routed read sets it: the slave's query session is shared
        // by all of the master's sessions.
        request.settings.push_back({"character_set_results", results_charset_});
        ExecutionResult outcome;
        if (router_->TryRead(request, last_write_seq_, &outcome.result, &outcome.answered_by)) {
          ForgetWarnings();
          // What this session's server would say of the read (row_count_literal.h).
          last_row_count_ = -1;
          last_found_rows_ = static_cast<int64_t>(outcome.result.rows.size());
          return outcome;
        }
        outcome = RunRead(sql);
        if (outcome.status.ok()) outcome.answered_by = "master";
        return outcome;
      }
      return RunRead(sql);
    case StatementKind::kDml: return RunDml(sql, parsed);
    case StatementKind::kDdl: return RunDdl(sql, parsed);
    case StatementKind::kBegin: return RunBegin(sql, parsed);
    case StatementKind::kCommit: return RunCommit(parsed);
    case StatementKind::kRollback: return RunRollback(sql, parsed);
    case StatementKind::kSavepoint: return RunSavepoint(sql, parsed);
    case StatementKind::kUse: return RunUse(sql);
    case StatementKind::kSet: return RunSet(sql, parsed);
    case StatementKind::kAdmin: return RunLocalOnly(sql);
    case StatementKind::kLockTables: return RunLockTables(sql, parsed);
    case StatementKind::kEmpty: return Ok();
    case StatementKind::kUnknown: {
      // Text MariaDB cannot parse (SELEKT 1) gets MariaDB's own syntax
      // error, as from MariaDB: its parser answers a prepare, which runs
      // nothing.
      if (Status s = PrepareServerSession(); !s.ok()) return Fail(s);
      StatementShape shape;
      Status parsed_by_server = connection_->DescribeStatement(sql, &shape);
      if (parsed_by_server.code() == Status::Code::kMySql &&
          parsed_by_server.mysql_error_code() == kErrorParse) {
        return Fail(std::move(parsed_by_server));
      }
      break;
    }
  }
  return Fail(Status::Refused("ddb does not know whether '" + info.verb +
                              "' changes data, so it was not executed (nothing replicated)"));
}

ExecutionResult SqlSession::RunRead(const std::string& sql) {
  if (Status s = PrepareServerSession(/*unpin_timestamp=*/true); !s.ok()) return Fail(s);
  QueryResult result;
  if (Status s = connection_->Execute(sql, &result); !s.ok()) return Fail(s);
  // MariaDB's ROW_COUNT() after a result set (row_count_literal.h); a
  // SELECT ... INTO counts rows, and stays the server's to say.
  if (result.has_result_set) last_row_count_ = -1;
  return Ok(std::move(result));
}

ExecutionResult SqlSession::RunDml(const std::string& sql, const ParsedStatement& parsed) {
  const StatementInfo& info = parsed.info;
  // A compound block (BEGIN NOT ATOMIC ... END, IF ...) may hold a CREATE
  // USER: its password is logged as a hash too.
  const bool row_write = Contains(kRowWriteVerbs, info.verb);
  std::string logged_sql = sql;
  if (!row_write) {
    if (Status s = TextToLog(sql, parsed.tokens, &logged_sql); !s.ok()) return Fail(s);
  }
  if (database_.empty()) logged_sql = DatabaseCallsAsNull(logged_sql, lex_mode_);  // database_calls.h
  if (Status s = nontransactional_.Check(*connection_, parsed, database_, schema_changes(), current_user_,
                                         options_.refuse_unsafe);
      !s.ok()) {
    return Fail(s);
  }
  const ReplayTraits traits = InspectForReplay(parsed.tokens);
  // Known to matter only once the server says how many rows it changed
  // (and for ids, whether it generated any).
  std::string order_reason, variable_reason;
  if (traits.unsafe_reason.empty()) {
    if (Status s = SelectOrderIdsUnsafeReason(*connection_, parsed, database_, &order_reason); !s.ok())
      return Fail(s);
    variable_reason = VariableNumberingReason(parsed.tokens);
  }
  std::vector<SessionSetting> context;
  std::vector<std::string> warnings;
  if (Status s = PrepareReplayContext(traits, &context, &warnings); !s.ok()) return Fail(s);
  // The client's file first: a client that refuses or breaks off leaves
  // nothing run.
  std::optional<std::string> local_file;
  if (info.verb == "LOAD") {
    if (Status s = ReceiveLocalFile(parsed.tokens, &local_file); !s.ok()) return Fail(s);
  }
  const bool autocommit_statement = !in_transaction_ && autocommit_;
  if (!in_transaction_) {
    // With autocommit on, nothing of this session's is open now: wait while
    // a DDL needs its turn. (With it off, earlier reads may hold the very
    // metadata locks the DDL waits for.)
    if (autocommit_) log_->ddl_gate().AwaitTurn();
    // This statement starts a transaction: on a server session whose
    // autocommit is off (see server_autocommit_) it opens one by itself.
    in_transaction_ = true;
    pending_.clear();
  }
  const bool may_generate = info.verb != "UPDATE" && info.verb != "DELETE";  // INSERT, REPLACE
  // ON DUPLICATE KEY UPDATE needs to know exactly whether a row got a
  // generated id (see SettleDuplicateKeyInsertId): it reads the session's
  // LAST_INSERT_ID() first.
  // So does a LOAD DATA, whose OK packet carries no id at all, and an
  // INSERT ... RETURNING, which answers with rows instead of that packet.
  const bool returns_rows =
      may_generate && std::any_of(parsed.tokens.begin(), parsed.tokens.end(),
                                  [](const Token& token) { return IsKeyword(token, "RETURNING"); });
  std::optional<InsertIdProbe> probe;
  if (may_generate && (traits.updates_on_duplicate_key || local_file || returns_rows)) {
    probe.emplace();
    probe->zeroed = !traits.uses_last_insert_id;  // a statement that reads it must see the real value
    if (Status s = ReadLastInsertId(&probe->before); !s.ok()) return Fail(s);
  }
  const bool savepoint = !autocommit_statement &&
                         (info.verb == "CALL" || IsCompoundVerb(info.verb) ||
                          ((!order_reason.empty() || !variable_reason.empty()) && options_.refuse_unsafe));
  if (savepoint) {
    if (Status s = MarkBeforeProgram(); !s.ok()) return Fail(s);
  }
  const ReplayClock clock = ChooseClock(traits.uses_rand, &context);
  QueryResult result;
  if (Status s =
          ExecuteWithClock(sql, clock, probe && probe->zeroed, &result, local_file ? &*local_file : nullptr);
      !s.ok()) {
    if (savepoint && !(s.code() == Status::Code::kMySql && s.mysql_error_code() == kErrorDeadlock)) {
      return Fail(UndoFailedProgram(std::move(s)));
    }
    if (probe && probe->zeroed && !IsConnectionLost(s)) {
      // Give the session back its LAST_INSERT_ID(); the statement's own error is what the user needs.
      static_cast<void>(connection_->Execute("DO LAST_INSERT_ID(" + std::to_string(probe->before) + ")"));
    }
    if (s.code() == Status::Code::kMySql && s.mysql_error_code() == kErrorDeadlock) {
      in_transaction_ = false;
      pending_.clear();
    }
    if (autocommit_statement) {
      RollBackUnlogged();
      in_transaction_ = false;
    }
    return Fail(s);
  }
  SaveWarnings(result);  // before the log's commit clears them
  const std::string& several_rows_reason =
      result.insert_id != 0 && variable_reason.empty() ? order_reason : variable_reason;
  if (!several_rows_reason.empty() && result.affected_rows > 1) {
    if (options_.refuse_unsafe)
      return Fail(UndoRowsNumberedInMetOrder(several_rows_reason, autocommit_statement));
    warnings.push_back("unsafe for replication, slaves may differ: " + several_rows_reason);
  }
  // The values the statement generated start at the OK packet's insert id;
  // replay sets insert_id so a slave generates the same ones even where its
  // counter differs (the master skipped values in a rolled-back insert).
  // When the statement generated nothing the packet may carry an explicit
  // id instead: forcing it on replay is harmless, as nothing is generated
  // there either -- except under ON DUPLICATE KEY UPDATE, probed exactly.
  uint64_t generated = may_generate ? result.insert_id : 0;
  if (probe) {
    if (Status s = SettleDuplicateKeyInsertId(*probe, &generated); !s.ok()) return Fail(s);
  }
  if (generated != 0) context.push_back({"insert_id", std::to_string(generated)});
  pending_.push_back(MakeLogged(logged_sql, clock.micros, std::move(context)));
  pending_.back().local_file = std::move(local_file);
  if (autocommit_statement) {
    if (Status s = CommitOpenTransaction(); !s.ok()) return Fail(s);
  }
  // A procedure may SET session variables that outlive it (time_zone,
  // lc_time_names...): the next statements must travel with those.
  if (info.verb == "CALL") {
    if (Status s = RefreshSessionState(); !s.ok()) return Fail(s);
  }
  if (row_write) last_row_count_ = static_cast<int64_t>(result.affected_rows);
  ExecutionResult outcome = Ok(std::move(result));
  outcome.warnings = std::move(warnings);
  return outcome;
}

ExecutionResult SqlSession::RunBegin(const std::string& sql, const ParsedStatement& parsed) {
  if (in_transaction_) {  // MySQL commits an open transaction at BEGIN
    if (Status s = CommitOpenTransaction(); !s.ok()) return Fail(s);
  }
  if (autocommit_) log_->ddl_gate().AwaitTurn();  // see RunDml
  // MariaDB's BEGIN releases LOCK TABLES; ddb's plain one sends nothing.
  if (tables_locked_) {
    if (Status s = connection_->Execute("UNLOCK TABLES"); !s.ok()) return Fail(s);
    tables_locked_ = false;
  }
  // A plain BEGIN only opens the user's transaction: the server's opens with
  // its first statement (see server_autocommit_), one round trip fewer. One
  // with characteristics (READ ONLY, WITH CONSISTENT SNAPSHOT) runs as typed.
  if (!IsPlainBegin(parsed.tokens)) {
    if (Status s = connection_->Execute(sql); !s.ok()) return Fail(s);
  }
  in_transaction_ = true;
  pending_.clear();
  return Ok();
}

ExecutionResult SqlSession::RunCommit(const ParsedStatement& parsed) {
  if (!in_transaction_) {
    if (Status s = connection_->Execute("COMMIT"); !s.ok()) return Fail(s);
  } else if (Status s = CommitOpenTransaction(); !s.ok()) {
    return Fail(s);
  }
  if (ChainsTransaction(parsed.tokens)) OpenChainedTransaction();
  ExecutionResult outcome = Ok();
  outcome.release = ReleasesSession(parsed.tokens);
  return outcome;
}

ExecutionResult SqlSession::RunRollback(const std::string& sql, const ParsedStatement& parsed) {
  Status s = connection_->Execute(sql);
  in_transaction_ = false;
  pending_.clear();
  if (!s.ok()) return Fail(s);
  if (ChainsTransaction(parsed.tokens)) OpenChainedTransaction();
  ExecutionResult outcome = Ok();
  outcome.release = ReleasesSession(parsed.tokens);
  return outcome;
}

void SqlSession::OpenChainedTransaction() {
  if (autocommit_) log_->ddl_gate().AwaitTurn();  // see RunDml
  in_transaction_ = true;
  pending_.clear();
}

ExecutionResult SqlSession::RunSet(const std::string& sql, const ParsedStatement& parsed) {
  // SET autocommit = 1 commits an open transaction inside MySQL; commit it
  // through the log first so it is not committed unlogged.
  if (in_transaction_ && MentionsAutocommit(parsed.tokens)) {
    if (Status s = CommitOpenTransaction(); !s.ok()) return Fail(s);
  }
  // Outside a transaction the server's autocommit is made the user's
  // before the SET, so what it reads back afterwards is the user's. So is
  // the clock, for a SET that may move it: ddb's own pin (PinTimestamp) is
  // released first, so a clock that stands still afterwards is the user's.
  const bool may_move_clock = MentionsTimestamp(parsed.tokens);
  if (Status s = PrepareServerSession(/*unpin_timestamp=*/may_move_clock); !s.ok()) return Fail(s);
  if (Status s = connection_->Execute(sql); !s.ok()) return Fail(s);
  if (Status s = RefreshSessionState(/*adopt_autocommit=*/!in_transaction_); !s.ok()) return Fail(s);
  if (may_move_clock) {
    if (Status s = ReadUserTimestamp(); !s.ok()) return Fail(s);
  }
  if (reads_pinned_by_.empty()) reads_pinned_by_ = SetKeepsReadsOnMaster(parsed.tokens);
  return Ok();
}

ExecutionResult SqlSession::RunLocalOnly(const std::string& sql) {
  // Maintenance statements (ANALYZE, OPTIMIZE, FLUSH...) that StatementPolicy
  // lets through act on this server only; several commit implicitly, so
  // commit an open transaction first.
  if (in_transaction_) {
    if (Status s = CommitOpenTransaction(); !s.ok()) return Fail(s);
  }
  if (Status s = PrepareServerSession(); !s.ok()) return Fail(s);
  QueryResult result;
  if (Status s = connection_->Execute(sql, &result); !s.ok()) return Fail(s);
  return Ok(std::move(result));
}

Status SqlSession::CommitOpenTransaction() {
  in_transaction_ = false;
  if (pending_.empty()) return connection_->Execute("COMMIT");
  uint64_t seq = 0;
  bool session_lost = false;
  // The server session's autocommit stays as it is (see server_autocommit_).
  Status s = log_->Commit(*connection_, std::move(pending_), &seq, &session_lost);
  pending_.clear();
  if (session_lost) {
    // The answer was lost and the old server session ended to settle it:
    // the next statement starts a new one.
    DropConnection();
  } else if (!s.ok()) {
    RollBackUnlogged();  // nothing was logged; end what is left of the transaction
  }
  if (!s.ok()) return s;
  last_write_seq_ = seq;
  if (!connection_) {
    // Committed, but a statement that follows in this call (BEGIN, DDL...)
    // needs a session again.
    if (Status reopened = EnsureConnected(); !reopened.ok()) {
      return Status::Unavailable(
          "the transaction committed (#" + std::to_string(seq) +
          "), then the connection to the master's MySQL was lost: " + reopened.ToString());
    }
  }
  return Status::Ok();
}

}  // namespace ddb
