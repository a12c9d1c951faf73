#include "ddb/sql/parsed_statement.h"

namespace ddb {

ParsedStatement ParseStatement(std::string_view sql, LexMode mode) {
  ParsedStatement parsed;
  parsed.tokens = Tokenize(sql, false, mode);
  parsed.info = ClassifyTokens(parsed.tokens);
  return parsed;
}

}  // namespace ddb
