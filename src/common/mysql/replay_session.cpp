#include "ddb/mysql/replay_session.h"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "ddb/sql/sql_lexer.h"

namespace ddb {
namespace {

// Statements that run a program's body: a procedure, or a compound block.
constexpr std::string_view kProgramVerbs[] = {"CALL", "BEGIN",  "IF",    "CASE",
                                              "LOOP", "REPEAT", "WHILE", "FOR"};

bool Carries(const LoggedStatement& statement, std::string_view name) {
  for (const SessionSetting& setting : statement.settings) {
    if (setting.name == name) return true;
  }
  return false;
}

}  // namespace

const std::vector<ReplicatedVariable>& ReplicatedVariables() {
  static const std::vector<ReplicatedVariable> kVariables = {
      {"sql_mode", false},
      {"time_zone", false},
      {"character_set_client", false},
      {"collation_connection", false},
      {"foreign_key_checks", true},
      {"unique_checks", true},
      {"auto_increment_increment", true},
      {"auto_increment_offset", true},
      {"div_precision_increment", true},
      {"default_storage_engine", false},
      // What these change: month and day names (lc_time_names), a CREATE
      // DATABASE's character set (collation_server), GROUP_CONCAT's cut,
      // WEEK()'s mode, reads of system-versioned tables, whether CHECK
      // constraints and `id IS NULL` after an insert apply, TIMESTAMP
      // columns' defaults, REGEXP's flags, how far long strings sort, what
      // utf8 means (old_mode), whether a bad CREATE TABLE option is an error,
      // and where a recursive CTE stops.
      {"lc_time_names", false, "'en_US'"},
      {"collation_server", false, "'latin1_swedish_ci'"},
      {"group_concat_max_len", true, "1048576"},
      {"default_week_format", true, "0"},
      {"system_versioning_asof", false, "DEFAULT"},
      {"check_constraint_checks", true, "1"},
      {"sql_auto_is_null", true, "0"},
      {"explicit_defaults_for_timestamp", true, "1"},
      {"default_regex_flags", false, "''"},
      {"max_sort_length", true, "1024"},
      {"old_mode", false, "'UTF8_IS_UTF8MB3'"},
      {"innodb_strict_mode", true, "1"},
      {"max_recursive_iterations", true, "1000"},
      {"old_passwords", true, "0"},  // which hash PASSWORD() gives
      // Where a replay would fail instead: a procedure calling itself, an
      // ALTER of a system-versioned table, an INSERT of its history rows,
      // an ALTER/RENAME/DROP of a missing object run as IF EXISTS. Not in
      // log_record.cpp's numbered names: spelled out, they reach older
      // slaves as settings those apply too.
      {"max_sp_recursion_depth", true, "0"},
      {"system_versioning_alter_history", false, "'ERROR'"},
      {"system_versioning_insert_history", true, "0"},
      {"sql_if_exists", true, "0"},
  };
  return kVariables;
}

std::string ReplicatedVariableLiteral(const ReplicatedVariable& variable, const std::string& value) {
  if (variable.numeric && !value.empty()) return value;
  if (std::string_view(variable.name) == "system_versioning_asof" && value == "DEFAULT") return value;
  return QuoteString(value);
}

std::string SelectReplicatedVariablesSql() {
  std::string sql = "SELECT ";
  bool first = true;
  for (const ReplicatedVariable& variable : ReplicatedVariables()) {
    if (!first) sql += ", ";
    first = false;
    sql += std::string("@@session.") + variable.name;
  }
  return sql;
}

bool IsPerStatementSetting(const std::string& name) {
  return !name.empty() && (name[0] == '@' || name == "insert_id" || name == "last_insert_id" ||
                           name == "rand_seed1" || name == "rand_seed2");
}

namespace {

bool Renames(std::string_view sql) {
  SqlLexer lexer(sql);
  for (Token token = lexer.Next(); token.kind != TokenKind::kEnd; token = lexer.Next()) {
    if (IsKeyword(token, "RENAME")) return true;
  }
  return false;
}

}  // namespace

bool IsAlreadyAppliedDdlError(int code, std::string_view sql) {
  switch (code) {
    case 1007:  // ER_DB_CREATE_EXISTS
    case 1008:  // ER_DB_DROP_EXISTS (database doesn't exist)
    case 1050:  // ER_TABLE_EXISTS_ERROR
    case 1051:  // ER_BAD_TABLE_ERROR (unknown table on DROP)
    case 1060:  // ER_DUP_FIELDNAME (column added already)
    case 1061:  // ER_DUP_KEYNAME (index added already)
    case 1091:  // ER_CANT_DROP_FIELD_OR_KEY (dropped already)
    case 1304:  // ER_SP_ALREADY_EXISTS
    case 1305:  // ER_SP_DOES_NOT_EXIST
    case 1359:  // ER_TRG_ALREADY_EXISTS
    case 1360:  // ER_TRG_DOES_NOT_EXIST
    case 1396:  // ER_CANNOT_USER (create/drop user that exists/doesn't)
    case 4090:  // ER_UNKNOWN_VIEW (MariaDB)
      return true;
    case 1146:  // ER_NO_SUCH_TABLE: renamed away already
      return Renames(sql);
    default: return false;
  }
}

std::string TimestampLiteral(int64_t micros) {
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%lld.%06lld", static_cast<long long>(micros / 1000000),
                static_cast<long long>(micros % 1000000));
  return buffer;
}

