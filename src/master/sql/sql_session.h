// SqlSession: one client session on the master: the console, each client of
// the MySQL endpoint (client_session.h), the web SQL box and forwarded writes
// all use this class.
//
// It owns a connection to the master's MySQL and decides, per statement, how
// it is executed and logged:
//   reads           run as typed, never logged;
//   DML             run inside a transaction; at COMMIT (or at once in
//                   autocommit mode) the statements go to the log in the same
//                   transaction (ReplicationLog::Commit);
//   DDL             pending / execute / done under the commit lock
//                   (ReplicationLog::RunDdl), after an implicit commit of an
//                   open transaction, as MySQL does;
//   failed          statements are neither logged nor shipped.
// Statements ddb cannot replicate safely are refused with the reason.
//
// Not thread-safe: one thread drives a session. The replay context of a
// write (clock, seeds, insert ids, session variables) is implemented in
// sql_session_context.cpp.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ddb/base/log_record.h"
#include "ddb/console/console.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/parsed_statement.h"
#include "ddb/sql/replay_safety.h"
#include "local_infile.h"
#include "nontransactional_writes.h"
#include "read_router.h"
#include "replication_log.h"
#include "row_count_literal.h"
#include "sync_replication.h"
#include "temporary_tables.h"

namespace ddb {

struct SessionOptions {
  // Statements whose replay could differ from the master (UUID(), UPDATE ...
  // LIMIT without ORDER BY...): refused when true, run with a warning when
  // false (`unsafe_statements = refuse | warn`).
  bool refuse_unsafe = true;
  // The session runs as its user's own MySQL account (an endpoint session,
  // log_access.h), whose privileges the slaves' query sessions do not
  // have: a read goes to a slave only after the master's MySQL accepted it
  // for this account (a prepare, which checks privileges and runs nothing).
  bool user_account = false;
  // What the master's sessions found about tables in the catalog, shared
  // (nontransactional_writes.h); null: each session asks for itself. Must
  // outlive the session.
  KnownFineTables* known_fine = nullptr;
  // Whether the session may make temporary tables (temporary_tables.h): not
  // one a slave console forwards its writes through, whose reads run on the
  // slave, where the table would not be.
  bool temporary_tables = true;
};

class SqlSession {
 public:
  // `log`, `router` and `sync` must outlive the session; without a router
  // every read runs on the master, without `sync` no write waits for slaves.
  // `open` connects to `endpoint` (a fake in unit tests). `admit`, when
  // given, is called with the account MySQL resolved (CURRENT_USER(), read
  // with the session's state) after each connect and before any statement:
  // an error ends the connection with it.
  using AccountCheck = std::function<Status(const std::string& current_user)>;
  SqlSession(MySqlEndpoint endpoint, ReplicationLog* log, SessionOptions options = {},
             ReadRouter* router = nullptr, SyncReplication* sync = nullptr, SqlOpener open = OpenMySql,
             AccountCheck admit = nullptr);

  // Connects now (else the first statement does), with `database` as the
  // connection's default database ("": none), as a MySQL login names one:
  // MySQL's error when it does not exist or the account may not use it.
  Status Connect(const std::string& database);

  // Runs one statement (no terminator). A statement that committed a record
  // returns once `sync_slaves` slaves applied it (or with a warning).
  // `prepared_text` is the text with placeholders that `sql` fills, when it
  // executes a statement prepared through Describe: a read of one that
  // Describe accepted needs no other privilege check before a slave runs it.
  ExecutionResult Execute(const std::string& sql, const std::string& prepared_text = "");

  // Where LOAD DATA LOCAL INFILE's file comes from (the MySQL endpoint's
  // client); without one such a statement gets MariaDB's error for a client
  // that does not allow local files.
  void SetLocalFileSource(LocalFileSource source) { local_files_ = std::move(source); }
  // Whether an UPDATE's count (the OK packet's, and ROW_COUNT()) is the rows
  // it matched rather than those it changed, as for a MySQL client that
  // connects with CLIENT_FOUND_ROWS (Connector/J does by default). Set
  // before the session connects.
  void CountMatchedRows(bool matched) { count_matched_rows_ = matched; }

  // What a server-side PREPARE of `sql` answers (parameters, result
  // columns) or MySQL's error for it, without running it
  // (sql_session_describe.cpp).
  Status Describe(const std::string& sql, StatementShape* shape);
  // The master MySQL's one-line status (COM_STATISTICS), asked on this
  // session's connection.
  Status ServerStatistics(std::string* text);
  // What the master's MySQL says of a read before a slave runs it: whether
  // this session's account may (a prepare checks privileges and runs
  // nothing) and its result columns with their types. Described once per
  // form (read_form.h) while the database, character set, sql_mode and
  // schema stay; `prepared_text` as in Execute.
  struct ReadDescription {
    bool ok = false;  // false: MySQL refused to prepare it (privileges, syntax)
    StatementShape shape;
  };
  const ReadDescription& DescribeRead(const std::string& sql, const std::string& prepared_text);
  // How this session's server reads quotes (its sql_mode): how a value must
  // be quoted to be read back as itself.
  const LexMode& lex_mode() const { return lex_mode_; }

