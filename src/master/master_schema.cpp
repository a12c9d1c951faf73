#include "master_schema.h"

namespace ddb {

Status CreateMasterSchema(MySqlConnection& connection) {
  return ExecuteAll(connection, {
      "CREATE DATABASE IF NOT EXISTS ddb_meta",
      "CREATE TABLE IF NOT EXISTS ddb_meta.cluster ("
      " id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
      " cluster_id VARCHAR(64) NOT NULL,"
      " created_at DATETIME(6) NOT NULL"
      ") ENGINE=InnoDB",
      // One row per committed transaction or DDL. `body` is the encoded
      // statements with their replay context (see log_record.h); `state` is
      // 'pending' only while a DDL runs (DDL commits implicitly, so it cannot
      // share a transaction with its log row).
      "CREATE TABLE IF NOT EXISTS ddb_meta.replication_log ("
      " seq BIGINT UNSIGNED NOT NULL PRIMARY KEY,"
      " committed_at BIGINT NOT NULL COMMENT 'microseconds since the epoch',"
      " kind TINYINT UNSIGNED NOT NULL COMMENT '1 transaction, 2 DDL',"
      " state ENUM('pending','done') NOT NULL,"
      " body LONGBLOB NOT NULL"
      ") ENGINE=InnoDB",
      // Acknowledged positions, so purging and \status survive a restart.
      "CREATE TABLE IF NOT EXISTS ddb_meta.slave_positions ("
      " name VARCHAR(64) NOT NULL PRIMARY KEY,"
      " acked_seq BIGINT UNSIGNED NOT NULL,"
      " updated_at DATETIME(6) NOT NULL"
      ") ENGINE=InnoDB",
  });
}

Status LoadOrCreateClusterId(MySqlConnection& connection, std::string* cluster_id) {
  if (Status s = connection.Execute("INSERT IGNORE INTO ddb_meta.cluster VALUES (1, UUID(), NOW(6))"); !s.ok()) {
    return s;
  }
  QueryResult result;
  if (Status s = connection.Execute("SELECT cluster_id FROM ddb_meta.cluster WHERE id = 1", &result); !s.ok()) {
    return s;
  }
  if (result.rows.empty() || !result.rows[0][0]) return Status::NotFound("ddb_meta.cluster has no row");
  *cluster_id = *result.rows[0][0];
  return Status::Ok();
}

}  // namespace ddb
