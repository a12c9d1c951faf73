// INSERT ... SELECT from a temporary table, written as INSERT ... VALUES.
//
// Temporary tables stay on the master (temporary_tables.h), so a slave could
// not run the SELECT of `INSERT INTO t SELECT ... FROM tmp`. The master runs
// that SELECT itself and writes, logs and replicates the INSERT with the rows
// it gave as values: what MariaDB's row-based binlog does for the statement.
#pragma once

#include <string>
#include <vector>

#include "ddb/mysql/sql_connection.h"
#include "ddb/sql/sql_lexer.h"

namespace ddb {

// An INSERT or REPLACE ... SELECT in three pieces of its text.
struct InsertSelect {
  std::string head;   // "INSERT IGNORE INTO t (a, b) "
  std::string query;  // "SELECT ... FROM tmp ..." (or a parenthesized or WITH query)
  std::string tail;   // " RETURNING ..." or ""
};

// Where the query of an INSERT or REPLACE ... SELECT lies in `tokens`:
// [*start, *end), *end at a RETURNING or the end. False when it is not an
// INSERT or REPLACE whose rows come from a query, or when it has ON
// DUPLICATE KEY UPDATE (whose expressions may name the query's columns,
// which VALUES rows do not have).
bool FindInsertQuery(const std::vector<Token>& tokens, size_t* start, size_t* end);

// Splits `sql` (its tokens `tokens`) where FindInsertQuery says.
bool SplitInsertSelect(const std::string& sql, const std::vector<Token>& tokens, InsertSelect* out);

// head + "VALUES (...), (...)" + tail for `rows`, each value a literal of
// its column's type: numbers as the server wrote them, bytes as X'..', text
// as _<charset> X'..' in `results_charset` (the session's
// character_set_results, which the text came in), so no quoting rule of
// the session's sql_mode applies. `rows` must not be empty.
std::string InsertWithValues(const InsertSelect& parts, const QueryResult& rows,
                             const std::string& results_charset);

}  // namespace ddb
