#include "select_order_ids.h"

#include <algorithm>
#include <vector>

#include "table_names.h"

namespace ddb {
namespace {

constexpr std::string_view kModifiers[] = {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY"};

// An INSERT … SELECT whose shape the header describes as unsafe once its
// table has an AUTO_INCREMENT column missing from `columns`.
struct Candidate {
  TableName table;
  std::vector<std::string> columns;  // as written, without quotes
};

bool HasOrderBy(const std::vector<Token>& t) {
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (IsKeyword(t[i], "ORDER") && IsKeyword(t[i + 1], "BY")) return true;
  }
  return false;
}

// Whether the query starting at t[at] (SELECT, WITH or a parenthesis) reads
// rows: a FROM at its own depth.
bool QueryReadsRows(const std::vector<Token>& t, size_t at) {
  int depth = 0;
  int query_depth = -1;
  for (size_t i = at; i < t.size(); ++i) {
    if (IsOperator(t[i], "(")) ++depth;
    if (IsOperator(t[i], ")")) --depth;
    if (IsKeyword(t[i], "SELECT") && query_depth < 0) query_depth = depth;
    if (IsKeyword(t[i], "FROM") && depth == query_depth) return true;
  }
  return false;
}

// INSERT [modifiers] [INTO] table (columns) SELECT … with a FROM and no
// ORDER BY; false for any other shape.
bool ReadCandidate(const std::vector<Token>& t, Candidate* candidate) {
  if (t.empty() || !IsKeyword(t[0], "INSERT") || HasOrderBy(t)) return false;
  size_t at = 1;
  while (at < t.size() && std::any_of(std::begin(kModifiers), std::end(kModifiers),
                                      [&](std::string_view w) { return IsKeyword(t[at], w); })) {
    ++at;
  }
  if (at < t.size() && IsKeyword(t[at], "IGNORE")) return false;  // row_order.h's
  if (at < t.size() && IsKeyword(t[at], "INTO")) ++at;
  if (!ReadTableName(t, at, &candidate->table, &at)) return false;
  // PARTITION (p0, p1) may follow the name.
  if (at < t.size() && IsKeyword(t[at], "PARTITION")) return false;
  if (at >= t.size() || !IsOperator(t[at], "(")) return false;  // no column list: every column has a value
  // A column list, or the query itself in parentheses.
  if (at + 1 < t.size() && (IsKeyword(t[at + 1], "SELECT") || IsKeyword(t[at + 1], "WITH"))) return false;
  for (++at; at < t.size() && !IsOperator(t[at], ")"); ++at) {
    if (t[at].kind == TokenKind::kWord || t[at].kind == TokenKind::kQuotedIdentifier) {
      // t.col: the last part names the column.
      if (at + 1 < t.size() && IsOperator(t[at + 1], ".")) continue;
      candidate->columns.push_back(TokenValue(t[at]));
    }
  }
  if (++at >= t.size()) return false;
  const bool query = IsKeyword(t[at], "SELECT") || IsKeyword(t[at], "WITH") ||
                     (IsOperator(t[at], "(") && at + 1 < t.size() &&
                      (IsKeyword(t[at + 1], "SELECT") || IsKeyword(t[at + 1], "WITH")));
  if (!query) return false;  // VALUES, VALUE, SET
  for (size_t i = at; i + 1 < t.size(); ++i) {
    if (IsKeyword(t[i], "ON") && IsKeyword(t[i + 1], "DUPLICATE")) return false;  // row_order.h's
  }
  return QueryReadsRows(t, at);
}

bool Names(const std::vector<std::string>& columns, const std::string& column) {
  return std::any_of(columns.begin(), columns.end(),
                     [&](const std::string& c) { return AsciiUpper(c) == AsciiUpper(column); });
}

}  // namespace

Status SelectOrderIdsUnsafeReason(SqlConnection& connection, const ParsedStatement& statement,
                                  const std::string& database, std::string* reason) {
  reason->clear();
  if (statement.info.kind != StatementKind::kDml || statement.info.verb != "INSERT") return Status::Ok();
  Candidate candidate;
  if (!ReadCandidate(statement.tokens, &candidate)) return Status::Ok();
  if (candidate.table.schema.empty()) candidate.table.schema = database;
  if (candidate.table.schema.empty()) return Status::Ok();  // fails on its own: no database selected
  QueryResult found;
  if (Status s = connection.ExecuteWithParams(
          "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
          "AND EXTRA LIKE '%auto_increment%'",
          {candidate.table.schema, candidate.table.table}, &found);
      !s.ok()) {
    return s;
  }
  if (found.rows.empty()) return Status::Ok();
  const std::string column = found.rows[0][0].value_or("");
  if (Names(candidate.columns, column)) return Status::Ok();
  *reason = "INSERT ... SELECT without ORDER BY into " + candidate.table.schema + "." +
            candidate.table.table + " leaves its AUTO_INCREMENT column " + column +
            " to the server, which numbers the rows in the order the SELECT meets them; a slave with other "
            "index statistics may meet them in another order and give each row another row's id (ddb logs "
            "the first id, and the slave numbers its rows from there); add an ORDER BY on a unique key";
  return Status::Ok();
}

}  // namespace ddb
