#include "database_calls.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace ddb {
namespace {

bool Mentions(std::string_view sql, std::string_view lower_word) {
  return std::search(sql.begin(), sql.end(), lower_word.begin(), lower_word.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         }) != sql.end();
}

}  // namespace

std::string DatabaseCallsAsNull(const std::string& sql, LexMode mode) {
  // Most writes never spell either word: no lexing for them.
  if (!Mentions(sql, "database") && !Mentions(sql, "schema")) return sql;
  const std::vector<Token> tokens = Tokenize(sql, false, mode);
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    if (!(IsKeyword(tokens[i], "DATABASE") || IsKeyword(tokens[i], "SCHEMA"))) continue;
    if (!IsOperator(tokens[i + 1], "(") || !IsOperator(tokens[i + 2], ")")) continue;
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