ReplaySession::ReplaySession(SqlConnection& connection) : connection_(connection) {}

std::string ReplaySession::ContextAssignments(const LoggedStatement& statement, bool with_clock) const {
  std::string assignments;
  auto add = [&assignments](const std::string& assignment) {
    assignments += (assignments.empty() ? "" : ", ") + assignment;
  };
  for (const SessionSetting& setting : statement.settings) {
    if (IsPerStatementSetting(setting.name)) {
      // Without the clock, the statement's SET STATEMENT carries insert_id
      // (see AppendToBatch).
      if (!with_clock && setting.name == "insert_id") continue;
      // insert_id, seeds and user variables are consumed or changed by the
      // statement itself: always send them.
      add((setting.name[0] == '@' ? setting.name : "@@session." + setting.name) + " = " + setting.value);
      continue;
    }
    auto it = settings_.find(setting.name);
    if (it != settings_.end() && it->second == setting.value) continue;
    add("@@session." + setting.name + " = " + setting.value);
  }
  for (const ReplicatedVariable& variable : ReplicatedVariables()) {
    if (variable.usual == nullptr || Carries(statement, variable.name)) continue;
    auto it = settings_.find(variable.name);
    if (it != settings_.end() && it->second == variable.usual) continue;
    add(std::string("@@session.") + variable.name + " = " + variable.usual);
  }
  if (with_clock && statement.timestamp_micros != 0 && statement.timestamp_micros != timestamp_micros_) {
    add("@@session.timestamp = " + TimestampLiteral(statement.timestamp_micros));
  }
  for (const std::string& clearing : variables_.Clearing(statement)) add(clearing);
  return assignments;
}

void ReplaySession::RememberContext(const LoggedStatement& statement, bool with_clock) {
  for (const SessionSetting& setting : statement.settings) {
    if (!IsPerStatementSetting(setting.name)) settings_[setting.name] = setting.value;
  }
  for (const ReplicatedVariable& variable : ReplicatedVariables()) {
    if (variable.usual != nullptr && !Carries(statement, variable.name))
      settings_[variable.name] = variable.usual;
  }
  if (with_clock && statement.timestamp_micros != 0) timestamp_micros_ = statement.timestamp_micros;
  variables_.Set(statement);
}

Status ReplaySession::SetContext(const LoggedStatement& statement) {
  if (!statement.default_database.empty() && statement.default_database != database_) {
    if (Status s = connection_.Execute("USE " + QuoteIdentifier(statement.default_database)); !s.ok()) {
      // The database may be created by this very statement (or dropped by an
      // earlier one); run without a default like the master would have.
      if (s.code() != Status::Code::kMySql || s.mysql_error_code() != 1049) return s;
    } else {
      database_ = statement.default_database;
    }
  }
  const std::string assignments = ContextAssignments(statement, /*with_clock=*/true);
  if (assignments.empty()) return Status::Ok();
  if (Status s = connection_.Execute("SET " + assignments); !s.ok()) return s;
  RememberContext(statement, /*with_clock=*/true);
  return Status::Ok();
}

