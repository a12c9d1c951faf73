// Tables each server keeps for itself: the mysql schema (accounts, grants,
// statistics, time zones), information_schema, performance_schema and sys.
// Their rows differ from node to node (PROCESSLIST, GLOBAL_STATUS, the
// TABLES row counts, each node's own ddb account), so a write that reads
// them replays to other data on a slave, and a direct write to the mysql
// schema changes accounts without the statements that replicate them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ddb/sql/parsed_statement.h"

namespace ddb {

// The first server-local table `tokens` name, as "schema.table"; "" when
// none. A schema's name used as an alias (FROM systems AS sys) is not one.
std::string ServerLocalTableIn(const std::vector<Token>& tokens);

// Why `statement`, run with `database` as the default database, must not
// run because it reads or writes a server's own tables: a DML statement, a
// CREATE TABLE ... SELECT, or the body of a trigger or routine (which runs
// again on every slave). "" when it may.
std::string RefuseServerLocalTables(const ParsedStatement& statement, std::string_view database);

}  // namespace ddb
