#include "ddb/mysql/checksum_schema.h"

namespace ddb {

Status CreateChecksumSchema(MySqlConnection& connection) {
  return ExecuteAll(
      connection,
      {
          "CREATE TABLE IF NOT EXISTS ddb_meta.checksums ("
          " run_id BIGINT UNSIGNED NOT NULL,"
          " chunk INT UNSIGNED NOT NULL,"
          " table_name VARCHAR(200) NOT NULL,"
          " row_count BIGINT UNSIGNED NULL COMMENT 'NULL: the chunk could not be read here',"
          " crc BIGINT UNSIGNED NULL,"
          " PRIMARY KEY (run_id, chunk)"
          ") ENGINE=InnoDB",
          // A routine keeps the sql_mode it was created with: the same on
          // every node, so values are concatenated the same way everywhere.
          "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'",
          "CREATE OR REPLACE PROCEDURE ddb_meta.checksum_chunk("
          " IN p_run BIGINT UNSIGNED, IN p_chunk INT UNSIGNED, IN p_table VARCHAR(200), IN p_select TEXT)"
          " SQL SECURITY INVOKER"
          " BEGIN"
          "  DECLARE EXIT HANDLER FOR SQLEXCEPTION"
          "   REPLACE INTO ddb_meta.checksums VALUES (p_run, p_chunk, p_table, NULL, NULL);"
          "  SET @ddb_checksum_chunk = CONCAT('REPLACE INTO ddb_meta.checksums SELECT ', p_run, ', ', "
          "p_chunk,"
          "   ', ', QUOTE(p_table), ', ', p_select);"
          "  PREPARE ddb_checksum_chunk FROM @ddb_checksum_chunk;"
          "  EXECUTE ddb_checksum_chunk;"
          "  DEALLOCATE PREPARE ddb_checksum_chunk;"
          " END",
      });
}

}  // namespace ddb
