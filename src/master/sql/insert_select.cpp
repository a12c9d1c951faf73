#include "insert_select.h"

#include "ddb/snapshot/sql_literal.h"
#include "table_names.h"

namespace ddb {
namespace {

// The index after the parenthesized group opening at tokens[at].
size_t AfterGroup(const std::vector<Token>& tokens, size_t at) {
  int depth = 0;
  for (size_t i = at; i < tokens.size(); ++i) {
    if (IsOperator(tokens[i], "(")) ++depth;
    if (IsOperator(tokens[i], ")") && --depth == 0) return i + 1;
  }
  return tokens.size();
}

bool StartsQuery(const Token& token) {
  return IsKeyword(token, "SELECT") || IsKeyword(token, "WITH") || IsOperator(token, "(");
}

// MYSQL_TYPE_* of numbers the server writes as exact literals.
bool IsNumberType(uint8_t type) {
  switch (type) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 8:
    case 9:
    case 13:
    case 246: return true;
    default: return false;
  }
}

bool IsBytes(const ColumnType& type) {
  return type.is_binary || type.mysql_type == 16 /* BIT */ || type.mysql_type == 255 /* GEOMETRY */;
}

}  // namespace

bool FindInsertQuery(const std::vector<Token>& tokens, size_t* start, size_t* end) {
  if (tokens.empty() || !(IsKeyword(tokens[0], "INSERT") || IsKeyword(tokens[0], "REPLACE"))) return false;
  size_t i = 1;
  while (i < tokens.size() && (IsKeyword(tokens[i], "LOW_PRIORITY") || IsKeyword(tokens[i], "DELAYED") ||
                               IsKeyword(tokens[i], "HIGH_PRIORITY") || IsKeyword(tokens[i], "IGNORE"))) {
    ++i;
  }
  if (i < tokens.size() && IsKeyword(tokens[i], "INTO")) ++i;
  TableName table;
  if (!ReadTableName(tokens, i, &table, &i)) return false;
  if (i < tokens.size() && IsKeyword(tokens[i], "PARTITION")) i = AfterGroup(tokens, i + 1);
  // A column list, unless the parenthesis opens the query itself.
  if (i + 1 < tokens.size() && IsOperator(tokens[i], "(") && !StartsQuery(tokens[i + 1])) {
    i = AfterGroup(tokens, i);
  }
  if (i >= tokens.size() || !StartsQuery(tokens[i])) return false;
  *start = i;
  *end = tokens.size();
  int depth = 0;
  for (size_t j = i; j < tokens.size(); ++j) {
    if (IsOperator(tokens[j], "(")) ++depth;
    if (IsOperator(tokens[j], ")")) --depth;
    if (depth != 0) continue;
    if (IsKeyword(tokens[j], "ON") && j + 1 < tokens.size() && IsKeyword(tokens[j + 1], "DUPLICATE")) {
      return false;
    }
    if (IsKeyword(tokens[j], "RETURNING")) {
      *end = j;
      break;
    }
  }
  return true;
}

bool SplitInsertSelect(const std::string& sql, const std::vector<Token>& tokens, InsertSelect* out) {
  size_t start = 0;
  size_t end = 0;
  if (!FindInsertQuery(tokens, &start, &end)) return false;
  const size_t head_end = tokens[start].offset;
  const size_t text_end = tokens[end - 1].end();
  out->head = sql.substr(0, head_end);
  out->query = sql.substr(head_end, text_end - head_end);
  out->tail = end < tokens.size() ? " " + sql.substr(tokens[end].offset) : "";
  return true;
}

std::string InsertWithValues(const InsertSelect& parts, const QueryResult& rows,
                             const std::string& results_charset) {
  std::string sql = parts.head + "VALUES ";
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    sql += r == 0 ? "(" : ", (";
    const std::vector<std::optional<std::string>>& row = rows.rows[r];
    for (size_t c = 0; c < row.size(); ++c) {
      if (c > 0) sql += ", ";
      const ColumnType type = c < rows.column_types.size() ? rows.column_types[c] : ColumnType{};
      if (!row[c]) {
        sql += "NULL";
      } else if (IsNumberType(type.mysql_type)) {
        AppendSqlLiteral(&sql, row[c], LiteralKind::kNumber);
      } else {
        if (!IsBytes(type)) sql += "_" + results_charset + " ";
        AppendSqlLiteral(&sql, row[c], LiteralKind::kBytes);
      }
    }
    sql += ")";
  }
  return sql + parts.tail;
}

}  // namespace ddb
