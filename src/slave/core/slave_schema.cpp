#include "slave_schema.h"

#include "ddb/mysql/checksum_schema.h"
#include "ddb/mysql/node_role.h"

namespace ddb {

Status CreateSlaveSchema(MySqlConnection& connection) {
  Status s = ExecuteAll(connection,
                        {
                            "CREATE DATABASE IF NOT EXISTS ddb_meta",
                            "CREATE TABLE IF NOT EXISTS ddb_meta.applied_position ("
                            " id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
                            " cluster_id VARCHAR(64) NOT NULL DEFAULT '',"
                            " seq BIGINT UNSIGNED NOT NULL,"
                            " master_committed_at BIGINT NOT NULL COMMENT 'microseconds since the epoch',"
                            " applied_at DATETIME(6) NOT NULL"
                            ") ENGINE=InnoDB",
                            "INSERT IGNORE INTO ddb_meta.applied_position VALUES (1, '', 0, 0, NOW(6))",
                            // Every record applied, as the master's replication_log
                            // holds it (applied_records.h).
                            "CREATE TABLE IF NOT EXISTS ddb_meta.applied_records ("
                            " seq BIGINT UNSIGNED NOT NULL PRIMARY KEY,"
                            " committed_at BIGINT NOT NULL COMMENT 'microseconds since the epoch',"
                            " body LONGBLOB NOT NULL"
                            ") ENGINE=InnoDB",
                        });
  if (s.ok()) s = CreateNodeTables(connection);
  if (s.ok()) s = CreateChecksumSchema(connection);
  return s;
}

Status SeedUnfinished(SqlConnection& connection, bool* unfinished) {
  QueryResult seeding;
  if (Status s = connection.Execute(
          "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ddb_meta' AND TABLE_NAME = "
          "'seeding'",
          &seeding);
      !s.ok()) {
    return s;
  }
  *unfinished = !seeding.rows.empty() && seeding.rows[0][0].value_or("0") != "0";
  return Status::Ok();
}

Status LoadPosition(SqlConnection& connection, StoredPosition* position) {
  bool unfinished_seed = false;
  if (Status s = SeedUnfinished(connection, &unfinished_seed); !s.ok()) return s;
  if (unfinished_seed) {
    return Status::Refused(
        "a seed of this slave's MySQL did not finish (ddb_meta.seeding exists): it holds part of a "
        "snapshot; run ddb-slave --seed --force (or --seed-from) again");
  }
  if (Status s = LoadAppliedPosition(connection, position); !s.ok()) return s;
  return LoadEpochHistory(connection, &position->epochs);
}

Status StoreClusterId(SqlConnection& connection, const std::string& cluster_id) {
  return connection.ExecuteWithParams("UPDATE ddb_meta.applied_position SET cluster_id = ? WHERE id = 1",
                                      {cluster_id});
}

Status MarkSeeding(SqlConnection& connection, const std::string& source) {
  if (Status s = connection.Execute(
          "CREATE TABLE IF NOT EXISTS ddb_meta.seeding (source VARCHAR(200) NOT NULL, started_at DATETIME(6) "
          "NOT NULL) ENGINE=InnoDB");
      !s.ok()) {
    return s;
  }
  return connection.ExecuteWithParams("INSERT INTO ddb_meta.seeding VALUES (?, NOW(6))", {source});
}

Status StoreSeededPosition(SqlConnection& connection, const std::string& cluster_id, uint64_t seq,
                           int64_t master_committed_at_micros) {
  // A seeded slave holds no record from before its snapshot: a --force seed
  // must not keep the records the replaced data came from.
  if (Status s = connection.Execute("DELETE FROM ddb_meta.applied_records"); !s.ok()) return s;
  // Nor the epochs it knew: it learns its new master's at the first connect.
  if (Status s = connection.Execute("DELETE FROM ddb_meta.epochs"); !s.ok()) return s;
  if (Status s = connection.ExecuteWithParams(
          "UPDATE ddb_meta.applied_position SET cluster_id = ?, seq = ?, master_committed_at = ?, applied_at "
          "= NOW(6) WHERE id = 1",
          {cluster_id, seq, master_committed_at_micros});
      !s.ok()) {
    return s;
  }
  return connection.Execute("DROP TABLE ddb_meta.seeding");
}

Status AcquireApplierLock(SqlConnection& connection) {
  QueryResult result;
  if (Status s = connection.Execute("SELECT GET_LOCK('ddb_meta.applier', 0)", &result); !s.ok()) return s;
  if (result.rows.empty() || result.rows[0][0].value_or("0") != "1") {
    return Status::Refused(
        "another ddb-slave is already applying to this MySQL (it holds the lock "
        "'ddb_meta.applier'); use --attach for a console beside it");
  }
  return Status::Ok();
}

Status CheckNoOtherApplier(SqlConnection& connection) {
  if (Status s = AcquireApplierLock(connection); !s.ok()) return s;
  return connection.Execute("DO RELEASE_LOCK('ddb_meta.applier')");
}

Status UpdatePosition(SqlConnection& connection, uint64_t seq, int64_t master_committed_at_micros) {
  return connection.ExecuteWithParams(
      "UPDATE ddb_meta.applied_position SET seq = ?, master_committed_at = ?, applied_at = SYSDATE(6) WHERE "
      "id = 1",
      {seq, master_committed_at_micros});  // SYSDATE: the replayed session clock is the master's
}

}  // namespace ddb