  const std::string& current_database() const { return database_; }
  bool in_transaction() const { return in_transaction_; }
  bool autocommit() const { return autocommit_; }
  // Seq of the last record this session committed (0: none yet).
  uint64_t last_write_seq() const { return last_write_seq_; }
  // Reads routed to slaves will see at least record `seq`, as if this
  // session had written it: for a session that continues earlier ones
  // (each web request is a fresh session, yet must see the last one's writes).
  void ReadAfter(uint64_t seq) { last_write_seq_ = std::max(last_write_seq_, seq); }
  // CONNECTION_ID() of the session's MySQL connection (0: not connected
  // yet), for a KILL QUERY sent from another connection. The session's
  // thread only, between statements.
  uint64_t connection_id() const { return connection_ ? connection_->session_id().connection_id : 0; }
  // The variable of the SET that keeps this session's reads on the master
  // (a slave's read would not see its effect); empty while reads may route.
  const std::string& reads_pinned_by() const { return reads_pinned_by_; }
  // @@character_set_results as a literal: result columns are described in it.
  const std::string& results_charset() const { return results_charset_; }
  // Counts the DDL statements the master has run (any session): what a
  // statement's result columns are may have changed when it moved.
  uint64_t schema_changes() const { return log_ != nullptr ? log_->ddl_count() : 0; }

 private:
  Status EnsureConnected();
  void DropConnection();
  ExecutionResult Fail(Status status);
  ExecutionResult Dispatch(const std::string& sql);

  ExecutionResult RunRead(const std::string& sql);
  // Whether a read may go to a slave: not inside a transaction, no SET
  // that pinned the session, and the statement itself allows it
  // (read_routing_rules.h).
  bool Routable(const std::string& sql, const ParsedStatement& parsed) const;
  // Whether this session's account may run the read `sql` (always true
  // unless options_.user_account): asked of the master's MySQL by a
  // prepare, before the read goes where other privileges apply.
  bool AccountMayRead(const std::string& sql);
  // The key of `text` in described_; starting described_ over after a DDL
  // (or when full); the entry for `text`, if any; and a fresh description
  // of it, kept (sql_session_describe.cpp).
  std::string DescriptionKey(const std::string& text) const;
  void ForgetStaleDescriptions();
  ReadDescription* KnownDescription(const std::string& text);
  ReadDescription& DescribeExactly(const std::string& text);
  ExecutionResult RunDml(const std::string& sql, const ParsedStatement& parsed);
  ExecutionResult RunDdl(const std::string& sql, const ParsedStatement& parsed);
  // Runs a DDL through ReplicationLog::RunDdl without holding the commit
  // lock while it waits for other sessions' metadata locks.
  Status RunDdlWithoutBlockingCommits(const std::string& sql, const std::string& logged_sql,
                                      int64_t timestamp, const std::vector<SessionSetting>& context,
                                      QueryResult* result, uint64_t* seq);
  ExecutionResult RunBegin(const std::string& sql, const ParsedStatement& parsed);
  ExecutionResult RunCommit(const ParsedStatement& parsed);
  ExecutionResult RunRollback(const std::string& sql, const ParsedStatement& parsed);
  // After COMMIT AND CHAIN or ROLLBACK AND CHAIN: the next transaction is open.
  void OpenChainedTransaction();
  // SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE SAVEPOINT
  // (sql_session_savepoints.cpp).
  ExecutionResult RunSavepoint(const std::string& sql, const ParsedStatement& parsed);
  // Whether the open transaction's logged statements set savepoint `name`
  // (as SavepointName folds it).
  bool PendingSetsSavepoint(const std::string& name) const;
  ExecutionResult RunUse(const std::string& sql);
  ExecutionResult RunSet(const std::string& sql, const ParsedStatement& parsed);
  ExecutionResult RunLocalOnly(const std::string& sql);
  // A statement on this session's temporary tables, which stay on the
  // master: run there alone, never logged (sql_session_temporary.cpp).
  ExecutionResult RunOnTemporaryTables(const std::string& sql, const ParsedStatement& parsed,
                                       const TemporaryTables::Decision& decision);
  // INSERT or REPLACE ... SELECT from temporary tables into tables that
  // replicate: the master runs the SELECT and the statement goes on as
  // INSERT ... VALUES with its rows (insert_select.h).
  ExecutionResult RunWithTemporaryRows(const std::string& sql, const ParsedStatement& parsed,
                                       const TemporaryTables::Decision& decision);
  // Whether `schema`.`table` is a temporary table of this session's server
  // session (false also when it cannot tell).
  bool IsTemporaryOnServer(const std::string& schema, const std::string& table);
  // LOCK TABLES with READ locks only, and UNLOCK TABLES (sql_session_locks.cpp).
  ExecutionResult RunLockTables(const std::string& sql, const ParsedStatement& parsed);

