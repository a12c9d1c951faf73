#include "routine_calls.h"

#include <algorithm>

#include "ddb/base/word_list.h"
#include "ddb/sql/builtin_functions.h"

namespace ddb {
namespace {

// Words that may stand before '(' without calling a function: operators
// and clauses (IN (1, 2), VALUES (...), USING (id), OVER (...)).
constexpr std::string_view kWordsBeforeParentheses[] = {
    "ALL",       "AND",       "ANY",           "AS",         "ASC",        "BETWEEN", "BY",      "CASE",
    "COLLATE",   "CROSS",     "DESC",          "DISTINCT",   "DIV",        "ELSE",    "ESCAPE",  "EXCEPT",
    "EXISTS",    "FOR",       "FORCE",         "FROM",       "HAVING",     "IGNORE",  "IN",      "INDEX",
    "INNER",     "INTERSECT", "INTO",          "IS",         "JOIN",       "KEY",     "LATERAL", "LIKE",
    "LIMIT",     "NATURAL",   "NOT",           "OFFSET",     "ON",         "OR",      "OUTER",   "OVER",
    "PARTITION", "RECURSIVE", "REGEXP",        "RETURNING",  "RLIKE",      "ROW",     "ROWS",    "SELECT",
    "SET",       "SOME",      "STRAIGHT_JOIN", "TABLE",      "THEN",       "UNION",   "USE",     "USING",
    "VALUE",     "VALUES",    "WHEN",          "WHERE",      "WINDOW",     "WITH",    "XOR",     "AGAINST",
    "PRIMARY",   "UNIQUE",    "CHECK",         "REFERENCES", "CONSTRAINT", "DEFAULT", "DO",      "CALL",
    "RETURN",    "IF",        "WHILE",         "REPEAT",     "UNTIL",      "ELSEIF",  "DECLARE", "PROCEDURE",
    "FUNCTION",  "TRIGGER",   "VIEW",          "EVENT",      "INSERT",     "REPLACE", "UPDATE",  "DELETE",
    "SAVEPOINT", "HANDLER",   "SQL",           "SECURITY",   "DEFINER",    "INTERVAL"};

// Words after which a name followed by '(' is a table's (or an alias's)
// column list, not a call: INSERT's target with or without INTO and its
// modifiers, CREATE TABLE [IF NOT EXISTS] t (...), FROM/JOIN x (a).
constexpr std::string_view kWordsBeforeColumnLists[] = {"TABLE",        "INTO",    "FROM",          "JOIN",
                                                        "AS",           "INSERT",  "REPLACE",       "IGNORE",
                                                        "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "EXISTS"};

}  // namespace

bool CallsStoredFunction(std::string_view sql, LexMode mode) {
  return CallsStoredFunction(Tokenize(sql, false, mode));
}

// Tokens as Tokenize gives them: comments are skipped already (an
// unterminated one, last, matters to no check here).
std::vector<RoutineName> StoredFunctionsCalled(const std::vector<Token>& tokens) {
  std::vector<RoutineName> called;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!IsName(tokens[i]) || !IsOperator(tokens[i + 1], "(")) continue;
    const bool qualified = i >= 2 && IsOperator(tokens[i - 1], ".") && IsName(tokens[i - 2]);
    RoutineName name{qualified ? TokenValue(tokens[i - 2]) : "", TokenValue(tokens[i])};
    // `f`(...) and db.f(...) always name a stored function (but for the
    // schemas that hold the built-ins); a stored function, unlike a
    // built-in, may have spaces before its '('.
    // A table or alias followed by a column list or a derived table's
    // columns, `db`.`t` too: INSERT [INTO] t (a, b), FROM x (a).
    const size_t before = qualified ? i - 2 : i;
    if (before > 0 && Contains(kWordsBeforeColumnLists, AsciiUpper(TokenValue(tokens[before - 1]))) &&
        tokens[before - 1].kind == TokenKind::kWord) {
      continue;
    }
    if (tokens[i].kind == TokenKind::kQuotedIdentifier) {
      called.push_back(std::move(name));
      continue;
    }
    if (qualified) {
      if (!IsBuiltinFunctionSchema(name.schema)) called.push_back(std::move(name));
      continue;
    }
    const std::string upper = AsciiUpper(tokens[i].text);
    if (Contains(kWordsBeforeParentheses, upper) || IsBuiltinFunction(upper)) continue;
    called.push_back(std::move(name));
  }
  return called;
}

bool CallsStoredFunction(const std::vector<Token>& tokens) { return !StoredFunctionsCalled(tokens).empty(); }

std::vector<Token> QueryOfDefinition(const std::vector<Token>& tokens) {
  const auto query = std::find_if(tokens.begin(), tokens.end(), [](const Token& token) {
    return IsKeyword(token, "SELECT") || IsKeyword(token, "WITH") || IsKeyword(token, "VALUES");
  });
  return std::vector<Token>(query, tokens.end());
}

std::vector<RoutineName> ProceduresCalled(const std::vector<Token>& tokens) {
  std::vector<RoutineName> called;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!IsKeyword(tokens[i], "CALL") || !IsName(tokens[i + 1])) continue;
    if (i + 3 < tokens.size() && IsOperator(tokens[i + 2], ".") && IsName(tokens[i + 3])) {
      called.push_back({TokenValue(tokens[i + 1]), TokenValue(tokens[i + 3])});
    } else {
      called.push_back({"", TokenValue(tokens[i + 1])});
    }
  }
  return called;
}

}  // namespace ddb
