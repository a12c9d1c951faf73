#include "nontransactional_writes.h"

#include <algorithm>
#include <string_view>

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
                      "WITH",    "TABLE",         "FOR",  "GROUP", "HAVING", "UNION", "ON"});
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

}  // namespace

std::vector<TableName> WrittenTables(const ParsedStatement& statement) {
  const Tokens& t = statement.tokens;
  std::vector<TableName> out;
  if (t.empty()) return out;
  if (IsKeyword(t[0], "INSERT") || IsKeyword(t[0], "REPLACE")) {
    size_t i = SkipModifiers(t, 1);
    if (IsKeywordAt(t, i, {"INTO"})) ++i;
    ReadTable(t, &i, &out);
  } else if (IsKeyword(t[0], "UPDATE")) {
    ReadTables(t, SkipModifiers(t, 1), {"SET"}, &out);
  } else if (IsKeyword(t[0], "DELETE")) {
    const size_t i = SkipModifiers(t, 1);
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
  return out;
}

Status NontransactionalWrites::Check(SqlConnection& connection, const ParsedStatement& statement,
                                     const std::string& current_database, uint64_t schema_epoch) {
  if (schema_epoch != epoch_) {
    known_fine_.clear();
    epoch_ = schema_epoch;
  }
  std::string sql;
  std::vector<SqlParam> params;
  std::vector<std::pair<std::string, std::string>> asked;
  for (const TableName& name : WrittenTables(statement)) {
    std::pair<std::string, std::string> key{name.schema.empty() ? current_database : name.schema, name.table};
    if (key.first.empty() || known_fine_.count(key) != 0) continue;
    // One SELECT per table: an equality on both names lets MariaDB open
    // just that table rather than every one.
    sql += sql.empty() ? "" : " UNION ALL ";
    sql +=
        "SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND "
        "TABLE_NAME = ? AND ENGINE IS NOT NULL AND ENGINE <> 'InnoDB'";
    params.emplace_back(key.first);
    params.emplace_back(key.second);
    asked.push_back(std::move(key));
  }
  if (asked.empty()) return Status::Ok();
  QueryResult found;
  if (Status s = connection.ExecuteWithParams(sql, params, &found); !s.ok()) return s;
  if (!found.rows.empty()) {
    const auto& row = found.rows[0];
    const std::string table =
        QuoteIdentifier(row[0].value_or("")) + "." + QuoteIdentifier(row[1].value_or(""));
    return Status::Refused(table + " is a " + row[2].value_or("") +
                           " table: a write to it stays when its transaction rolls back or the statement "
                           "fails part way, and the slaves get only what committed; convert it first with "
                           "ALTER TABLE " +
                           table + " ENGINE=InnoDB (nothing was changed)");
  }
  known_fine_.insert(asked.begin(), asked.end());
  return Status::Ok();
}

}  // namespace ddb
