#include "slave_role.h"

#include "ddb/mysql/node_role.h"
#include "slave_schema.h"

namespace ddb {
namespace {

// In one transaction: the log's committed records become the applied
// records, its end the position; the epochs stay as the master wrote them.
Status Rejoin(MySqlConnection& connection, std::string* rejoined) {
  if (Status s =
          RequireLockFree(connection, "ddb_meta.master", "a ddb-master is still running on this MySQL");
      !s.ok()) {
    return s;
  }
  Status s = connection.Execute("START TRANSACTION");
  if (s.ok()) s = connection.Execute("DELETE FROM ddb_meta.applied_records");
  // A DDL left 'pending' by a crash is not counted: whether it took effect
  // is unknown, and the new master's log decides what this node must hold.
  if (s.ok()) {
    s = connection.Execute(
        "INSERT INTO ddb_meta.applied_records (seq, committed_at, body) "
        "SELECT seq, committed_at, body FROM ddb_meta.replication_log WHERE state = 'done'");
  }
  if (s.ok()) {
    s = connection.Execute(
        "UPDATE ddb_meta.applied_position p, ("
        " SELECT (SELECT cluster_id FROM ddb_meta.cluster WHERE id = 1) AS cluster_id,"
        "  GREATEST(COALESCE((SELECT MAX(seq) FROM ddb_meta.replication_log WHERE state = 'done'), 0),"
        "   COALESCE((SELECT last_seq_floor FROM ddb_meta.log_state WHERE id = 1), 0)) AS seq,"
        "  COALESCE((SELECT committed_at FROM ddb_meta.replication_log WHERE state = 'done'"
        "   ORDER BY seq DESC LIMIT 1), 0) AS committed_at) l"
        " SET p.cluster_id = l.cluster_id, p.seq = l.seq, p.master_committed_at = l.committed_at,"
        " p.applied_at = NOW(6) WHERE p.id = 1");
  }
  if (s.ok()) s = StoreNodeRole(connection, NodeRole::kSlave);
  if (s.ok()) s = connection.Execute("COMMIT");
  if (!s.ok()) {
    (void)connection.Execute("ROLLBACK");  // the failure is what is reported
    return s;
  }
  StoredPosition position;
  if (Status loaded = LoadPosition(connection, &position); !loaded.ok()) return loaded;
  *rejoined = "rejoining as a slave: this former master's log (cluster " + position.cluster_id + ", up to #" +
              std::to_string(position.seq) +
              ") is now its position; the master decides whether it follows or diverged";
  return Status::Ok();
}

}  // namespace

Status PrepareSlaveRole(MySqlConnection& connection, bool rejoin, std::string* rejoined) {
  if (Status s = connection.Execute("CREATE DATABASE IF NOT EXISTS ddb_meta"); !s.ok()) return s;
  NodeRole role = NodeRole::kUnused;
  if (Status s = LoadNodeRole(connection, &role); !s.ok()) return s;
  if (role == NodeRole::kMaster && !rejoin) {
    return Status::Refused(
        "this MySQL holds a master's log (ddb_meta): run ddb-master on it, or, when another node is the "
        "master now, rejoin it as a slave with ddb-slave --rejoin");
  }
  if (role != NodeRole::kMaster && rejoin) {
    return Status::Refused("--rejoin: this MySQL holds no master's log (it is a slave's already, or unused)");
  }
  if (Status s = CreateSlaveSchema(connection); !s.ok()) return s;
  if (role == NodeRole::kMaster) return Rejoin(connection, rejoined);
  if (role == NodeRole::kUnused) return StoreNodeRole(connection, NodeRole::kSlave);
  return Status::Ok();
}

}  // namespace ddb
