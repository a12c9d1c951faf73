// ddb's own bookkeeping (the ddb_meta schema: the replication log, the
// slaves' positions, the procedures that commit a record) must not be
// changed through a user's session: a write there would corrupt
// replication. Reading it is harmless, and tools do: mariadb-dump
// --all-databases selects every database it lists, ddb_meta included.
#pragma once

#include <string>

#include "ddb/sql/parsed_statement.h"

namespace ddb {

// Why `statement` must not run in a session whose default database is
// `database`, or empty when it may: anything but a read or a USE that names
// ddb_meta, and anything but those, a SET or transaction control while
// ddb_meta is the default database (where INSERT INTO replication_log or
// CALL commit_record(...) would not name it).
std::string MetaSchemaRefusal(const ParsedStatement& statement, const std::string& database);

}  // namespace ddb
