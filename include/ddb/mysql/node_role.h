// What a node's MySQL says about the node, the same tables on masters and
// slaves so that they survive a change of role (DESIGN.md, "High
// availability"; docs/failover.md):
//   ddb_meta.node_role  whether the MySQL is a master's or a slave's;
//   ddb_meta.epochs     the epoch history the node knows (ddb/base/epochs.h).
//                       A master writes its own; a slave stores the history
//                       of the master it follows, once it checked its log is
//                       a prefix of that master's.
//   ddb_meta.applied_position  a slave's last applied record, which a
//                       promotion starts the next epoch after.
#pragma once

#include <chrono>
#include <string>

#include "ddb/base/epochs.h"
#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

enum class NodeRole { kUnused, kMaster, kSlave };

// Creates ddb_meta.node_role and ddb_meta.epochs. ddb_meta must exist.
Status CreateNodeTables(SqlConnection& connection);

// The role stored in ddb_meta.node_role, or for a MySQL from before it
// existed: a slave's when it has ddb_meta.applied_position, a master's when
// it has ddb_meta.replication_log, unused otherwise.
Status LoadNodeRole(SqlConnection& connection, NodeRole* role);

// Sets the role (in the caller's transaction if one is open).
Status StoreNodeRole(SqlConnection& connection, NodeRole role);

// Refused "<holder> (it holds the lock '<lock>'): stop it first" while
// another session holds the MySQL named lock `lock` (the running daemon of
// the other role, before a change of role).
// Waits up to `patience` for it: a daemon that just handed over (exec) has
// closed its session, but the server may take a moment to see it.
Status RequireLockFree(SqlConnection& connection, const std::string& lock, const std::string& holder,
                       std::chrono::milliseconds patience = std::chrono::milliseconds(5000));

// The stored history, checked (Validate); empty when nothing is stored.
Status LoadEpochHistory(SqlConnection& connection, EpochHistory* history);

struct AppliedPosition {
  std::string cluster_id;  // empty until the slave first joins a master
  uint64_t seq = 0;        // last applied record
  int64_t master_committed_at_micros = 0;
};

// NotFound when the table has no row (a MySQL never prepared as a slave's).
Status LoadAppliedPosition(SqlConnection& connection, AppliedPosition* position);

// Replaces the stored history with `history` (in the caller's transaction
// if one is open).
Status StoreEpochHistory(SqlConnection& connection, const EpochHistory& history);

}  // namespace ddb
