// ROW_COUNT() after a write. The session's connection runs ddb's own
// statements after a user's write (the log row's CALL in autocommit, a
// LAST_INSERT_ID() probe, a clock set back), so the server's ROW_COUNT()
// would count theirs. SqlSession keeps the write's count for the next
// statement, where each ROW_COUNT() call is written as that number: the
// answer MariaDB gives, and a write that stores it replays the same value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// `sql` (read under `mode`) with every ROW_COUNT() call written as `count`;
// a select item keeps its column name (`2 AS \`ROW_COUNT()\``). `sql` itself
// when it calls none. A qualified db.ROW_COUNT() is a stored function: kept.
std::string WithRowCount(std::string_view sql, const LexMode& mode, int64_t count);

// The same for FOUND_ROWS(). After a read a slave answered, the master's
// session never ran it: its FOUND_ROWS() would count an earlier statement's
// rows, where MariaDB gives the rows of the read (its ROW_COUNT(), -1).
std::string WithFoundRows(std::string_view sql, const LexMode& mode, int64_t count);

}  // namespace ddb
