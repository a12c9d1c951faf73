#include "table_names.h"

namespace ddb {

bool ReadTableName(const std::vector<Token>& tokens, size_t at, TableName* name, size_t* after) {
  if (at >= tokens.size() || !IsName(tokens[at])) return false;
  if (at + 2 < tokens.size() && IsOperator(tokens[at + 1], ".") && IsName(tokens[at + 2])) {
    *name = {TokenValue(tokens[at]), TokenValue(tokens[at + 2])};
    if (after != nullptr) *after = at + 3;
  } else {
    *name = {"", TokenValue(tokens[at])};
    if (after != nullptr) *after = at + 1;
  }
  return true;
}

size_t SkipIfExists(const std::vector<Token>& tokens, size_t at) {
  if (at < tokens.size() && IsKeyword(tokens[at], "IF")) {
    ++at;
    if (at < tokens.size() && IsKeyword(tokens[at], "NOT")) ++at;
    if (at < tokens.size() && IsKeyword(tokens[at], "EXISTS")) ++at;
  }
  return at;
}

bool NameAfter(const std::vector<Token>& tokens, std::string_view object, TableName* name, size_t* after) {
  for (size_t i = 1; i < tokens.size(); ++i) {
    if (IsKeyword(tokens[i], object)) return ReadTableName(tokens, SkipIfExists(tokens, i + 1), name, after);
  }
  return false;
}

}  // namespace ddb
