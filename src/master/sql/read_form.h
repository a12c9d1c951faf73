// ReadForm: the text a routed read is described by on the master.
//
// Before a slave answers a read for an endpoint client, the master's MySQL
// prepares it (runs nothing): the prepare checks the account's privileges
// and gives the result's column types (sql_session_describe.cpp). Describing
// every text anew would cost the master more than running the read itself,
// since applications write their values into the text: `... WHERE id = 17`,
// `... WHERE id = 18`. Those texts share one form, `... WHERE id = ?`: the
// same tables and columns, so the same privileges, and the same result
// columns, since nothing after a lone SELECT's FROM decides what its columns
// are. The form is described once.
#pragma once

#include <string>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// The form of the read `sql`: its literal values after the FROM of its only
// SELECT replaced by '?', where a value stands (after `=`, `(`, `,`, LIMIT,
// BETWEEN, LIKE...; not a typed literal such as DATE '...', nor ORDER BY 2,
// whose number names a column). Empty when `sql` has no such value, or more
// than one SELECT, a UNION, VALUES or WITH (their values may be columns).
std::string ReadForm(const std::string& sql, LexMode mode);

// Whether the placeholders of a prepared SELECT cannot change its result's
// column types: one SELECT (no subquery, no UNION) and every '?' after its
// FROM (in WHERE, GROUP BY, LIMIT...). Such a text is its own form.
bool PlaceholdersOnlyFilter(const std::string& sql, LexMode mode);

}  // namespace ddb
