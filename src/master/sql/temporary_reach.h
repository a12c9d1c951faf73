// Whether the stored programs a statement reaches read one of its session's
// temporary tables (temporary_tables.h).
//
// A slave replays a CALL, a compound block or a statement that calls a
// stored function by running the program's body in its applier session,
// which has none of the master session's temporary tables: a body that
// reads one would fail there, or read the real table of that name. So while
// a session holds temporary tables, ddb reads the body of every procedure
// and function such a statement reaches, and those they reach in turn, from
// the master's catalog (one query per routine), and refuses the statement
// when a body names a held table -- or cannot be read: an account may
// EXECUTE a routine whose body it may not see. Triggers are not followed
// (docs/replay.md, "Temporary tables").
#pragma once

#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/sql_lexer.h"
#include "temporary_tables.h"

namespace ddb {

// Refused, naming the routine and the table, when a program `tokens` (a
// statement run with `database` as its default) reaches reads one of
// `tables`' tables or cannot be read; Ok otherwise.
Status CheckProgramsAvoidTemporaryTables(SqlConnection& connection, const std::vector<Token>& tokens,
                                         const std::string& database, const TemporaryTables& tables);

}  // namespace ddb