  // SHOW WARNINGS answers what the user's statement left
  // (sql_session_warnings.cpp): SaveWarnings reads the list right after a
  // write that left some, ForgetWarnings stands for a read a slave answered.
  void SaveWarnings(const QueryResult& result);
  void ForgetWarnings();
  static bool IsShowWarnings(const std::vector<Token>& tokens);

  // Logs and commits the open transaction (an implicit commit).
  Status CommitOpenTransaction();
  // The session clock (and RAND() seeds) a write runs with, chosen by the
  // master so NOW() and RAND() here and on replay agree. The seeds are
  // added to `context`.
  struct ReplayClock {
    int64_t micros = 0;
    std::string rand_seeds;  // ", rand_seed1 = a, rand_seed2 = b", or empty
  };
  ReplayClock ChooseClock(bool seed_rand, std::vector<SessionSetting>* context);
  // Pins `clock` on the session. With `zero_last_insert_id`, also sets
  // LAST_INSERT_ID() to 0 (see SettleDuplicateKeyInsertId); with
  // `server_autocommit`, also sets the server session's autocommit to it.
  // One round trip.
  Status PinTimestamp(const ReplayClock& clock, bool zero_last_insert_id = false,
                      std::optional<bool> server_autocommit = std::nullopt);
  // Runs a write with `clock`, in as few round trips as the server allows,
  // inside a transaction on the server (see server_autocommit_).
  // `local_file`: the bytes a LOAD DATA LOCAL reads (local_infile.h).
  Status ExecuteWithClock(const std::string& sql, const ReplayClock& clock, bool zero_last_insert_id,
                          QueryResult* result, const std::string* local_file = nullptr);
  // The client's file for the LOAD DATA LOCAL `tokens`, through
  // local_files_, at most what one log record can carry.
  Status ReceiveLocalFile(const std::vector<Token>& tokens, std::optional<std::string>* file);
  // The server session's autocommit the next statement needs: the user's,
  // or off while the user's transaction is open (see server_autocommit_).
  bool ServerAutocommitWanted() const { return autocommit_ && !in_transaction_; }
  // Brings the server session's autocommit to ServerAutocommitWanted(), and
  // with `unpin_timestamp` its clock back to real time: one round trip when
  // either must change, none otherwise.
  Status PrepareServerSession(bool unpin_timestamp = false);
  // Ends what is open on the server after a failed write (nothing of it
  // was logged). A failure means the connection is gone, which ends it too.
  void RollBackUnlogged();
  // A procedure or compound block that fails part way leaves the writes it
  // made before the error in the transaction (MariaDB undoes only the
  // failing statement), and a failed statement is not logged: in a
  // transaction the client goes on with, they would commit on the master
  // alone. So in a transaction one runs after a savepoint, and a failure
  // rolls back to it: under ddb a CALL is all or nothing, as a statement is
  // (sql_session_programs.cpp).
  Status MarkBeforeProgram();
  // `failure` after the savepoint's rollback: if that fails too (a body
  // ddb could not read ended the transaction), the whole transaction is
  // rolled back and the message says so.
  Status UndoFailedProgram(Status failure);
  // A write that numbered several rows in the order it met them (ids:
  // select_order_ids.h; a user variable: row_order.h): undone, back to
  // MarkBeforeProgram's savepoint in a transaction, and refused for `reason`.
  Status UndoRowsNumberedInMetOrder(const std::string& reason, bool autocommit_statement);
  // What an INSERT ... ON DUPLICATE KEY UPDATE needs to learn whether it
  // generated an AUTO_INCREMENT value.
  struct InsertIdProbe {
    uint64_t before = 0;  // the session's LAST_INSERT_ID() before it ran
    bool zeroed = false;  // LAST_INSERT_ID() was set to 0 for it to run
  };
  Status ReadLastInsertId(uint64_t* value);
  // After such a statement ran: the first value it generated (0: none), and
  // the session's LAST_INSERT_ID() restored if zeroing was all that moved it.
  Status SettleDuplicateKeyInsertId(const InsertIdProbe& probe, uint64_t* generated);
  // Reads what the statement's replay needs from this session before it runs
  // (user variables, LAST_INSERT_ID()), or refuses it as unsafe.
  Status PrepareReplayContext(const ReplayTraits& traits, std::vector<SessionSetting>* context,
                              std::vector<std::string>* warnings);
  // The text the log keeps for `sql`: passwords replaced by their hashes
  // (secret_redaction.h). Refuses a statement whose password cannot be.
  Status TextToLog(const std::string& sql, const std::vector<Token>& tokens, std::string* logged);
  // After a SET that may have pinned or released the session's clock (SET
  // timestamp = ...): whether the server's @@timestamp now stands still,
  // and where (user_timestamp_micros_).
  Status ReadUserTimestamp();
  // Re-reads the session variables that travel with logged statements.
  // With `adopt_autocommit` the server's autocommit becomes the user's too
  // (on connect, and after a SET run while the two agreed).
  Status RefreshSessionState(bool adopt_autocommit = false);
  LoggedStatement MakeLogged(const std::string& sql, int64_t timestamp_micros,
                             std::vector<SessionSetting> context = {}) const;

