#include "body_commits.h"

#include <string_view>

#include "ddb/base/word_list.h"

namespace ddb {
namespace {

// Words that start a statement ending the transaction, whatever follows
// (reserved words: none can name a column unquoted).
constexpr std::string_view kCommittingWords[] = {"COMMIT",   "ROLLBACK", "SAVEPOINT", "ALTER",
                                                 "RENAME",   "GRANT",    "REVOKE",    "ANALYZE",
                                                 "OPTIMIZE", "REPAIR",   "FLUSH"};

bool Next(const std::vector<Token>& tokens, size_t i, std::string_view keyword) {
  return i + 1 < tokens.size() && IsKeyword(tokens[i + 1], keyword);
}

// The statement at `i` when it commits, else "".
std::string CommittingAt(const std::vector<Token>& tokens, size_t i) {
  const Token& token = tokens[i];
  if (token.kind != TokenKind::kWord) return "";
  const std::string word = AsciiUpper(token.text);
  // ANALYZE SELECT/UPDATE/... runs the statement and reports; ANALYZE TABLE commits.
  if (word == "ANALYZE" && !Next(tokens, i, "TABLE")) return "";
  if (Contains(kCommittingWords, word)) return word;
  if (word == "START" && Next(tokens, i, "TRANSACTION")) return "START TRANSACTION";
  // SET autocommit = 1 commits; reading @@autocommit does not.
  if (word == "AUTOCOMMIT" && i + 1 < tokens.size() &&
      (IsOperator(tokens[i + 1], "=") || IsOperator(tokens[i + 1], ":="))) {
    return "SET autocommit";
  }
  if (word == "BEGIN" && Next(tokens, i, "WORK")) return "BEGIN WORK";
  if (word == "RELEASE" && Next(tokens, i, "SAVEPOINT")) return "RELEASE SAVEPOINT";
  if (word == "SET" && Next(tokens, i, "PASSWORD")) return "SET PASSWORD";  // accounts commit, as GRANT does
  if ((word == "LOCK" || word == "UNLOCK") && (Next(tokens, i, "TABLE") || Next(tokens, i, "TABLES"))) {
    return word + " TABLES";
  }
  if ((word == "CACHE" || word == "LOAD") && Next(tokens, i, "INDEX")) return word + " INDEX";
  // TRUNCATE(x, d) is arithmetic.
  if (word == "TRUNCATE" && !(i + 1 < tokens.size() && IsOperator(tokens[i + 1], "("))) return word;
  // A temporary table's CREATE and DROP commit nothing (its CREATE is
  // refused for its own reason, statement_policy.cpp).
  if (word == "DROP" && !Next(tokens, i, "TEMPORARY")) return word;
  if (word == "CREATE") {
    size_t next = i + 1;
    if (Next(tokens, i, "OR") && Next(tokens, i + 1, "REPLACE")) next = i + 3;
    if (!(next < tokens.size() && IsKeyword(tokens[next], "TEMPORARY"))) return word;
  }
  return "";
}

}  // namespace

std::string RefuseCommitInBody(const std::vector<Token>& tokens) {
  for (size_t i = 1; i < tokens.size(); ++i) {
    const std::string statement = CommittingAt(tokens, i);
    if (statement.empty()) continue;
    return "the body runs " + statement +
           ", which ends the calling statement's transaction on the master before ddb logs it (a crash in "
           "between, or a ROLLBACK after, would leave the slaves without its writes); let the client begin "
           "and "
           "commit the transaction around the CALL, and run DDL as statements of their own";
  }
  return "";
}

}  // namespace ddb
