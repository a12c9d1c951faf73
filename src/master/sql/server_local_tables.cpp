#include "server_local_tables.h"

#include <algorithm>
#include <vector>

#include "ddb/base/word_list.h"
#include "ddb/sql/sql_lexer.h"
#include "written_tables.h"

namespace ddb {
namespace {

constexpr std::string_view kServerLocalSchemas[] = {"MYSQL", "INFORMATION_SCHEMA", "PERFORMANCE_SCHEMA",
                                                    "SYS"};

// CREATEs whose statement or body reads tables into data that every slave
// makes again (a view is a read: where it is answered, it reads that node's).
constexpr std::string_view kObjectsThatRead[] = {"TABLE", "TRIGGER", "PROCEDURE", "FUNCTION", "PACKAGE"};

bool IsServerLocalSchema(std::string_view name) { return Contains(kServerLocalSchemas, AsciiUpper(name)); }

// Whether t[i] declares an alias: `AS name`, or a name or ')' then a name
// that no '.' follows (FROM systems sys, (SELECT ...) sys).
bool DeclaresAlias(const std::vector<Token>& t, size_t i) {
  if (i == 0 || (i + 1 < t.size() && IsOperator(t[i + 1], "."))) return false;
  const Token& before = t[i - 1];
  return IsKeyword(before, "AS") || IsOperator(before, ")") ||
         (IsName(before) && !IsKeyword(before, "FROM") && !IsKeyword(before, "JOIN") &&
          !IsKeyword(before, "INTO") && !IsKeyword(before, "UPDATE") && !IsKeyword(before, "TABLE"));
}

bool IsAliasIn(const std::vector<Token>& t, std::string_view name) {
  const std::string upper = AsciiUpper(name);
  for (size_t i = 0; i < t.size(); ++i) {
    if (IsName(t[i]) && AsciiUpper(TokenValue(t[i])) == upper && DeclaresAlias(t, i)) return true;
  }
  return false;
}

bool WritesMysqlSchema(const ParsedStatement& statement) {
  const std::vector<TableName> written = WrittenTables(statement);
  return std::any_of(written.begin(), written.end(),
                     [](const TableName& table) { return AsciiUpper(table.schema) == "MYSQL"; });
}

}  // namespace

std::string ServerLocalTableIn(const std::vector<Token>& t) {
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    if (!IsName(t[i]) || !IsOperator(t[i + 1], ".") || !IsName(t[i + 2])) continue;
    if (i > 0 && IsOperator(t[i - 1], ".")) continue;  // db.table.column: t[i] is a table
    const std::string schema = TokenValue(t[i]);
    if (IsServerLocalSchema(schema) && !IsAliasIn(t, schema)) return schema + "." + TokenValue(t[i + 2]);
  }
  return "";
}

std::string RefuseServerLocalTables(const ParsedStatement& statement, std::string_view database) {
  const StatementInfo& info = statement.info;
  const bool dml = info.kind == StatementKind::kDml;
  if (!dml && !(info.kind == StatementKind::kDdl && info.verb == "CREATE" &&
                Contains(kObjectsThatRead, info.object))) {
    return "";
  }
  if (dml && IsServerLocalSchema(database)) {
    return "the default database is " + std::string(database) +
           ", whose tables each server keeps for itself, so a slave replaying this write would not do what "
           "the master did; USE your own database first (nothing was changed)";
  }
  const std::string table = ServerLocalTableIn(statement.tokens);
  if (table.empty()) return "";
  if (dml && WritesMysqlSchema(statement)) {
    return "ddb does not replicate direct writes to the mysql schema; use CREATE USER, GRANT and the like";
  }
  return table +
         " is this server's own (each node's rows differ), so a slave replaying this statement would "
         "read its own; SELECT from it first and write the values (nothing was changed)";
}

}  // namespace ddb
