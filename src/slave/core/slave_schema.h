// ddb_meta on a slave's MySQL: the applied position, updated in the same
// transaction as what it applies, and the cluster this slave belongs to.
#pragma once

#include <string>

#include "ddb/base/epochs.h"
#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/mysql/node_role.h"

namespace ddb {

struct StoredPosition : AppliedPosition {
  EpochHistory epochs;  // of the master it last followed; empty until then
};

Status CreateSlaveSchema(MySqlConnection& connection);
// Fails with Refused while a seed is marked in progress (a copy half loaded
// must never be applied to: the daemon would replay on partial data).
Status LoadPosition(SqlConnection& connection, StoredPosition* position);
Status StoreClusterId(SqlConnection& connection, const std::string& cluster_id);

// Two daemons applying to one MySQL would apply every record twice. The
// applier holds a MySQL named lock on its connection for as long as it runs.
Status AcquireApplierLock(SqlConnection& connection);
// Fails with Refused when another daemon holds the lock (checked at start, for
// a clear message before anything runs).
Status CheckNoOtherApplier(SqlConnection& connection);

// Seeding (slave/seed): the mark set before the first statement is loaded,
// and the position stored (and the mark cleared) once the whole snapshot is.
// Whether the mark of a seed that did not finish is there.
Status SeedUnfinished(SqlConnection& connection, bool* unfinished);
Status MarkSeeding(SqlConnection& connection, const std::string& source);
Status StoreSeededPosition(SqlConnection& connection, const std::string& cluster_id, uint64_t seq,
                           int64_t master_committed_at_micros);

// The statement that moves the position; runs inside the apply transaction.
Status UpdatePosition(SqlConnection& connection, uint64_t seq, int64_t master_committed_at_micros);

}  // namespace ddb
