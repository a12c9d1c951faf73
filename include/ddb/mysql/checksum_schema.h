// ddb_meta's checksum table and procedure, the same on every node.
//
// \verify logs `CALL ddb_meta.checksum_chunk(run, chunk, 'db.t', '<select>')`
// like any write: the master runs it in a transaction whose locking read sees
// exactly the rows committed before it in log order, and each slave runs it
// when it applies that record, over the same rows if it is equal. Each node
// keeps its own result in ddb_meta.checksums, and the master compares them.
// The procedure catches errors (a table missing on a slave, say) and records
// them as a NULL result, so a check can report a difference but never stop a
// slave's applier. Both are created with a fixed sql_mode, which a routine
// keeps, so every node concatenates column values the same way.
#pragma once

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

// Creates ddb_meta.checksums and (re)creates ddb_meta.checksum_chunk, on the
// master and on every slave at start. ddb_meta itself must exist.
Status CreateChecksumSchema(MySqlConnection& connection);

}  // namespace ddb
