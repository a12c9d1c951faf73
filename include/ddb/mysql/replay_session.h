// ReplaySession: runs logged statements on a MySQL session with the context
// the master ran them in (default database, session variables, timestamp).
//
// It remembers what it last set, so a run of statements from one master
// session costs one extra round trip only when the context changes (the
// timestamp changes for nearly every statement, so in practice one `SET`).
// Used by the slave's applier and by the master's recovery of a pending DDL.
#pragma once

#include <map>
#include <string>

#include "ddb/base/log_record.h"
#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/mysql/replay_user_variables.h"

namespace ddb {

class ReplaySession {
 public:
  // `connection` must outlive this object; after reconnecting, make a new one.
  explicit ReplaySession(SqlConnection& connection);

  Status Execute(const LoggedStatement& statement, QueryResult* result = nullptr);

  // Whether `statement` may travel in a multi-statement batch: not a LOAD
  // DATA LOCAL (its file goes with it alone), and not when its
  // sql_mode (or the session's now) makes the server read quotes or
  // backslashes differently from how ddb joins statements (ANSI_QUOTES,
  // NO_BACKSLASH_ESCAPES).
  bool Batchable(const LoggedStatement& statement) const;
  // Appends to `batch` the statements that set `statement`'s context and
  // the statement itself (its timestamp in a SET STATEMENT around it), each ended by a newline and ';' (a
  // trailing `--` comment ends at the newline), as Execute would run them, and remembers that context as set.
  // For a connection opened with multi_statements; if the batch fails, call Forget().
  void AppendToBatch(const LoggedStatement& statement, std::string* batch);
  // Forgets what was set: after a failed batch the session's context is
  // unknown, so the next statement sets all of it again.
  void Forget();

 private:
  Status SetContext(const LoggedStatement& statement);
  // The SET that gives `statement` its context ("" when nothing changes);
  // without the timestamp and insert_id when the statement carries them
  // itself (SET STATEMENT ... FOR).
  std::string ContextAssignments(const LoggedStatement& statement, bool with_clock) const;
  void RememberContext(const LoggedStatement& statement, bool with_clock);

  SqlConnection& connection_;
  std::string database_;
  std::map<std::string, std::string> settings_;
  int64_t timestamp_micros_ = -1;
  ReplayUserVariables variables_;
};

// The session variables whose value changes what a statement does, and so
// travel with the logged statements. Numeric ones are sent unquoted.
struct ReplicatedVariable {
  const char* name;
  bool numeric;
  // Those sessions seldom change (lc_time_names, group_concat_max_len...)
  // travel only when they differ from MariaDB's own default, this literal;
  // a replay of a statement without one sets it to this. nullptr: travels
  // with every statement.
  const char* usual = nullptr;
};
const std::vector<ReplicatedVariable>& ReplicatedVariables();

// How `value`, as SELECT @@session.<variable> reads it, is written in a SET:
// numbers bare, strings quoted, system_versioning_asof's DEFAULT as the
// keyword (the string 'DEFAULT' is no point in time).
std::string ReplicatedVariableLiteral(const ReplicatedVariable& variable, const std::string& value);

// Settings that belong to one statement rather than to the session:
// insert_id, last_insert_id, rand_seed1/2 and user variables ("@name").
bool IsPerStatementSetting(const std::string& name);

// "SELECT @@session.sql_mode, ..." in ReplicatedVariables() order.
std::string SelectReplicatedVariablesSql();

// Whether `mysql_error_code`, met re-executing the DDL `sql`, means its
// effect is already there ("table exists", "unknown table" on DROP...). The
// idempotency rule shared by the master's recovery of a pending DDL and the
// slave's replay after a crash. "No such table" counts only for a DDL that
// renames (its old name is gone once it ran): for any other it means the
// DDL could never run (CREATE ... SELECT from a missing table).
bool IsAlreadyAppliedDdlError(int mysql_error_code, std::string_view sql);

// SET TIMESTAMP value for `micros`: "1700000000.123456".
std::string TimestampLiteral(int64_t micros);

}  // namespace ddb
