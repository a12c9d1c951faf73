#include "read_form.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

namespace ddb {
namespace {

// Keywords a value follows in a filter (WHERE, ON, HAVING, LIMIT).
constexpr std::array<std::string_view, 15> kValueKeywords = {"AND",    "OR",     "XOR",     "NOT",  "LIKE",
                                                             "REGEXP", "RLIKE",  "BETWEEN", "DIV",  "MOD",
                                                             "LIMIT",  "OFFSET", "WHEN",    "THEN", "ELSE"};
constexpr std::array<std::string_view, 15> kValueOperators = {"=", "<", ">", "<=", ">=", "<>", "!=", "<=>",
                                                              "(", ",", "+", "-",  "*",  "/",  "%"};

bool TakesValue(const Token& before) {
  if (before.kind == TokenKind::kOperator) {
    return std::find(kValueOperators.begin(), kValueOperators.end(), before.text) != kValueOperators.end();
  }
  if (before.kind != TokenKind::kWord) return false;
  return std::any_of(kValueKeywords.begin(), kValueKeywords.end(),
                     [&](std::string_view keyword) { return IsKeyword(before, keyword); });
}

bool EndsTheForm(const Token& token) {
  return IsKeyword(token, "UNION") || IsKeyword(token, "INTERSECT") || IsKeyword(token, "EXCEPT") ||
         IsKeyword(token, "VALUES") || IsKeyword(token, "WITH");
}

}  // namespace

std::string ReadForm(const std::string& sql, LexMode mode) {
  const std::vector<Token> tokens = Tokenize(sql, false, mode);
  if (tokens.empty() || !IsKeyword(tokens[0], "SELECT")) return "";
  std::string form;
  size_t copied = 0;
  int depth = 0;
  bool after_from = false;
  for (size_t i = 1; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.unterminated || token.in_executable_comment) return "";
    if (token.kind == TokenKind::kOperator) {
      if (token.text == "?") return "";
      if (token.text == "(") ++depth;
      if (token.text == ")") --depth;
      continue;
    }
    if (IsKeyword(token, "SELECT") || EndsTheForm(token)) return "";
    if (depth == 0 && IsKeyword(token, "FROM")) after_from = true;
    const bool literal = token.kind == TokenKind::kNumber || token.kind == TokenKind::kString;
    if (after_from && literal && TakesValue(tokens[i - 1])) {
      form.append(sql, copied, token.offset - copied);
      form += '?';
      copied = token.end();
    }
  }
  if (copied == 0) return "";
  form.append(sql, copied, std::string::npos);
  return form;
}

bool PlaceholdersOnlyFilter(const std::string& sql, LexMode mode) {
  const std::vector<Token> tokens = Tokenize(sql, false, mode);
  int selects = 0;
  int depth = 0;
  bool after_from = false;
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kOperator) {
      if (token.text == "(") ++depth;
      if (token.text == ")") --depth;
      if (token.text == "?" && !after_from) return false;
      continue;
    }
    if (IsKeyword(token, "SELECT")) ++selects;
    if (IsKeyword(token, "UNION") || IsKeyword(token, "INTERSECT") || IsKeyword(token, "EXCEPT"))
      return false;
    if (depth == 0 && IsKeyword(token, "FROM")) after_from = true;
  }
  return selects == 1;
}

}  // namespace ddb
