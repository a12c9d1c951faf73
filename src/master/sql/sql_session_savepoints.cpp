// SqlSession's savepoints. Replaying SAVEPOINT, ROLLBACK TO SAVEPOINT and
// RELEASE SAVEPOINT in order inside the replayed transaction reproduces
// exactly what survived on the master, as long as the record holds the
// SAVEPOINT a later statement names. With autocommit off, a SAVEPOINT can
// come before the transaction's first logged statement (ddb opens the
// logged transaction at its first write): every logged statement then
// comes after that savepoint, so rolling back to it drops them all from
// the record, and releasing it changes nothing a slave needs.
#include "ddb/sql/sql_lexer.h"
#include "sql_session.h"

namespace ddb {
namespace {

// The savepoint a SAVEPOINT, ROLLBACK [WORK] TO [SAVEPOINT] or RELEASE
// SAVEPOINT statement names (its last identifier), folded for comparison
// as MariaDB compares them, without regard to case.
std::string SavepointName(const std::vector<Token>& tokens) {
  for (auto token = tokens.rbegin(); token != tokens.rend(); ++token) {
    if (token->kind == TokenKind::kWord || token->kind == TokenKind::kQuotedIdentifier) {
      return AsciiUpper(TokenValue(*token));
    }
  }
  return "";
}

}  // namespace

bool SqlSession::PendingSetsSavepoint(const std::string& name) const {
  for (const LoggedStatement& statement : pending_) {
    const std::vector<Token> tokens = Tokenize(statement.sql, false, lex_mode_);
    if (!tokens.empty() && IsKeyword(tokens[0], "SAVEPOINT") && SavepointName(tokens) == name) return true;
  }
  return false;
}

ExecutionResult SqlSession::RunSavepoint(const std::string& sql, const ParsedStatement& parsed) {
  if (Status s = PrepareServerSession(); !s.ok()) return Fail(s);
  if (Status s = connection_->Execute(sql); !s.ok()) return Fail(s);
  if (!in_transaction_) return ExecutionResult();
  const std::vector<Token>& tokens = parsed.tokens;
  const bool sets = !tokens.empty() && IsKeyword(tokens[0], "SAVEPOINT");
  if (!sets && !PendingSetsSavepoint(SavepointName(tokens))) {
    // Set before the first logged statement: all of them come after it.
    if (!tokens.empty() && IsKeyword(tokens[0], "ROLLBACK")) pending_.clear();
    return ExecutionResult();
  }
  pending_.push_back(MakeLogged(sql, 0));
  return ExecutionResult();
}

}  // namespace ddb
