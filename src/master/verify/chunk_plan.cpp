#include "chunk_plan.h"

namespace ddb {
namespace {

std::string ValueAt(const QueryResult& result, size_t row, size_t column) {
  return result.rows.at(row).at(column).value_or("");
}

Status ColumnsAndKey(MySqlConnection& connection, const std::string& db, const std::string& table,
                     QueryResult* columns, QueryResult* key) {
  if (Status s = connection.ExecuteWithParams(
          "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
          "ORDER BY ordinal_position",
          {db, table}, columns);
      !s.ok()) {
    return s;
  }
  return connection.ExecuteWithParams(
      "SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = ? AND "
      "table_name = ? AND constraint_name = 'PRIMARY' ORDER BY ordinal_position",
      {db, table}, key);
}

}  // namespace

Status PlanChunks(MySqlConnection& connection, const std::string& db, const std::string& table,
                  uint64_t chunk_rows, ChunkPlan* plan) {
  plan->schema = db;
  plan->name = table;
  plan->table = db + "." + table;
  QueryResult columns;
  QueryResult key;
  if (Status s = ColumnsAndKey(connection, db, table, &columns, &key); !s.ok()) return s;
  std::string values;
  std::string nulls;
  for (size_t i = 0; i < columns.rows.size(); ++i) {
    const std::string column = QuoteIdentifier(ValueAt(columns, i, 0));
    values += ", " + column;
    nulls += std::string(i ? ", " : "") + "ISNULL(" + column + ")";
  }
  const std::string qualified = QuoteIdentifier(db) + "." + QuoteIdentifier(table);
  plan->qualified = qualified;
  plan->aggregate = "COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS('#'" + values + ", CONCAT(" + nulls +
                    ")))), 0) FROM " + qualified;
  if (key.rows.empty()) {
    QueryResult count;
    if (Status s = connection.Execute("SELECT COUNT(*) FROM " + qualified, &count); !s.ok()) return s;
    if (std::stoull(ValueAt(count, 0, 0)) > chunk_rows) {
      plan->not_checkable = "not checkable: no primary key to divide it by";
      return Status::Ok();
    }
    plan->conditions.push_back("");
    plan->ranges.push_back("whole table");
    return Status::Ok();
  }
  // Walk the first key column's values in order, chunk_rows at a time.
  const std::string name = ValueAt(key, 0, 0);
  const std::string pk = QuoteIdentifier(name);
  std::string lower;
  for (;;) {
    QueryResult boundary;
    const std::string after = lower.empty() ? "" : pk + " > " + QuoteString(lower);
    if (Status s = connection.Execute("SELECT " + pk + " FROM " + qualified +
                                          (after.empty() ? "" : " WHERE " + after) + " ORDER BY " + pk +
                                          " LIMIT 1 OFFSET " + std::to_string(chunk_rows - 1),
                                      &boundary);
        !s.ok()) {
      return s;
    }
    if (boundary.rows.empty() || !boundary.rows[0][0]) {
      plan->conditions.push_back(after);
      plan->ranges.push_back(lower.empty() ? "whole table" : lower + " < " + name);
      return Status::Ok();
    }
    const std::string upper = *boundary.rows[0][0];
    const std::string up_to = pk + " <= " + QuoteString(upper);
    plan->conditions.push_back(after.empty() ? up_to : after + " AND " + up_to);
    plan->ranges.push_back((lower.empty() ? "" : lower + " < ") + name + " <= " + upper);
    lower = upper;
  }
}

}  // namespace ddb
