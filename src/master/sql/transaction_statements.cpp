#include "transaction_statements.h"

namespace ddb {

bool IsPlainBegin(const std::vector<Token>& tokens) {
  std::vector<const Token*> words;
  for (const Token& token : tokens) {
    if (token.kind != TokenKind::kSemicolon) words.push_back(&token);
  }
  if (words.size() == 1) return IsKeyword(*words[0], "BEGIN");
  return words.size() == 2 && ((IsKeyword(*words[0], "BEGIN") && IsKeyword(*words[1], "WORK")) ||
                               (IsKeyword(*words[0], "START") && IsKeyword(*words[1], "TRANSACTION")));
}

bool ChainsTransaction(const std::vector<Token>& tokens) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (IsKeyword(tokens[i], "AND") && IsKeyword(tokens[i + 1], "CHAIN")) return true;
  }
  return false;
}

bool ReleasesSession(const std::vector<Token>& tokens) {
  for (size_t i = 1; i < tokens.size(); ++i) {
    if (IsKeyword(tokens[i], "RELEASE") && !IsKeyword(tokens[i - 1], "NO")) return true;
  }
  return false;
}

bool MentionsAutocommit(const std::vector<Token>& tokens) {
  for (const Token& token : tokens) {
    if (IsKeyword(token, "AUTOCOMMIT")) return true;
  }
  return false;
}

bool MentionsTimestamp(const std::vector<Token>& tokens) {
  for (const Token& token : tokens) {
    if (IsKeyword(token, "TIMESTAMP")) return true;
  }
  return false;
}

}  // namespace ddb
