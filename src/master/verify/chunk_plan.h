// ChunkPlan: how \verify divides a table. Chunks of about `chunk_rows` rows
// by the first primary-key column, so a check of a large table locks a
// thousand rows at a time, never the table; each chunk's checksum is one
// CRC per row over every column, NULLs told apart from empty strings,
// combined with BIT_XOR so the order rows are read in does not matter.
#pragma once

#include <string>
#include <vector>

#include "ddb/mysql/mysql_connection.h"

namespace ddb {

struct ChunkPlan {
  std::string schema;
  std::string name;
  std::string table;      // db.table, as reports name it
  std::string qualified;  // `db`.`table`
  std::string aggregate;  // "COUNT(*), COALESCE(BIT_XOR(CRC32(...)), 0) FROM `db`.`table`"
  // One per chunk: the WHERE clause ("" for a whole table) and the key range
  // in words, for the report ("id <= 1000", "1000 < id <= 2000").
  std::vector<std::string> conditions;
  std::vector<std::string> ranges;
  std::string not_checkable;  // set when the table is not checked, and why
};

// Reads the table's columns and key, and its chunk boundaries as they are
// now; rows inserted later still fall into a chunk, as the first and last
// ranges are open-ended. A table without a primary key is one chunk when it
// holds at most `chunk_rows` rows, and not checkable otherwise.
Status PlanChunks(MySqlConnection& connection, const std::string& db, const std::string& table,
                  uint64_t chunk_rows, ChunkPlan* plan);

}  // namespace ddb