Status ReplaySession::Execute(const LoggedStatement& statement, QueryResult* result) {
  if (Status s = SetContext(statement); !s.ok()) return s;
  Status s = statement.local_file
                 ? connection_.ExecuteWithLocalFile(statement.sql, *statement.local_file, result)
                 : connection_.Execute(statement.sql, result);
  // A procedure may SET session variables that outlive it: what this
  // session remembers as set is no longer known (the master reads its own
  // session again after a CALL, so the next statements carry the values).
  const Token first = SqlLexer(statement.sql).Next();
  if (IsKeyword(first, "CALL")) Forget();
  // So may a program's body SET user variables; those found here are
  // cleared before the next statement that does not carry them. (Should
  // the question fail, the statement's own outcome is what counts.)
  const bool program = std::any_of(std::begin(kProgramVerbs), std::end(kProgramVerbs),
                                   [&](std::string_view verb) { return IsKeyword(first, verb); });
  if (program) static_cast<void>(variables_.Learn(connection_));
  // DROP DATABASE of the session's database leaves it without one (so may
  // a block's body): the next statement that names it must USE it again,
  // or it would run with none (MariaDB: "No database selected").
  if (program || IsKeyword(first, "DROP")) database_.clear();
  return s;
}

namespace {

bool ChangesQuoting(const std::string& sql_mode) {
  return sql_mode.find("ANSI_QUOTES") != std::string::npos ||
         sql_mode.find("NO_BACKSLASH_ESCAPES") != std::string::npos ||
         sql_mode.find("ANSI'") != std::string::npos || sql_mode.find("ANSI,") != std::string::npos;
}

}  // namespace

bool ReplaySession::Batchable(const LoggedStatement& statement) const {
  // Its file is served to the one statement that asks for it.
  if (statement.local_file) return false;
  auto current = settings_.find("sql_mode");
  if (current == settings_.end() || ChangesQuoting(current->second)) return false;
  for (const SessionSetting& setting : statement.settings) {
    if (setting.name == "sql_mode" && ChangesQuoting(setting.value)) return false;
  }
  // A ';' of its own (a trailing terminator a driver sent) would end the
  // statement early in a batch, or leave an empty one. A CALL answers with
  // a result per SELECT inside it, and a batch counts one per statement.
  SqlLexer lexer(statement.sql);
  Token token = lexer.Next();
  if (token.kind == TokenKind::kEnd || IsKeyword(token, "CALL")) return false;
  for (; token.kind != TokenKind::kEnd; token = lexer.Next()) {
    if (token.kind == TokenKind::kSemicolon) return false;
  }
  return true;
}

void ReplaySession::AppendToBatch(const LoggedStatement& statement, std::string* batch) {
  if (!statement.default_database.empty() && statement.default_database != database_) {
    *batch += "USE " + QuoteIdentifier(statement.default_database) + ";\n";
    database_ = statement.default_database;
  }
  // The clock rides in the statement itself (SET STATEMENT, as the master
  // ran it): a statement and an answer fewer per record, which is most of a
  // slave's work in catch-up. Not around a SET, whose own assignments the
  // wrapper would undo when they name the clock.
  const bool clock_in_statement =
      statement.timestamp_micros != 0 && !IsKeyword(SqlLexer(statement.sql).Next(), "SET");
  if (const std::string assignments = ContextAssignments(statement, !clock_in_statement);
      !assignments.empty()) {
    *batch += "SET " + assignments + ";\n";
    RememberContext(statement, !clock_in_statement);
  }
  // SET STATEMENT restores the session's timestamp afterwards: what this
  // session remembers as pinned stays true. insert_id rides along (one
  // statement fewer per INSERT): the statement consumes it either way, and
  // it is back to 0 after.
  if (clock_in_statement) {
    *batch += "SET STATEMENT ";
    for (const SessionSetting& setting : statement.settings) {
      if (setting.name == "insert_id") *batch += "insert_id = " + setting.value + ", ";
    }
    *batch += "timestamp = " + TimestampLiteral(statement.timestamp_micros) + " FOR ";
  }
  *batch += statement.sql;
  *batch += "\n;\n";
}

void ReplaySession::Forget() {
  database_.clear();
  settings_.clear();
  timestamp_micros_ = -1;
  variables_.Unknown();
}

}  // namespace ddb
