#include "ddb/sql/multi_statements.h"

#include "ddb/sql/statement_classifier.h"

namespace ddb {

std::vector<std::string_view> SplitStatements(std::string_view text, LexMode mode) {
  const std::vector<Token> tokens = Tokenize(text, false, mode);
  std::vector<std::string_view> statements;
  std::size_t from = 0;  // offset where the next statement's text (and its comments) starts
  for (std::size_t i = 0; i < tokens.size();) {
    if (tokens[i].kind == TokenKind::kSemicolon) {
      from = tokens[i].end();
      ++i;
      continue;
    }
    // An unterminated comment is a token too: what follows it is its text.
    const std::size_t end = tokens[i].kind == TokenKind::kComment ? tokens.size() : StatementEnd(tokens, i);
    const std::size_t to = end == tokens.size() ? text.size() : tokens[end].offset;
    if (std::string_view piece = TrimSqlSpace(text.substr(from, to - from)); !piece.empty()) {
      statements.push_back(piece);
    }
    if (end == tokens.size()) break;
    from = tokens[end].end();
    i = end + 1;
  }
  return statements;  // comments after the last ';' are no statement
}

}  // namespace ddb
