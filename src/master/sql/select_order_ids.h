// INSERT … SELECT without ORDER BY into a table whose AUTO_INCREMENT column
// the statement leaves to the server.
//
// The server numbers the SELECT's rows in the order it meets them, which
// without an ORDER BY is the access path's: a slave whose index statistics
// lead it to another plan meets them in another order. ddb logs the first
// id the statement generated and the slave numbers its rows consecutively
// from there, so each row could get another row's id there, silently (MySQL's
// statement binlog calls this unsafe too: ER_BINLOG_UNSAFE_WRITE_AUTOINC_SELECT).
// Whether it did is known once it ran: the session undoes and refuses such
// a statement only when the server numbered more than one row (a SELECT
// joining two rows by key numbers one; sql_session.cpp). Every other shape
// is left alone and asks nothing: a column list that names the column (or
// none, which gives every column a value), VALUES, a SELECT without FROM
// (one row), or an ORDER BY. INSERT IGNORE and ON DUPLICATE KEY UPDATE …
// SELECT without ORDER BY are refused for their own reason (row_order.h).
#pragma once

#include <string>

#include "ddb/base/status.h"
#include "ddb/mysql/sql_connection.h"
#include "ddb/sql/parsed_statement.h"

namespace ddb {

// Sets `reason` to why `statement` could number rows differently on a
// slave, with the fix, or leaves it empty. Asks the catalog only for an
// INSERT … SELECT of that shape (one round trip); `database` resolves an
// unqualified table.
Status SelectOrderIdsUnsafeReason(SqlConnection& connection, const ParsedStatement& statement,
                                  const std::string& database, std::string* reason);

}  // namespace ddb
