#include "ddb/sql/partial_drop.h"

#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {
namespace {

bool IsWord(const Token& token, const char* word) {
  return token.kind == TokenKind::kWord && AsciiUpper(std::string(token.text)) == word;
}

// MySQL error codes for "one of the names you listed does not exist", by
// the kind of object dropped.
bool IsMissingObjectError(const std::string& object, int code) {
  if (object == "TABLE" || object == "TABLES") return code == 1051;  // ER_BAD_TABLE_ERROR
  if (object == "VIEW") return code == 1051 || code == 4090;         // ER_UNKNOWN_VIEW (MariaDB)
  if (object == "USER" || object == "ROLE") return code == 1396;     // ER_CANNOT_USER
  return false;
}

}  // namespace

std::optional<std::string> PartialDropStatement(const std::string& sql, const Status& error) {
  if (error.code() != Status::Code::kMySql) return std::nullopt;
  const std::vector<Token> tokens = Tokenize(sql);
  size_t i = 0;
  if (i >= tokens.size() || !IsWord(tokens[i], "DROP")) return std::nullopt;
  ++i;
  if (i < tokens.size() && IsWord(tokens[i], "TEMPORARY")) ++i;
  if (i >= tokens.size() || tokens[i].kind != TokenKind::kWord) return std::nullopt;
  const std::string object = AsciiUpper(std::string(tokens[i].text));
  if (!IsMissingObjectError(object, error.mysql_error_code())) return std::nullopt;
  const size_t object_end = tokens[i].end();
  ++i;
  if (i < tokens.size() && IsWord(tokens[i], "IF"))
    return std::nullopt;  // IF EXISTS: nothing failed for that
  // A list of one failed as a whole: nothing was dropped.
  bool has_list = false;
  for (size_t j = i; j < tokens.size(); ++j) {
    if (tokens[j].kind == TokenKind::kOperator && tokens[j].text == ",") has_list = true;
  }
  if (!has_list) return std::nullopt;
  return sql.substr(0, object_end) + " IF EXISTS" + sql.substr(object_end);
}

}  // namespace ddb
