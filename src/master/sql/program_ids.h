// AUTO_INCREMENT values generated inside stored programs cannot be replayed.
//
// ddb logs statements, and replays a write's generated id by forcing it
// (SET insert_id) before the statement. That covers the statement's own
// INSERT; an INSERT run by a trigger, a stored function or procedure, or a
// compound block takes its ids from the table's counter instead, and the
// slave's counter is not the master's: rolled-back inserts move only the
// master's, and concurrent transactions draw ids in an order other than
// their commits'. MariaDB's own statement-based binlog calls the same case
// unsafe (ER_BINLOG_UNSAFE_AUTOINC_COLUMNS). So ddb refuses to create a
// program whose body inserts into a table with an AUTO_INCREMENT column, and
// to give an AUTO_INCREMENT column to a table a program inserts into.
#pragma once

#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/parsed_statement.h"
#include "table_names.h"

namespace ddb {

// The tables INSERT and REPLACE statements among `tokens` write: those of a
// program's body, or of a compound block (a trigger's own "AFTER INSERT ON t"
// is not one).
std::vector<TableName> InsertTargets(const std::vector<Token>& tokens);

// The schema unqualified table names in the body of CREATE TRIGGER,
// FUNCTION or PROCEDURE resolve to: the program's own (a trigger's is its
// table's), else `current_database`.
std::string ProgramSchema(const std::vector<Token>& tokens, const std::string& current_database);

// Refused when `statement` creates a program (or runs a compound block) that
// inserts into a table with an AUTO_INCREMENT column, or creates, alters or
// renames a table to have one (AUTO_INCREMENT written, CREATE TABLE ... LIKE,
// RENAME TABLE, ALTER TABLE ... RENAME) while a program inserts into it; the reason names the
// table and the program. Asks the master's catalog (information_schema), so
// only statements of those kinds cost a query. Other statements: Ok.
Status CheckIdsInPrograms(SqlConnection& connection, const ParsedStatement& statement,
                          const std::string& current_database, LexMode mode);

}  // namespace ddb
