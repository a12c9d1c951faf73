#include "master_schema.h"

#include <string>
#include <string_view>

#include "ddb/mysql/checksum_schema.h"
#include "log_writers.h"

namespace ddb {

namespace {

// One of the log's writes, each with its COMMIT in the same round trip.
// SQL SECURITY DEFINER: an endpoint session runs as its user's own MySQL
// account, which holds EXECUTE on these procedures (log_access.h) and no
// privilege on ddb_meta itself. Each first checks that the calling
// connection is one of this ddb-master's sessions (log_writers.h).
std::string LogProcedure(std::string_view name, std::string_view parameters, std::string_view body) {
  return "CREATE OR REPLACE PROCEDURE ddb_meta." + std::string(name) + "(" + std::string(parameters) +
         ") SQL SECURITY DEFINER BEGIN " + LogWriters::RequireWriterSql() + " " + std::string(body) + " END";
}

constexpr std::string_view kRecordParameters =
    "IN p_seq BIGINT UNSIGNED, IN p_committed_at BIGINT, IN p_body LONGBLOB";

}  // namespace

Status CreateMasterSchema(MySqlConnection& connection) {
  // A transaction's log row: it runs inside the session's open transaction;
  // if the insert fails, the COMMIT is never reached and the caller rolls
  // back. The session's autocommit is left as it is (SqlSession keeps it
  // off between writes).
  const std::string commit_record =
      LogProcedure("commit_record", kRecordParameters,
                   "INSERT INTO ddb_meta.replication_log (seq, committed_at, kind, state, body)"
                   " VALUES (p_seq, p_committed_at, 1, 'done', p_body);"
                   " COMMIT;");
  // A DDL's row before it runs, and after: marked done, or removed when it
  // failed. Each commits at once: in a session with autocommit=0 it would
  // otherwise wait in an open transaction that a later ROLLBACK could undo.
  const std::string ddl_pending =
      LogProcedure("ddl_pending", kRecordParameters,
                   "INSERT INTO ddb_meta.replication_log (seq, committed_at, kind, state, body)"
                   " VALUES (p_seq, p_committed_at, 2, 'pending', p_body);"
                   " COMMIT;");
  const std::string ddl_done = LogProcedure(
      "ddl_done", kRecordParameters,
      "UPDATE ddb_meta.replication_log SET state = 'done', committed_at = p_committed_at, body = p_body"
      " WHERE seq = p_seq;"
      " COMMIT;");
  const std::string ddl_forget = LogProcedure("ddl_forget", "IN p_seq BIGINT UNSIGNED",
                                              "DELETE FROM ddb_meta.replication_log WHERE seq = p_seq;"
                                              " COMMIT;");
  Status s =
      ExecuteAll(connection, {
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
                                 // Everything up to purged_through was purged: a slave positioned
                                 // before it must be re-seeded. Numbers above it that are missing from
                                 // the log are gaps (allocated, never committed). A log that predates
                                 // this table starts out purged up to just before its oldest row.
                                 "CREATE TABLE IF NOT EXISTS ddb_meta.log_state ("
                                 " id TINYINT UNSIGNED NOT NULL PRIMARY KEY,"
                                 " purged_through BIGINT UNSIGNED NOT NULL"
                                 ") ENGINE=InnoDB",
                                 "INSERT IGNORE INTO ddb_meta.log_state (id, purged_through) "
                                 "SELECT 1, COALESCE(MIN(seq), 1) - 1 FROM ddb_meta.replication_log",
                                 // The log continues after at least this number: a promoted slave's
                                 // position may end in gaps, which have no row (master_role.h).
                                 "ALTER TABLE ddb_meta.log_state ADD COLUMN IF NOT EXISTS"
                                 " last_seq_floor BIGINT UNSIGNED NOT NULL DEFAULT 0",
                                 // The connections allowed to call the procedures below.
                                 LogWriters::CreateTableSql(),
                                 commit_record.c_str(),
                                 ddl_pending.c_str(),
                                 ddl_done.c_str(),
                                 ddl_forget.c_str(),
                                 // What the MariaDB held before ddb first ran on it (adopted_tables.h).
                                 "CREATE TABLE IF NOT EXISTS ddb_meta.adopted_tables ("
                                 " table_schema VARCHAR(64) NOT NULL,"
                                 " table_name VARCHAR(64) NOT NULL,"
                                 " PRIMARY KEY (table_schema, table_name)"
                                 ") ENGINE=InnoDB",
                                 // Acknowledged positions, so purging and \status survive a restart.
                                 "CREATE TABLE IF NOT EXISTS ddb_meta.slave_positions ("
                                 " name VARCHAR(64) NOT NULL PRIMARY KEY,"
                                 " acked_seq BIGINT UNSIGNED NOT NULL,"
                                 " updated_at DATETIME(6) NOT NULL"
                                 ") ENGINE=InnoDB",
                             });
  if (s.ok()) s = CreateChecksumSchema(connection);
  return s;
}

Status LoadOrCreateClusterId(MySqlConnection& connection, std::string* cluster_id) {
  if (Status s = connection.Execute("INSERT IGNORE INTO ddb_meta.cluster VALUES (1, UUID(), NOW(6))");
      !s.ok()) {
    return s;
  }
  QueryResult result;
  if (Status s = connection.Execute("SELECT cluster_id FROM ddb_meta.cluster WHERE id = 1", &result);
      !s.ok()) {
    return s;
  }
  if (result.rows.empty() || !result.rows[0][0]) return Status::NotFound("ddb_meta.cluster has no row");
  *cluster_id = *result.rows[0][0];
  return Status::Ok();
}

}  // namespace ddb
