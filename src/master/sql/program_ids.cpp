#include "program_ids.h"

#include <algorithm>
#include <cctype>

#include "statement_policy.h"

namespace ddb {
namespace {

constexpr std::string_view kInsertModifiers[] = {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"};
constexpr std::string_view kPrograms[] = {"TRIGGER", "FUNCTION", "PROCEDURE", "PACKAGE"};

template <typename Words>
bool IsAnyKeyword(const Token& token, const Words& words) {
  return std::any_of(std::begin(words), std::end(words),
                     [&](std::string_view w) { return IsKeyword(token, w); });
}

std::string Qualified(const TableName& name) {
  return name.schema.empty() ? name.table : name.schema + "." + name.table;
}

std::vector<TableName> Resolved(std::vector<TableName> names, const std::string& schema) {
  for (TableName& name : names) {
    if (name.schema.empty()) name.schema = schema;
  }
  std::erase_if(names, [](const TableName& name) { return name.schema.empty(); });
  return names;
}

constexpr const char* kWhy =
    "ids generated inside a trigger, stored function, procedure or compound block come from each "
    "server's own counter, which rolled-back inserts and concurrent transactions move differently on "
    "the master, so a slave would store other ids (ddb logs the CALL or the statement that reached the "
    "program, not the program's statements with their ids); even an explicit id in the body generates one "
    "when it is NULL";

// The body's INSERTs into tables with an AUTO_INCREMENT column.
Status CheckBody(SqlConnection& connection, const std::vector<Token>& tokens, const std::string& schema,
                 const std::string& what) {
  const std::vector<TableName> targets = Resolved(InsertTargets(tokens), schema);
  if (targets.empty()) return Status::Ok();
  std::string sql =
      "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS "
      "WHERE EXTRA LIKE '%auto_increment%' AND (";
  std::vector<SqlParam> params;
  for (const TableName& target : targets) {
    sql += params.empty() ? "" : " OR ";
    sql += "(TABLE_SCHEMA = ? AND TABLE_NAME = ?)";
    params.emplace_back(target.schema);
    params.emplace_back(target.table);
  }
  sql += ") LIMIT 1";
  QueryResult found;
  if (Status s = connection.ExecuteWithParams(sql, params, &found); !s.ok()) return s;
  if (found.rows.empty()) return Status::Ok();
  const auto& row = found.rows[0];
  return Status::Refused(
      what + " inserts into " + row[0].value_or("") + "." + row[1].value_or("") + ", whose " +
      row[2].value_or("") + " is AUTO_INCREMENT: " + kWhy +
      "; drop AUTO_INCREMENT from the column (the body then gives each row its key), or run the INSERT "
      "from the client, whose generated ids ddb logs (nothing was changed)");
}

// CREATE or ALTER TABLE giving `table` an AUTO_INCREMENT column while a
// trigger or routine inserts into it.
Status CheckTable(SqlConnection& connection, const TableName& table, LexMode mode) {
  QueryResult programs;
  Status s = connection.ExecuteWithParams(
      "SELECT 'trigger', TRIGGER_SCHEMA, TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS "
      "WHERE LOCATE(?, ACTION_STATEMENT) > 0 UNION ALL "
      "SELECT LOWER(ROUTINE_TYPE), ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_DEFINITION FROM "
      "information_schema.ROUTINES "
      "WHERE LOCATE(?, ROUTINE_DEFINITION) > 0",
      {table.table, table.table}, &programs);
  if (!s.ok()) return s;
  for (const auto& row : programs.rows) {
    const std::string body = row[3].value_or("");
    const std::vector<TableName> targets =
        Resolved(InsertTargets(Tokenize(body, false, mode)), row[1].value_or(""));
    if (std::find(targets.begin(), targets.end(), table) == targets.end()) continue;
    return Status::Refused(row[0].value_or("") + " " + row[1].value_or("") + "." + row[2].value_or("") +
                           " inserts into " + Qualified(table) +
                           ", so an AUTO_INCREMENT column there would have " + kWhy +
                           "; drop or change the " + row[0].value_or("") + " first (nothing was changed)");
  }
  return Status::Ok();
}

// The index after "WAIT n" or "NOWAIT" at tokens[at], or `at`.
size_t SkipWait(const std::vector<Token>& tokens, size_t at) {
  if (at < tokens.size() && IsKeyword(tokens[at], "NOWAIT")) return at + 1;
  if (at + 1 < tokens.size() && IsKeyword(tokens[at], "WAIT")) return at + 2;
  return at;
}

// A table whose columns arrive under another name.
struct NewName {
  TableName source;
  TableName target;
};

// RENAME TABLE a TO b[, c TO d...]: MariaDB's form, IF EXISTS and WAIT included.
std::vector<NewName> RenamePairs(const std::vector<Token>& tokens) {
  std::vector<NewName> pairs;
  size_t at = 2;
  while (true) {
    NewName pair;
    if (!ReadTableName(tokens, SkipIfExists(tokens, at), &pair.source, &at)) break;
    at = SkipWait(tokens, at);
    if (at >= tokens.size() || !IsKeyword(tokens[at], "TO")) break;
    if (!ReadTableName(tokens, at + 1, &pair.target, &at)) break;
    pairs.push_back(std::move(pair));
    if (at >= tokens.size() || !IsOperator(tokens[at], ",")) break;
    ++at;
  }
  return pairs;
}

// ALTER TABLE a ... RENAME [TO | AS] b (not RENAME COLUMN, INDEX or KEY).
std::vector<NewName> AlterRenamePairs(const std::vector<Token>& tokens) {
  NewName pair;
  size_t at = 0;
  if (!NameAfter(tokens, "TABLE", &pair.source, &at)) return {};
  for (; at < tokens.size(); ++at) {
    if (!IsKeyword(tokens[at], "RENAME") || at + 1 >= tokens.size()) continue;
    size_t name = at + 1;
    if (IsKeyword(tokens[name], "COLUMN") || IsKeyword(tokens[name], "INDEX") ||
        IsKeyword(tokens[name], "KEY")) {
      continue;
    }
    if (IsKeyword(tokens[name], "TO") || IsKeyword(tokens[name], "AS")) ++name;
    if (ReadTableName(tokens, name, &pair.target)) return {pair};
  }
  return {};
}

// CREATE TABLE b LIKE a, CREATE TABLE b (LIKE a): b gets a's AUTO_INCREMENT.
std::vector<NewName> LikePairs(const std::vector<Token>& tokens) {
  NewName pair;
  size_t at = 0;
  if (!NameAfter(tokens, "TABLE", &pair.target, &at)) return {};
  if (at < tokens.size() && IsOperator(tokens[at], "(")) ++at;
  if (at >= tokens.size() || !IsKeyword(tokens[at], "LIKE")) return {};
  if (!ReadTableName(tokens, at + 1, &pair.source)) return {};
  return {pair};
}

// Statements that give a table's columns, AUTO_INCREMENT included, a name
// without writing AUTO_INCREMENT: RENAME, ALTER ... RENAME, CREATE ... LIKE.
std::vector<NewName> TablesTakingNewNames(const StatementInfo& info, const std::vector<Token>& tokens) {
  if (info.kind != StatementKind::kDdl || (info.object != "TABLE" && info.object != "TABLES")) return {};
  if (info.verb == "RENAME") return RenamePairs(tokens);
  if (info.verb == "ALTER") return AlterRenamePairs(tokens);
  if (info.verb == "CREATE") return LikePairs(tokens);
  return {};
}

Status HasAutoIncrement(SqlConnection& connection, const TableName& table, bool* has) {
  QueryResult found;
  Status s = connection.ExecuteWithParams(
      "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
      "AND EXTRA LIKE '%auto_increment%' LIMIT 1",
      {table.schema, table.table}, &found);
  *has = s.ok() && !found.rows.empty();
  return s;
}

// Refused when a table with an AUTO_INCREMENT column would take the name of
// a table a program inserts into.
Status CheckNewNames(SqlConnection& connection, std::vector<NewName> pairs,
                     const std::string& current_database, LexMode mode) {
  for (NewName& pair : pairs) {
    for (TableName* name : {&pair.source, &pair.target}) {
      if (name->schema.empty()) name->schema = current_database;
    }
    if (pair.source.schema.empty() || pair.target.schema.empty()) continue;  // fails on its own
    bool has = false;
    if (Status s = HasAutoIncrement(connection, pair.source, &has); !s.ok()) return s;
    if (!has) continue;
    if (Status s = CheckTable(connection, pair.target, mode); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

std::vector<TableName> InsertTargets(const std::vector<Token>& tokens) {
  std::vector<TableName> targets;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!IsKeyword(tokens[i], "INSERT") && !IsKeyword(tokens[i], "REPLACE")) continue;
    size_t at = i + 1;
    while (at < tokens.size() && IsAnyKeyword(tokens[at], kInsertModifiers)) ++at;
    if (at < tokens.size() && IsKeyword(tokens[at], "INTO")) ++at;
    // Not a statement: a trigger's event (INSERT ON t), a privilege (GRANT
    // INSERT, UPDATE ON), the string functions INSERT(...) and REPLACE(...).
    if (at >= tokens.size() || IsKeyword(tokens[at], "ON")) continue;
    TableName target;
    if (ReadTableName(tokens, at, &target) &&
        std::find(targets.begin(), targets.end(), target) == targets.end()) {
      targets.push_back(std::move(target));
    }
  }
  return targets;
}

std::string ProgramSchema(const std::vector<Token>& tokens, const std::string& current_database) {
  for (size_t i = 1; i < tokens.size(); ++i) {
    if (!IsAnyKeyword(tokens[i], kPrograms)) continue;
    TableName name;
    size_t after = 0;
    if (!ReadTableName(tokens, SkipIfExists(tokens, i + 1), &name, &after)) break;
    if (!name.schema.empty()) return name.schema;
    if (IsKeyword(tokens[i], "TRIGGER")) {  // CREATE TRIGGER t ... ON schema.table
      TableName table;
      for (size_t j = after; j < tokens.size(); ++j) {
        if (IsKeyword(tokens[j], "ON") && ReadTableName(tokens, j + 1, &table)) {
          return table.schema.empty() ? current_database : table.schema;
        }
      }
    }
    break;
  }
  return current_database;
}

Status CheckIdsInPrograms(SqlConnection& connection, const ParsedStatement& statement,
                          const std::string& current_database, LexMode mode) {
  const StatementInfo& info = statement.info;
  const std::vector<Token>& tokens = statement.tokens;
  if (info.kind == StatementKind::kDdl && info.verb == "CREATE" &&
      std::find(std::begin(kPrograms), std::end(kPrograms), info.object) != std::end(kPrograms)) {
    std::string what = "the " + info.object + "'s body";
    std::transform(what.begin(), what.end(), what.begin(), [](unsigned char c) { return std::tolower(c); });
    return CheckBody(connection, tokens, ProgramSchema(tokens, current_database), what);
  }
  if (info.kind == StatementKind::kDml && IsCompoundVerb(info.verb)) {
    return CheckBody(connection, tokens, current_database, "the compound block");
  }
  // Every statement passes here: only a table's DDL pays for the scans.
  if (info.kind != StatementKind::kDdl || (info.object != "TABLE" && info.object != "TABLES")) {
    return Status::Ok();
  }
  if (std::vector<NewName> pairs = TablesTakingNewNames(info, tokens); !pairs.empty()) {
    if (Status s = CheckNewNames(connection, std::move(pairs), current_database, mode); !s.ok()) return s;
  }
  if (info.verb != "CREATE" && info.verb != "ALTER") return Status::Ok();
  if (std::none_of(tokens.begin(), tokens.end(),
                   [](const Token& t) { return IsKeyword(t, "AUTO_INCREMENT"); })) {
    return Status::Ok();
  }
  TableName table;
  if (!NameAfter(tokens, "TABLE", &table)) return Status::Ok();
  if (table.schema.empty()) table.schema = current_database;
  if (table.schema.empty()) return Status::Ok();  // fails on its own: no database selected
  return CheckTable(connection, table, mode);
}

}  // namespace ddb
