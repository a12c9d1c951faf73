#include "local_infile.h"

namespace ddb {
namespace {

constexpr int kErrorLocalInfileDisabled = 4166;  // ER_LOAD_INFILE_CAPABILITY_DISABLED

// Index of the DATA or XML after LOAD, past a SET STATEMENT ... FOR prefix;
// tokens.size() when the statement is no load.
size_t LoadObject(const std::vector<Token>& tokens) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (IsKeyword(tokens[i], "LOAD") && (IsKeyword(tokens[i + 1], "DATA") || IsKeyword(tokens[i + 1], "XML")))
      return i + 1;
    // Only a SET STATEMENT prefix may come before the verb.
    if (i == 0 && !IsKeyword(tokens[0], "SET")) break;
  }
  return tokens.size();
}

}  // namespace

std::optional<std::string> LocalInfileName(const std::vector<Token>& tokens) {
  size_t i = LoadObject(tokens);
  if (i >= tokens.size()) return std::nullopt;
  ++i;
  if (i < tokens.size() && (IsKeyword(tokens[i], "LOW_PRIORITY") || IsKeyword(tokens[i], "CONCURRENT"))) ++i;
  if (i + 2 >= tokens.size() || !IsKeyword(tokens[i], "LOCAL") || !IsKeyword(tokens[i + 1], "INFILE") ||
      tokens[i + 2].kind != TokenKind::kString) {
    return std::nullopt;
  }
  return TokenValue(tokens[i + 2]);
}

Status LocalFilesNotAllowed() {
  return Status::MySql(
      kErrorLocalInfileDisabled, "HY000",
      "The used command is not allowed because the MariaDB server or client has disabled the "
      "local infile capability (LOAD DATA LOCAL reads the client's file: send it through "
      "ddb's MySQL endpoint from a client that allows it, e.g. mariadb --local-infile=1)");
}

}  // namespace ddb
