// Statements in a program's body that end or commit the calling
// statement's transaction.
//
// ddb logs a CALL (or a compound block) with the transaction it runs in:
// the log row commits with the user's writes. A body that commits on its
// own (COMMIT, ROLLBACK, START TRANSACTION, SET autocommit, a savepoint
// rollback) or implicitly (any DDL, LOCK TABLES, ANALYZE TABLE...) ends that
// transaction on the master before the log row is written: a crash in
// between leaves the master with writes no slave ever gets, and a ROLLBACK
// the client sends after the CALL can no longer undo what the body
// committed, while ddb drops the CALL from the log. MariaDB refuses these in
// stored functions and triggers itself; procedures and compound blocks are
// refused here, at their CREATE and where a statement reaches one ddb did
// not create (statement_policy.h).
#pragma once

#include <string>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// Why a body (`tokens` from the word before it: the CREATE, or a block's
// first word) ends the calling transaction, naming the statement; "" when
// it does not.
std::string RefuseCommitInBody(const std::vector<Token>& tokens);

}  // namespace ddb
