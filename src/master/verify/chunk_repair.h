// RewriteChunk: \repair's unit of work. The master's rows of one chunk,
// read with a locking read, are logged as
//   DELETE FROM t WHERE <range>; INSERT INTO t (...) VALUES (...), ...
// in one record committed together with that read, so no write to the range
// slips in between; every slave replaces its rows of the range with the
// master's when it applies the record. The master does not run them: it
// already holds those rows. Foreign keys are off for the two statements (a
// DELETE must not cascade); a table with triggers is refused, since they
// would fire on the slaves.
#pragma once

#include <cstdint>

#include "chunk_plan.h"
#include "ddb/mysql/mysql_connection.h"
#include "replication_log.h"

namespace ddb {

// `connection` has autocommit off and the check's session settings
// (check_context.h). `rows` is how many rows the record carries.
Status RewriteChunk(MySqlConnection& connection, ReplicationLog& log, const ChunkPlan& plan, size_t index,
                    uint64_t* rows, uint64_t* seq);

}  // namespace ddb