  const MySqlEndpoint endpoint_;
  ReplicationLog* const log_;
  const SessionOptions options_;
  ReadRouter* const router_;
  SyncReplication* const sync_;
  const SqlOpener open_;
  const AccountCheck admit_;
  LocalFileSource local_files_;
  bool count_matched_rows_ = false;
  std::unique_ptr<SqlConnection> connection_;
  std::string database_;
  // Reads described for this account (by database, results character set
  // and form; prepared texts Describe accepted too), while schema_changes()
  // (a GRANT or REVOKE is a DDL) was `described_epoch_` and the session's
  // settings stayed; and the prepared text of the statement Execute runs now.
  std::unordered_map<std::string, ReadDescription> described_;
  uint64_t described_epoch_ = 0;
  ReadDescription not_described_;  // what DescribeExactly answers when the connection is lost
  std::string executing_prepared_;
  // CURRENT_USER() of the connection, as read (app@%) and quoted
  // (`app`@`%`): the definer a logged CREATE VIEW/PROCEDURE/... names
  // (explicit_definer.h).
  std::string current_user_;
  std::string account_;
  std::optional<std::string> current_role_;  // CURRENT_ROLE(); none: NULL
  std::vector<SessionSetting> settings_;
  LexMode lex_mode_;  // how this session's server reads quotes (its sql_mode)
  // The user's autocommit and transaction, as MySQL would report them.
  bool autocommit_ = true;
  bool in_transaction_ = false;
  // The server session's own @@autocommit, which may be off while the
  // user's is on: a transaction opens on the server with its first
  // statement, so a BEGIN costs no round trip of its own, and an autocommit
  // write needs no SET before it (the log row's CALL commits it). It stays
  // off after the commit; the first statement that must see the user's
  // setting (a read, SET, DDL...) turns it on again, in a round trip it
  // shares with the clock's reset where it can.
  bool server_autocommit_ = true;
  std::vector<LoggedStatement> pending_;  // statements of the open transaction
  // A statement may have left user variables in the server session: from
  // now on every write carries all of them (session_user_variables.h).
  bool may_hold_user_variables_ = false;
  NontransactionalWrites nontransactional_;
  // ddb set the server's timestamp for a write (PinTimestamp) and must set
  // it back before a statement that runs with the session's own clock.
  bool timestamp_pinned_ = false;
  // The timestamp the user pinned with SET timestamp = ..., as MariaDB keeps
  // it until SET timestamp = DEFAULT: writes run and replay with it, as
  // NOW() reads it. None: the session follows the clock.
  std::optional<int64_t> user_timestamp_micros_;
  uint64_t last_write_seq_ = 0;
  std::string reads_pinned_by_;
  // LOCK TABLES ... READ holds tables on the master: reads stay there (a
  // slave holds no lock) until UNLOCK TABLES.
  bool tables_locked_ = false;
  // The temporary tables this session made on the master.
  TemporaryTables temporary_tables_;
  // The affected rows of the user's last statement when it was a write,
  // for a ROW_COUNT() in the next one (row_count_literal.h).
  std::optional<int64_t> last_row_count_;
  // The rows of the user's last statement when a slave answered it, for a
  // FOUND_ROWS() in the next one.
  std::optional<int64_t> last_found_rows_;
  // What SHOW WARNINGS answers after the statement that set it; empty: ask
  // the session's server.
  std::optional<QueryResult> saved_warnings_;
  // @@character_set_results as a literal ('utf8mb4', NULL...): routed reads
  // carry it, so a slave answers in the client's character set.
  std::string results_charset_ = "'utf8mb4'";
};

}  // namespace ddb
