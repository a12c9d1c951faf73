#include "master_role.h"

#include "adopted_tables.h"

#include "ddb/mysql/node_role.h"
#include "master_schema.h"

namespace ddb {
namespace {

// In one transaction: the slave's records become the log, the next epoch
// starts after its position, and the MySQL is a master's.
Status Promote(MySqlConnection& connection, const std::string& node_name, MasterStart* start) {
  AppliedPosition position;
  if (Status s = LoadAppliedPosition(connection, &position); !s.ok()) return s;
  if (position.cluster_id.empty()) {
    return Status::Refused("this slave never joined a cluster: there is nothing to promote");
  }
  EpochHistory epochs;
  if (Status s = LoadEpochHistory(connection, &epochs); !s.ok()) return s;
  if (epochs.empty()) {
    return Status::Refused(
        "this slave holds no epoch history (it has not connected to a master since it was upgraded), so "
        "the other nodes could not tell its log from another: connect it to the master once, or seed a "
        "fresh cluster");
  }
  const EpochStart begun = epochs.Begin(position.seq + 1, node_name);
  Status s = connection.Execute("START TRANSACTION");
  // The body's first byte is the record's kind (log_record.h). Rows the
  // node held when it was last a master are replaced: the slave's records
  // are what it holds now.
  if (s.ok()) s = connection.Execute("DELETE FROM ddb_meta.replication_log");
  if (s.ok()) {
    s = connection.Execute(
        "INSERT INTO ddb_meta.replication_log (seq, committed_at, kind, state, body) "
        "SELECT seq, committed_at, ASCII(body), 'done', body FROM ddb_meta.applied_records");
  }
  if (s.ok()) {
    // Slaves positioned before the oldest record kept must be re-seeded;
    // the floor keeps numbers of gaps at the end of the position from
    // being handed out again.
    s = connection.ExecuteWithParams(
        "REPLACE INTO ddb_meta.log_state (id, purged_through, last_seq_floor) "
        "SELECT 1, COALESCE(MIN(seq) - 1, ?), ? FROM ddb_meta.applied_records",
        {position.seq, position.seq});
  }
  if (s.ok()) {
    s = connection.ExecuteWithParams("REPLACE INTO ddb_meta.cluster VALUES (1, ?, NOW(6))",
                                     {position.cluster_id});
  }
  if (s.ok()) s = connection.Execute("DELETE FROM ddb_meta.slave_positions");
  if (s.ok()) s = StoreEpochHistory(connection, epochs);
  if (s.ok()) s = StoreNodeRole(connection, NodeRole::kMaster);
  if (s.ok()) s = connection.Execute("COMMIT");
  if (!s.ok()) {
    (void)connection.Execute("ROLLBACK");  // the failure is what is reported
    return s;
  }
  start->promoted = "promoted from slave: " + EpochHistory::Describe(begun) + " of cluster " +
                    position.cluster_id + ", after #" + std::to_string(position.seq);
  return Status::Ok();
}

}  // namespace

Status PrepareMasterRole(MySqlConnection& connection, const std::string& node_name, bool promote,
                         MasterStart* start) {
  if (Status s = connection.Execute("CREATE DATABASE IF NOT EXISTS ddb_meta"); !s.ok()) return s;
  NodeRole role = NodeRole::kUnused;
  if (Status s = LoadNodeRole(connection, &role); !s.ok()) return s;
  if (role == NodeRole::kSlave && !promote) {
    return Status::Refused(
        "this MySQL holds a slave's data and position (ddb_meta): run ddb-slave on it, or make it the "
        "master with ddb-slave --promote (or ddb-master --promote)");
  }
  if (role != NodeRole::kSlave && promote) {
    return Status::Refused("--promote: this MySQL holds no slave's position (it is " +
                           std::string(role == NodeRole::kUnused ? "unused by ddb" : "a master's already") +
                           ")");
  }
  if (Status s = CreateMasterSchema(connection); !s.ok()) return s;
  if (Status s = CreateNodeTables(connection); !s.ok()) return s;
  if (role == NodeRole::kSlave) {
    if (Status s =
            RequireLockFree(connection, "ddb_meta.applier",
                            "a ddb-slave is still applying to this MySQL (use \\promote at its console)");
        !s.ok()) {
      return s;
    }
    if (Status s = Promote(connection, node_name, start); !s.ok()) return s;
  } else if (role == NodeRole::kUnused) {
    if (Status s = RecordAdoptedTables(connection); !s.ok()) return s;
    if (Status s = StoreNodeRole(connection, NodeRole::kMaster); !s.ok()) return s;
  }
  QueryResult adopted;
  if (Status s = connection.Execute(kAdoptedTablesSql, &adopted); !s.ok()) return s;
  start->adopted = AdoptedSummary(adopted);
  if (Status s = LoadOrCreateClusterId(connection, &start->cluster_id); !s.ok()) return s;
  if (Status s = LoadEpochHistory(connection, &start->epochs); !s.ok()) return s;
  if (start->epochs.empty()) {
    // A new cluster, or a master from before epochs: everything so far was
    // this master's first epoch.
    start->epochs.Begin(1, node_name);
    if (Status s = StoreEpochHistory(connection, start->epochs); !s.ok()) return s;
  }
  return Status::Ok();
}

Status HoldMasterLock(MySqlConnection& connection) {
  QueryResult result;
  if (Status s = connection.Execute("SELECT GET_LOCK('ddb_meta.master', 0)", &result); !s.ok()) return s;
  if (result.rows.empty() || result.rows[0][0].value_or("0") != "1") {
    return Status::Refused("another ddb-master runs on this MySQL (it holds the lock 'ddb_meta.master')");
  }
  return Status::Ok();
}

}  // namespace ddb
