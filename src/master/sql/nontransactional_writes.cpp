#include "nontransactional_writes.h"

#include <algorithm>
#include <string_view>

#include "statement_policy.h"

namespace ddb {
namespace {

using Tokens = std::vector<Token>;

bool IsReferenceName(const Token& token) {
  return token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedIdentifier;
}

bool IsOperatorAt(const Tokens& t, size_t i, std::string_view op) {
  return i < t.size() && t[i].kind == TokenKind::kOperator && t[i].text == op;
}

bool IsKeywordAt(const Tokens& t, size_t i, std::initializer_list<std::string_view> words) {
  return i < t.size() &&
         std::any_of(words.begin(), words.end(), [&](std::string_view w) { return IsKeyword(t[i], w); });
}

// Words that end a table reference (an alias is any other word).
bool EndsReference(const Tokens& t, size_t i) {
  return i >= t.size() || !IsReferenceName(t[i]) ||
         IsKeywordAt(t, i,
                     {"SET",     "WHERE",         "JOIN", "INNER", "LEFT",   "RIGHT", "CROSS",     "OUTER",
                      "NATURAL", "STRAIGHT_JOIN", "ON",   "USING", "ORDER",  "LIMIT", "VALUES",    "VALUE",
                      "SELECT",  "PARTITION",     "USE",  "FORCE", "IGNORE", "FROM",  "RETURNING", "DEFAULT",
                      "WITH",    "TABLE",         "FOR",  "GROUP", "HAVING", "UNION"});
}

// Reads "name", "schema.name" at t[*i] into `out` and skips an alias.
bool ReadTable(const Tokens& t, size_t* i, std::vector<TableName>* out) {
  if (*i >= t.size() || !IsReferenceName(t[*i]) || EndsReference(t, *i)) return false;
  TableName name;
  name.table = TokenValue(t[*i]);
  ++*i;
  if (IsOperatorAt(t, *i, ".") && *i + 1 < t.size() && IsReferenceName(t[*i + 1])) {
    name.schema = name.table;
    name.table = TokenValue(t[*i + 1]);
    *i += 2;
    if (IsOperatorAt(t, *i, ".") && IsOperatorAt(t, *i + 1, "*")) *i += 2;  // DELETE t.* FROM ...
  } else if (IsOperatorAt(t, *i, ".") && IsOperatorAt(t, *i + 1, "*")) {
    *i += 2;
  }
  out->push_back(std::move(name));
  if (IsKeywordAt(t, *i, {"AS"}))
    *i += 2;
  else if (!EndsReference(t, *i))
    ++*i;  // an alias
  return true;
}

// Tables from t[i], comma-separated or joined, up to a word in `until`.
void ReadTables(const Tokens& t, size_t i, std::initializer_list<std::string_view> until,
                std::vector<TableName>* out) {
  while (i < t.size() && !IsKeywordAt(t, i, until)) {
    if (IsReferenceName(t[i]) && !EndsReference(t, i)) {
      ReadTable(t, &i, out);
      continue;
    }
    if (IsOperatorAt(t, i, "(")) {  // a derived table or ON (...): not written
      int depth = 0;
      do {
        if (IsOperatorAt(t, i, "(")) ++depth;
        if (IsOperatorAt(t, i, ")")) --depth;
        ++i;
      } while (i < t.size() && depth > 0);
      continue;
    }
    if (IsKeywordAt(t, i, {"ON", "USING"})) {  // a join condition: skip to the next table
      ++i;
      while (i < t.size() && !IsKeywordAt(t, i, until) && !IsOperatorAt(t, i, ",") &&
             !IsKeywordAt(t, i, {"JOIN"})) {
        ++i;
      }
      continue;
    }
    ++i;
  }
}

size_t SkipModifiers(const Tokens& t, size_t i) {
  while (IsKeywordAt(t, i, {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "QUICK"})) ++i;
  return i;
}

// The tables the write starting at t[at] changes (see WrittenTables).
void WrittenFrom(const Tokens& t, size_t at, std::vector<TableName>* written) {
  std::vector<TableName>& out = *written;
  if (at >= t.size()) return;
  if (IsKeyword(t[at], "INSERT") || IsKeyword(t[at], "REPLACE")) {
    size_t i = SkipModifiers(t, at + 1);
    if (IsKeywordAt(t, i, {"INTO"})) ++i;
    ReadTable(t, &i, &out);
  } else if (IsKeyword(t[at], "UPDATE")) {
    ReadTables(t, SkipModifiers(t, at + 1), {"SET"}, &out);
  } else if (IsKeyword(t[at], "DELETE")) {
    const size_t i = SkipModifiers(t, at + 1);
    if (IsKeywordAt(t, i, {"FROM"})) {
      // DELETE FROM t ... or DELETE FROM t1, t2 USING ...
      ReadTables(t, i + 1, {"USING", "WHERE", "ORDER", "LIMIT", "RETURNING", "PARTITION"}, &out);
    } else {
      // DELETE t1, t2 FROM ...: the list may name aliases, so every table
      // the FROM clause joins counts too.
      ReadTables(t, i, {"FROM"}, &out);
      size_t from = i;
      while (from < t.size() && !IsKeyword(t[from], "FROM")) ++from;
      ReadTables(t, from + 1, {"WHERE", "ORDER", "LIMIT", "RETURNING"}, &out);
    }
  }
}

// The first of `tables` (schema, table) whose engine is not InnoDB: its
// quoted name and engine, or empty ones for none.
struct Found {
  std::string table;  // `schema`.`table`
  std::string engine;
};
Status FindNonTransactional(SqlConnection& connection,
                            const std::vector<std::pair<std::string, std::string>>& tables, Found* found) {
  *found = {};
  if (tables.empty()) return Status::Ok();
  std::string sql;
  std::vector<SqlParam> params;
  for (const auto& [schema, table] : tables) {
    // One SELECT per table: an equality on both names lets MariaDB open
    // just that table rather than every one.
    sql += sql.empty() ? "" : " UNION ALL ";
    sql +=
        "SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND "
        "TABLE_NAME = ? AND ENGINE IS NOT NULL AND ENGINE <> 'InnoDB'";
    params.emplace_back(schema);
    params.emplace_back(table);
  }
  QueryResult rows;
  if (Status s = connection.ExecuteWithParams(sql, params, &rows); !s.ok()) return s;
  if (rows.rows.empty()) return Status::Ok();
  const auto& row = rows.rows[0];
  found->table = QuoteIdentifier(row[0].value_or("")) + "." + QuoteIdentifier(row[1].value_or(""));
  found->engine = row[2].value_or("");
  return Status::Ok();
}

std::string Converting(const Found& found) {
  return ": a write to it stays when its transaction rolls back or the statement fails part way, and the "
         "slaves get only what committed; convert it first with ALTER TABLE " +
         found.table + " ENGINE=InnoDB (nothing was changed)";
}

}  // namespace

std::vector<TableName> WrittenTables(const ParsedStatement& statement) {
  std::vector<TableName> out;
  WrittenFrom(statement.tokens, 0, &out);
  return out;
}

std::vector<TableName> TablesWrittenInBody(const std::vector<Token>& tokens) {
  std::vector<TableName> out;
  for (size_t i = 1; i < tokens.size(); ++i) {
    const bool write = IsKeyword(tokens[i], "INSERT") || IsKeyword(tokens[i], "REPLACE") ||
                       IsKeyword(tokens[i], "DELETE") || IsKeyword(tokens[i], "UPDATE");
    // Not a trigger's own event (AFTER INSERT ON t), nor ON DUPLICATE KEY UPDATE.
    if (!write || IsKeywordAt(tokens, i + 1, {"ON"}) || IsKeyword(tokens[i - 1], "KEY")) continue;
    WrittenFrom(tokens, i, &out);
  }
  return out;
}

Status NontransactionalWrites::Check(SqlConnection& connection, const ParsedStatement& statement,
                                     const std::string& current_database, uint64_t schema_epoch) {
  if (schema_epoch != epoch_) {
    known_fine_.clear();
    epoch_ = schema_epoch;
  }
  std::vector<std::pair<std::string, std::string>> asked;
  for (const TableName& name : WrittenTables(statement)) {
    std::pair<std::string, std::string> key{name.schema.empty() ? current_database : name.schema, name.table};
    if (!key.first.empty() && known_fine_.count(key) == 0) asked.push_back(std::move(key));
  }
  Found found;
  if (Status s = FindNonTransactional(connection, asked, &found); !s.ok()) return s;
  if (!found.table.empty()) {
    return Status::Refused(found.table + " is a " + found.engine + " table" + Converting(found));
  }
  known_fine_.insert(asked.begin(), asked.end());
  return Status::Ok();
}

Status CheckProgramWrites(SqlConnection& connection, const ParsedStatement& statement,
                          const std::string& current_database) {
  const StatementInfo& info = statement.info;
  const bool program = info.kind == StatementKind::kDdl && info.verb == "CREATE" &&
                       (info.object == "TRIGGER" || info.object == "PROCEDURE" || info.object == "FUNCTION" ||
                        info.object == "PACKAGE");
  const bool block = info.kind == StatementKind::kDml && IsCompoundVerb(info.verb);
  if (!program && !block) return Status::Ok();
  const std::string schema = program ? ProgramSchema(statement.tokens, current_database) : current_database;
  std::vector<std::pair<std::string, std::string>> asked;
  for (const TableName& name : TablesWrittenInBody(statement.tokens)) {
    std::pair<std::string, std::string> key{name.schema.empty() ? schema : name.schema, name.table};
    if (!key.first.empty() && std::find(asked.begin(), asked.end(), key) == asked.end()) asked.push_back(key);
  }
  Found found;
  if (Status s = FindNonTransactional(connection, asked, &found); !s.ok()) return s;
  if (found.table.empty()) return Status::Ok();
  return Status::Refused("its body writes " + found.table + ", whose engine is " + found.engine +
                         Converting(found));
}

}  // namespace ddb
