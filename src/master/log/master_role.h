// What this node's MySQL holds, and turning a slave's into a master's.
//
// ddb_meta.node_role says whether the MySQL is a master's or a slave's (a
// MySQL from before it existed is a slave's when it has
// ddb_meta.applied_position). ddb-master runs on a master's MySQL, or on a
// fresh one, which starts a new cluster in epoch 1. On a slave's it runs
// only when told to promote it: the slave's applied records become the log
// (so the other slaves can catch up from it), the next epoch starts at the
// record after its position, and the cluster id carries over, so the other
// slaves follow it (DESIGN.md, "High availability"; docs/failover.md).
#pragma once

#include <string>

#include "ddb/base/epochs.h"
#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

struct MasterStart {
  std::string cluster_id;
  EpochHistory epochs;
  std::string promoted;  // what a promotion did, for the log; empty: none
  std::string adopted;   // tables held before ddb (adopted_tables.h), for the log; empty: none
};

// Creates ddb_meta if needed and readies it for a master named `node_name`.
// A slave's MySQL is promoted when `promote`, refused otherwise.
Status PrepareMasterRole(MySqlConnection& connection, const std::string& node_name, bool promote,
                         MasterStart* start);

// Takes the MySQL named lock 'ddb_meta.master' on `connection`, which the
// caller keeps open while the daemon runs: a second ddb-master on the same
// MySQL, or a --rejoin of it as a slave, is refused while it is held.
Status HoldMasterLock(MySqlConnection& connection);

}  // namespace ddb
