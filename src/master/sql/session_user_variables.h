// The user variables a write carries because a program may read them.
//
// A trigger, stored function or procedure body that reads @x sees the
// calling session's value. A slave's applier replays every master
// session's statements in one session of its own, where @x holds whatever
// the last statement that set it there left (or NULL), so the row such a
// body writes would differ, silently. A statement that names @x itself
// carries its value (replay_safety.h); a body's reads do not show in the
// statement, and the body may not show to the session's account at all
// (information_schema lists a table's triggers only to accounts with the
// TRIGGER privilege on it). So once a session may hold user variables,
// each of its writes carries every one it holds: a session that never
// sets one pays nothing, one that does pays two round trips per write.
//
// Not covered: a variable that only a trigger sets (a plain INSERT does
// not mark its session, and the slave does not learn of it), read by a
// program that another session's write reaches later.
#pragma once

#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/mysql/sql_connection.h"
#include "ddb/sql/parsed_statement.h"

namespace ddb {

// Whether `statement` may leave a user variable in its session: it names
// one (SET @a = 1, SELECT … INTO @a, @a := …) or runs a program whose body
// may set one (CALL, a compound block, a stored function call).
bool MaySetUserVariables(const ParsedStatement& statement);

// Appends to `names` every user variable the session of `connection` holds
// (information_schema.USER_VARIABLES) that `names` lacks. Names already
// there are as a statement wrote them (@`a b`, @'x', @x: without the '@');
// appended ones are quoted with backticks.
Status AddSessionUserVariables(SqlConnection& connection, std::vector<std::string>* names);

}  // namespace ddb
