#include "chunk_repair.h"

#include "check_context.h"
#include "ddb/base/clock.h"

namespace ddb {
namespace {

constexpr size_t kRowsPerInsert = 100;

// Types whose values travel as X'..' (exact bytes, whatever the charset).
bool TravelsAsHex(const std::string& type) {
  static const char* const kTypes[] = {"binary",       "varbinary",         "tinyblob",   "blob",
                                       "mediumblob",   "longblob",          "geometry",   "point",
                                       "linestring",   "polygon",           "multipoint", "multilinestring",
                                       "multipolygon", "geometrycollection"};
  for (const char* binary : kTypes) {
    if (type == binary) return true;
  }
  return false;
}

// An expression giving the column's value as an SQL literal, NULL included.
std::string LiteralOf(const std::string& column, const std::string& type) {
  const std::string quoted = QuoteIdentifier(column);
  if (TravelsAsHex(type)) {
    return "IF(" + quoted + " IS NULL, 'NULL', CONCAT('X''', HEX(" + quoted + "), ''''))";
  }
  if (type == "bit") {  // HEX(b'0') is one digit, not a byte: the value as a number instead
    return "IF(" + quoted + " IS NULL, 'NULL', CAST(" + quoted + " + 0 AS CHAR))";
  }
  if (type == "float" || type == "double") {
    // A double's text round-trips; a FLOAT widened to DOUBLE first is exact.
    return "IF(" + quoted + " IS NULL, 'NULL', CAST(CAST(" + quoted + " AS DOUBLE) AS CHAR))";
  }
  return "QUOTE(" + quoted + ")";  // QUOTE(NULL) is the word NULL
}

}  // namespace

Status RewriteChunk(MySqlConnection& connection, ReplicationLog& log, const ChunkPlan& plan, size_t index,
                    uint64_t* rows, uint64_t* seq) {
  QueryResult triggers;
  if (Status s = connection.ExecuteWithParams(
          "SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_schema = ? AND "
          "event_object_table = ?",
          {plan.schema, plan.name}, &triggers);
      !s.ok()) {
    return s;
  }
  if (triggers.rows.at(0).at(0).value_or("0") != "0") {
    return Status::Refused(plan.table +
                           " has triggers, which would fire on the slaves as the rows are "
                           "rewritten; repair it by hand or re-seed the slave");
  }
  QueryResult columns;
  if (Status s = connection.ExecuteWithParams(
          "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND "
          "table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position",
          {plan.schema, plan.name}, &columns);
      !s.ok()) {
    return s;
  }
  std::string names;
  std::string literals;
  for (const auto& column : columns.rows) {
    const std::string name = column.at(0).value_or("");
    names += (names.empty() ? "" : ", ") + QuoteIdentifier(name);
    literals += (literals.empty() ? "" : ", ") + LiteralOf(name, column.at(1).value_or(""));
  }
  const std::string& condition = plan.conditions.at(index);
  const std::string where = condition.empty() ? "" : " WHERE " + condition;
  QueryResult found;
  if (Status s = connection.Execute("SELECT " + literals + " FROM " + plan.qualified + where + " FOR UPDATE",
                                    &found);
      !s.ok()) {
    return s;
  }
  const int64_t now = NowMicros();
  std::vector<LoggedStatement> statements;
  statements.push_back({"DELETE FROM " + plan.qualified + where, "", now, CheckSettings(false)});
  std::string values;
  for (size_t row = 0; row < found.rows.size(); ++row) {
    std::string tuple;
    for (const auto& cell : found.rows[row]) tuple += (tuple.empty() ? "(" : ", ") + cell.value_or("NULL");
    values += (values.empty() ? "" : ", ") + tuple + ")";
    if ((row + 1) % kRowsPerInsert == 0 || row + 1 == found.rows.size()) {
      statements.push_back({"INSERT INTO " + plan.qualified + " (" + names + ") VALUES " + values, "", now,
                            CheckSettings(false)});
      values.clear();
    }
  }
  *rows = found.rows.size();
  // On failure the caller drops the connection, which rolls the read back.
  return log.Commit(connection, std::move(statements), seq);
}

}  // namespace ddb
