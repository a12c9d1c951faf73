#include "ddb/mysql/node_role.h"

#include <thread>

namespace ddb {

namespace {

Status TableExists(SqlConnection& connection, const std::string& table, bool* exists) {
  QueryResult result;
  if (Status s = connection.ExecuteWithParams(
          "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ddb_meta' AND TABLE_NAME = ?",
          {table}, &result);
      !s.ok()) {
    return s;
  }
  *exists = !result.rows.empty() && result.rows[0][0].value_or("0") != "0";
  return Status::Ok();
}

}  // namespace

Status CreateNodeTables(SqlConnection& connection) {
  return ExecuteAll(connection, {
                                    "CREATE TABLE IF NOT EXISTS ddb_meta.node_role ("
                                    " id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
                                    " role ENUM('master','slave') NOT NULL,"
                                    " changed_at DATETIME(6) NOT NULL"
                                    ") ENGINE=InnoDB",
                                    "CREATE TABLE IF NOT EXISTS ddb_meta.epochs ("
                                    " epoch INT UNSIGNED NOT NULL PRIMARY KEY,"
                                    " first_seq BIGINT UNSIGNED NOT NULL COMMENT 'the epoch''s first record',"
                                    " node_name VARCHAR(64) NOT NULL COMMENT 'the master that started it',"
                                    " started_at DATETIME(6) NOT NULL"
                                    ") ENGINE=InnoDB",
                                });
}

Status LoadNodeRole(SqlConnection& connection, NodeRole* role) {
  *role = NodeRole::kUnused;
  bool exists = false;
  if (Status s = TableExists(connection, "node_role", &exists); !s.ok()) return s;
  if (exists) {
    QueryResult result;
    if (Status s = connection.Execute("SELECT role FROM ddb_meta.node_role WHERE id = 1", &result); !s.ok()) {
      return s;
    }
    if (!result.rows.empty()) {
      *role = result.rows[0][0].value_or("") == "master" ? NodeRole::kMaster : NodeRole::kSlave;
      return Status::Ok();
    }
  }
  if (Status s = TableExists(connection, "applied_position", &exists); !s.ok()) return s;
  if (exists) {
    *role = NodeRole::kSlave;
    return Status::Ok();
  }
  if (Status s = TableExists(connection, "replication_log", &exists); !s.ok()) return s;
  if (exists) *role = NodeRole::kMaster;
  return Status::Ok();
}

Status StoreNodeRole(SqlConnection& connection, NodeRole role) {
  return connection.ExecuteWithParams("REPLACE INTO ddb_meta.node_role VALUES (1, ?, NOW(6))",
                                      {std::string(role == NodeRole::kMaster ? "master" : "slave")});
}

Status RequireLockFree(SqlConnection& connection, const std::string& lock, const std::string& holder,
                       std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    QueryResult result;
    if (Status s = connection.ExecuteWithParams("SELECT IS_FREE_LOCK(?)", {lock}, &result); !s.ok()) return s;
    if (!result.rows.empty() && result.rows[0][0].value_or("0") == "1") return Status::Ok();
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Refused(holder + " (it holds the lock '" + lock + "'): stop it first");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Status LoadAppliedPosition(SqlConnection& connection, AppliedPosition* position) {
  QueryResult result;
  if (Status s = connection.Execute(
          "SELECT cluster_id, seq, master_committed_at FROM ddb_meta.applied_position WHERE id = 1", &result);
      !s.ok()) {
    return s;
  }
  if (result.rows.empty()) return Status::NotFound("ddb_meta.applied_position has no row");
  position->cluster_id = result.rows[0][0].value_or("");
  position->seq = std::stoull(result.rows[0][1].value_or("0"));
  position->master_committed_at_micros = std::stoll(result.rows[0][2].value_or("0"));
  return Status::Ok();
}

Status LoadEpochHistory(SqlConnection& connection, EpochHistory* history) {
  QueryResult result;
  if (Status s = connection.Execute("SELECT epoch, first_seq, node_name FROM ddb_meta.epochs ORDER BY epoch",
                                    &result);
      !s.ok()) {
    return s;
  }
  std::vector<EpochStart> starts;
  for (const auto& row : result.rows) {
    starts.push_back({static_cast<uint32_t>(std::stoul(row[0].value_or("0"))),
                      std::stoull(row[1].value_or("0")), row[2].value_or("")});
  }
  EpochHistory loaded(std::move(starts));
  if (Status s = loaded.Validate(); !s.ok()) return Status::Corruption("ddb_meta.epochs: " + s.message());
  *history = std::move(loaded);
  return Status::Ok();
}

Status StoreEpochHistory(SqlConnection& connection, const EpochHistory& history) {
  // Rows already stored keep their started_at: a slave stores its master's
  // history at every connect.
  for (const EpochStart& start : history.starts()) {
    if (Status s = connection.ExecuteWithParams(
            "INSERT INTO ddb_meta.epochs (epoch, first_seq, node_name, started_at) VALUES (?, ?, ?, NOW(6)) "
            "ON DUPLICATE KEY UPDATE first_seq = VALUES(first_seq), node_name = VALUES(node_name)",
            {static_cast<uint64_t>(start.epoch), start.first_seq, start.node});
        !s.ok()) {
      return s;
    }
  }
  return connection.ExecuteWithParams("DELETE FROM ddb_meta.epochs WHERE epoch > ?",
                                      {static_cast<uint64_t>(history.current_epoch())});
}

}  // namespace ddb
