// Statements whose result depends on the order rows are met in (MySQL's
// "unsafe for statement-based replication" rules about order): without an
// ORDER BY that order is the access path's, which a slave with other index
// statistics, or rows stored in another order, need not share.
//
// Looks at every INSERT, REPLACE, UPDATE and DELETE in the statement: the
// statement itself, and those in the body of a program it creates or a
// compound block it runs, each up to its ';'.
#pragma once

#include <string>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// Why the statement's replay could pick other rows than the master did,
// with the fix; "" when none of its data changes depend on row order.
std::string RowOrderUnsafeReason(const std::vector<Token>& tokens);

// Why the statement's replay could write other values than the master's
// if it changes several rows: it assigns a user variable (@i := @i + 1)
// row by row without an ORDER BY, so each row's value follows the order the
// statement meets them in. "" when it does not. Whether it changed several
// rows is known once it ran (the master's session checks then).
std::string VariableNumberingReason(const std::vector<Token>& tokens);

}  // namespace ddb
