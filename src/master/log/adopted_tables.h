// Adopted tables: what a master's MariaDB held before ddb first ran on it.
//
// Those tables were never written through the log, so a slave that replays
// it from #1 never gets them; only a seeded slave (ddb-slave --seed copies
// every database) does. The first start of a master on an unused MariaDB
// records them in ddb_meta.adopted_tables, and the start's log line and
// \status name them for as long as they exist, so the operator knows to
// seed rather than to wait for replay.
#pragma once

#include <string>

#include "ddb/mysql/mysql_connection.h"

namespace ddb {

// Records the user tables this MariaDB holds now (first start only).
Status RecordAdoptedTables(MySqlConnection& connection);

// One query whose single row AdoptedSummary reads: how many adopted tables
// still exist, in how many databases, and their names.
extern const char* const kAdoptedTablesSql;

// "3 tables in 2 databases (shop, crm) were here before ddb: not in the log,
// so a slave has them only if seeded (ddb-slave --seed)", or "" for none.
std::string AdoptedSummary(const QueryResult& result);

}  // namespace ddb
