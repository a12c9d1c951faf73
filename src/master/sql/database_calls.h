// DATABASE() in a write run without a default database.
//
// A master session may have no default database (a client that connected
// without one and qualifies every name); DATABASE() and SCHEMA() are NULL
// there. A slave's applier replays every session in one session of its own,
// which keeps the last database a record named: it cannot go back to none.
// So the master logs such a write with those calls written as the NULL they
// gave. (A session with a database logs it with the write, and the slave
// uses the same one.)
#pragma once

#include <string>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// Whether `tokens` call DATABASE() or SCHEMA(). A definition's query from a
// session without a default database that does (CREATE TABLE … AS SELECT
// DATABASE()) is refused rather than rewritten: NULL in its place would
// type the new column differently.
bool CallsDatabase(const std::vector<Token>& tokens);

// `sql` with each DATABASE() and SCHEMA() call (any case, any spacing)
// replaced by NULL; `sql` itself when it has none.
std::string DatabaseCallsAsNull(const std::string& sql, LexMode mode);

}  // namespace ddb
