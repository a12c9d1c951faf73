#include "session_user_variables.h"

#include <set>

#include "ddb/mysql/mysql_connection.h"
#include "ddb/mysql/replay_user_variables.h"
#include "ddb/sql/replay_safety.h"
#include "ddb/sql/sql_lexer.h"
#include "statement_policy.h"

namespace ddb {

bool MaySetUserVariables(const ParsedStatement& statement) {
  const std::vector<Token>& tokens = statement.tokens;
  // (BEGIN starts a compound block only as a DML statement; as a
  // transaction's start it is kBegin.)
  const bool block = statement.info.kind == StatementKind::kDml && IsCompoundVerb(statement.info.verb);
  if (statement.info.verb == "CALL" || block) return true;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    // '@' directly followed by a name ('@@' lexes as one operator).
    if (IsOperator(tokens[i], "@") && tokens[i + 1].offset == tokens[i].end()) return true;
  }
  // A definition runs only its query (CREATE TABLE … SELECT f()).
  if (statement.info.kind == StatementKind::kDdl) return CallsStoredFunction(QueryOfDefinition(tokens));
  return CallsStoredFunction(tokens);
}

Status AddSessionUserVariables(SqlConnection& connection, std::vector<std::string>* names) {
  std::vector<std::string> held;
  if (Status s = HeldUserVariables(connection, &held); !s.ok()) return s;
  std::set<std::string> known;
  for (const std::string& name : *names) known.insert(UserVariableKey(name));
  for (const std::string& name : held) {
    if (known.insert(AsciiUpper(name)).second) names->push_back(QuoteIdentifier(name));
  }
  return Status::Ok();
}

}  // namespace ddb
