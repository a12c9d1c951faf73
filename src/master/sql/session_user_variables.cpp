#include "session_user_variables.h"

#include <set>

#include "ddb/mysql/mysql_connection.h"
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
  return CallsStoredFunction(tokens);
}

Status AddSessionUserVariables(SqlConnection& connection, std::vector<std::string>* names) {
  QueryResult held;
  // The plugin behind this table is built into MariaDB and on by default.
  if (Status s = connection.Execute("SELECT VARIABLE_NAME FROM information_schema.USER_VARIABLES", &held);
      !s.ok()) {
    return s;
  }
  std::set<std::string> known;
  for (const std::string& name : *names) known.insert(UserVariableKey(name));
  for (const auto& row : held.rows) {
    const std::string name = row.at(0).value_or("");
    if (known.insert(AsciiUpper(name)).second) names->push_back(QuoteIdentifier(name));
  }
  return Status::Ok();
}

}  // namespace ddb
