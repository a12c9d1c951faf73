#include "written_tables.h"

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

// Past the balanced parentheses that open at t[i].
size_t SkipParentheses(const Tokens& t, size_t i) {
  int depth = 0;
  do {
    if (IsOperatorAt(t, i, "(")) ++depth;
    if (IsOperatorAt(t, i, ")")) --depth;
    ++i;
  } while (i < t.size() && depth > 0);
  return i;
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
      i = SkipParentheses(t, i);
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
  } else if (IsKeyword(t[at], "LOAD")) {
    // LOAD DATA|XML [LOW_PRIORITY|CONCURRENT] [LOCAL] INFILE 'f' [REPLACE|IGNORE] INTO TABLE t
    size_t i = at + 1;
    while (i < t.size() && !IsKeyword(t[i], "INTO")) ++i;
    if (IsKeywordAt(t, i + 1, {"TABLE"})) {
      i += 2;
      ReadTable(t, &i, &out);
    }
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

// Where the statement proper starts: after SET STATEMENT ... FOR and after
// a WITH clause's common table expressions (WITH [RECURSIVE] name [(cols)]
// AS (...), ...), which MariaDB allows before UPDATE and DELETE too.
size_t StatementProper(const Tokens& t) {
  size_t i = 0;
  if (IsKeywordAt(t, 0, {"SET"}) && IsKeywordAt(t, 1, {"STATEMENT"})) {
    for (i = 2; i < t.size() && !IsKeywordAt(t, i, {"FOR"});) {
      i = IsOperatorAt(t, i, "(") ? SkipParentheses(t, i) : i + 1;
    }
    ++i;
  }
  if (!IsKeywordAt(t, i, {"WITH"})) return i;
  ++i;
  if (IsKeywordAt(t, i, {"RECURSIVE"})) ++i;
  while (i < t.size()) {
    ++i;  // the name
    if (IsOperatorAt(t, i, "(")) i = SkipParentheses(t, i);
    if (IsKeywordAt(t, i, {"AS"})) ++i;
    if (IsOperatorAt(t, i, "(")) i = SkipParentheses(t, i);
    if (!IsOperatorAt(t, i, ",")) break;
    ++i;
  }
  return i;
}

}  // namespace

std::vector<TableName> WrittenTables(const ParsedStatement& statement) {
  std::vector<TableName> out;
  WrittenFrom(statement.tokens, StatementProper(statement.tokens), &out);
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

}  // namespace ddb
