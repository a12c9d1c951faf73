#include "write_reach.h"

#include <map>
#include <set>

#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/sql_lexer.h"
#include "written_tables.h"

namespace ddb {
namespace {

using TableKey = std::pair<std::string, std::string>;  // (schema, table)

std::string Quoted(const TableKey& key) {
  return QuoteIdentifier(key.first) + "." + QuoteIdentifier(key.second);
}

bool IsName(const std::vector<Token>& t, size_t i) {
  return i < t.size() && (t[i].kind == TokenKind::kQuotedIdentifier || t[i].kind == TokenKind::kWord);
}
bool IsDot(const std::vector<Token>& t, size_t i) {
  return i < t.size() && t[i].kind == TokenKind::kOperator && t[i].text == ".";
}

// Every `a`.`b` of a view's definition, and the first two parts of every
// `a`.`b`.`c`: MariaDB stores a view with its tables qualified, so these
// hold every table it reads. Columns written `t`.`c` come along too; such a
// pair names no table, or one the view reads anyway.
std::vector<TableKey> QualifiedNames(const std::string& definition) {
  const std::vector<Token> t = Tokenize(definition);
  std::vector<TableKey> names;
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    if ((i > 0 && IsDot(t, i - 1)) || !IsName(t, i) || !IsDot(t, i + 1) || !IsName(t, i + 2)) continue;
    names.emplace_back(TokenValue(t[i]), TokenValue(t[i + 2]));
  }
  return names;
}

// What one trigger body writes, unqualified names in the trigger's schema.
std::vector<TableKey> WrittenByTrigger(const std::string& schema, const std::string& body) {
  std::vector<TableKey> names;
  // TablesWrittenInBody looks past the statement's first token (the
  // CREATE of a program); a trigger's body may start with its write.
  for (const TableName& name : TablesWrittenInBody(Tokenize("BEGIN " + body))) {
    names.emplace_back(name.schema.empty() ? schema : name.schema, name.table);
  }
  return names;
}

// One round trip for a level: each table's type and engine, each view's
// definition and each table's trigger bodies, rows tagged T, V and G. An
// equality on both names lets MariaDB open just those tables.
Status AskCatalog(SqlConnection& connection, const std::vector<TableKey>& tables, QueryResult* rows) {
  std::string sql;
  std::vector<SqlParam> params;
  auto add = [&](const char* select) {
    for (const auto& [schema, table] : tables) {
      sql += sql.empty() ? "" : " UNION ALL ";
      sql += select;
      params.emplace_back(schema);
      params.emplace_back(table);
    }
  };
  add("SELECT 'T', TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_TYPE FROM information_schema.TABLES WHERE "
      "TABLE_SCHEMA = ? AND TABLE_NAME = ?");
  add("SELECT 'V', TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, NULL FROM information_schema.VIEWS WHERE "
      "TABLE_SCHEMA = ? AND TABLE_NAME = ?");
  add("SELECT 'G', TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, ACTION_STATEMENT, TRIGGER_NAME FROM "
      "information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?");
  return connection.ExecuteWithParams(sql, params, rows);
}

}  // namespace

Status FindNonTransactionalReach(SqlConnection& connection, const std::vector<TableKey>& tables,
                                 NonTransactionalTable* found) {
  *found = {};
  std::set<TableKey> seen(tables.begin(), tables.end());
  std::vector<TableKey> level = tables;
  std::map<TableKey, std::string> path;  // how the write reaches each table; none for the named ones
  for (int depth = 0; !level.empty(); ++depth) {
    if (depth == kMaxWriteReachDepth) {
      return Status::Refused("a write to " + Quoted(tables.front()) + " reaches more than " +
                             std::to_string(kMaxWriteReachDepth) +
                             " levels of views and triggers; ddb cannot check what it changes");
    }
    QueryResult rows;
    if (Status s = AskCatalog(connection, level, &rows); !s.ok()) return s;
    std::vector<TableKey> next;
    auto reach = [&](const TableKey& from, const std::string& how, std::vector<TableKey> names) {
      for (TableKey& name : names) {
        if (!seen.insert(name).second) continue;
        path[name] = (path.count(from) ? path[from] + ", " : "") + how;
        next.push_back(std::move(name));
      }
    };
    for (const auto& row : rows.rows) {
      const std::string tag = row.at(0).value_or("");
      const TableKey key{row.at(1).value_or(""), row.at(2).value_or("")};
      const std::string value = row.at(3).value_or("");
      if (tag == "T" && row.at(4).value_or("") != "VIEW" && row.at(3) && value != "InnoDB") {
        found->table = Quoted(key);
        found->engine = value;
        if (path.count(key)) found->path = " (written through " + path[key] + ")";
        return Status::Ok();
      }
      if (tag == "V") {
        if (value.empty()) {
          return Status::Refused(
              "ddb cannot see the definition of view " + Quoted(key) +
              " to check what a write through it changes: the account needs SHOW VIEW on it");
        }
        reach(key, "view " + Quoted(key), QualifiedNames(value));
      }
      if (tag == "G")
        reach(key, "trigger " + Quoted({key.first, row.at(4).value_or("")}),
              WrittenByTrigger(key.first, value));
    }
    level = std::move(next);
  }
  return Status::Ok();
}

}  // namespace ddb
