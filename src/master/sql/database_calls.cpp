#include "database_calls.h"

#include <vector>

namespace ddb {

namespace {

bool IsDatabaseCall(const std::vector<Token>& tokens, size_t i) {
  return i + 2 < tokens.size() && (IsKeyword(tokens[i], "DATABASE") || IsKeyword(tokens[i], "SCHEMA")) &&
         IsOperator(tokens[i + 1], "(") && IsOperator(tokens[i + 2], ")");
}

}  // namespace

bool CallsDatabase(const std::vector<Token>& tokens) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (IsDatabaseCall(tokens, i)) return true;
  }
  return false;
}

std::string DatabaseCallsAsNull(const std::string& sql, LexMode mode) {
  // Most writes never spell either word: no lexing for them.
  if (!MayContainKeyword(sql, "DATABASE") && !MayContainKeyword(sql, "SCHEMA")) return sql;
  const std::vector<Token> tokens = Tokenize(sql, false, mode);
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    if (!IsDatabaseCall(tokens, i)) continue;
    out.append(sql, copied, tokens[i].offset - copied);
    out += "NULL";
    copied = tokens[i + 2].end();
    i += 2;
  }
  if (copied == 0) return sql;
  out.append(sql, copied, std::string::npos);
  return out;
}

}  // namespace ddb
