#include "adopted_tables.h"

namespace ddb {

const char* const kAdoptedTablesSql =
    "SELECT COUNT(*), COUNT(DISTINCT a.table_schema), "
    "GROUP_CONCAT(DISTINCT a.table_schema ORDER BY a.table_schema SEPARATOR ', ') "
    "FROM ddb_meta.adopted_tables a JOIN information_schema.TABLES t "
    "ON t.TABLE_SCHEMA = a.table_schema AND t.TABLE_NAME = a.table_name";

Status RecordAdoptedTables(MySqlConnection& connection) {
  return connection.Execute(
      "INSERT IGNORE INTO ddb_meta.adopted_tables SELECT TABLE_SCHEMA, TABLE_NAME FROM "
      "information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN "
      "('mysql', 'sys', 'information_schema', 'performance_schema', 'ddb_meta')");
}

std::string AdoptedSummary(const QueryResult& result) {
  if (result.rows.empty() || result.rows[0].size() < 3) return "";
  const auto& row = result.rows[0];
  const std::string tables = row[0].value_or("0");
  if (tables == "0") return "";
  const std::string databases = row[1].value_or("0");
  return tables + (tables == "1" ? " table" : " tables") + " in " + databases +
         (databases == "1" ? " database" : " databases") + " (" + row[2].value_or("") +
         ") were here before ddb: not in the log, so a slave has them only if seeded (ddb-slave --seed)";
}

}  // namespace ddb
