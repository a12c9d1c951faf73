// SqlSession's SHOW WARNINGS: what the user's last statement left, not what
// ddb's own statements after it (the log insert, COMMIT, bookkeeping of a
// DDL) left. MySQL keeps the list of the last statement only, so a write
// that left warnings has them read at once (one round trip, only then), and
// SHOW WARNINGS answers from that copy; a read a slave answered has none
// here.
#include "sql_session.h"

namespace ddb {

void SqlSession::SaveWarnings(const QueryResult& result) {
  if (result.warning_count == 0) return;
  QueryResult shown;
  // Without the list SHOW WARNINGS reads the master session's own, as before.
  if (connection_->Execute("SHOW WARNINGS", &shown).ok()) saved_warnings_ = std::move(shown);
}

void SqlSession::ForgetWarnings() {
  QueryResult none;
  none.has_result_set = true;
  none.columns = {"Level", "Code", "Message"};
  none.numeric = {false, true, false};
  saved_warnings_ = std::move(none);
}

bool SqlSession::IsShowWarnings(const std::vector<Token>& tokens) {
  return tokens.size() >= 2 && IsKeyword(tokens[0], "SHOW") && IsKeyword(tokens[1], "WARNINGS");
}

}  // namespace ddb
