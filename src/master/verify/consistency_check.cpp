#include "consistency_check.h"

#include <nlohmann/json.hpp>

#include <thread>

namespace ddb {
namespace {

constexpr uint64_t kChunkRows = 1000;
constexpr auto kCatchUpDeadline = std::chrono::seconds(60);
constexpr auto kSlaveQueryTimeout = std::chrono::seconds(60);

std::string Cell(const QueryResult& result, size_t row, size_t column) {
  return result.rows.at(row).at(column).value_or("");
}

}  // namespace

ConsistencyCheck::ConsistencyCheck(MySqlEndpoint master, const SlaveRegistry& registry,
                                   const RecentRecords& recent)
    : endpoint_(std::move(master)), registry_(registry), recent_(recent) {}

Status ConsistencyCheck::WaitForSlaves(VerifyReport* report, std::vector<std::string>* checked) {
  report->position = recent_.last_seq();
  const auto deadline = std::chrono::steady_clock::now() + kCatchUpDeadline;
  for (const SlaveStatus& slave : registry_.Snapshot()) {
    report->slave_names.push_back(slave.name);
    if (slave.state == SlaveState::kNeverConnected || slave.state == SlaveState::kOffline) {
      report->skipped[slave.name] = std::string(SlaveStateName(slave.state)) + ": not checked";
      continue;
    }
    checked->push_back(slave.name);
  }
  // Poll the acknowledged positions: acks arrive on their own.
  for (;;) {
    bool all_there = true;
    for (const SlaveStatus& slave : registry_.Snapshot()) {
      if (std::find(checked->begin(), checked->end(), slave.name) == checked->end()) continue;
      if (slave.acked_seq < report->position) all_there = false;
    }
    if (all_there) return Status::Ok();
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (const SlaveStatus& slave : registry_.Snapshot()) {
    auto it = std::find(checked->begin(), checked->end(), slave.name);
    if (it == checked->end() || slave.acked_seq >= report->position) continue;
    report->skipped[slave.name] = "did not reach #" + std::to_string(report->position) + " (at #" +
                                  std::to_string(slave.acked_seq) + "): not checked";
    checked->erase(it);
  }
  return Status::Ok();
}

Status ConsistencyCheck::ChunkQueries(const std::string& db, const std::string& table,
                                      std::vector<std::string>* queries) {
  QueryResult columns;
  if (Status s = connection_->ExecuteWithParams(
          "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
          "ORDER BY ordinal_position",
          {db, table}, &columns);
      !s.ok()) {
    return s;
  }
  QueryResult key;
  if (Status s = connection_->ExecuteWithParams("SELECT column_name FROM information_schema.key_column_usage "
                                                "WHERE table_schema = ? AND table_name = ? "
                                                "AND constraint_name = 'PRIMARY' ORDER BY ordinal_position",
                                                {db, table}, &key);
      !s.ok()) {
    return s;
  }
  // One CRC per row over every column, NULLs told apart from empty strings by
  // the trailing ISNULL flags; BIT_XOR makes the chunk's sum order-free.
  std::string values;
  std::string nulls;
  for (size_t i = 0; i < columns.rows.size(); ++i) {
    const std::string column = QuoteIdentifier(Cell(columns, i, 0));
    values += ", " + column;
    nulls += std::string(i ? ", " : "") + "ISNULL(" + column + ")";
  }
  const std::string qualified = QuoteIdentifier(db) + "." + QuoteIdentifier(table);
  const std::string select = "SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS('#'" + values + ", CONCAT(" +
                             nulls + ")))), 0) FROM " + qualified;
  if (key.rows.empty()) {  // no primary key: the whole table in one chunk
    queries->push_back(select);
    return Status::Ok();
  }
  // Chunk on the first primary-key column, walking its values in order.
  const std::string pk = QuoteIdentifier(Cell(key, 0, 0));
  std::string lower;
  for (;;) {
    QueryResult boundary;
    const std::string where = lower.empty() ? "" : " WHERE " + pk + " > " + QuoteString(lower);
    if (Status s = connection_->Execute("SELECT " + pk + " FROM " + qualified + where + " ORDER BY " + pk +
                                            " LIMIT 1 OFFSET " + std::to_string(kChunkRows - 1),
                                        &boundary);
        !s.ok()) {
      return s;
    }
    if (boundary.rows.empty() || !boundary.rows[0][0]) {
      queries->push_back(select + where);
      return Status::Ok();
    }
    const std::string upper = *boundary.rows[0][0];
    queries->push_back(select + (lower.empty() ? " WHERE " : where + " AND ") + pk +
                       " <= " + QuoteString(upper));
    lower = upper;
  }
}

Status ConsistencyCheck::Run(VerifyReport* report) {
  if (!connection_) {
    if (Status s = MySqlConnection::Open(endpoint_, &connection_); !s.ok()) return s;
  }
  std::vector<std::string> checked;
  if (Status s = WaitForSlaves(report, &checked); !s.ok()) return s;
  QueryResult tables;
  if (Status s = connection_->Execute(
          "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
          "AND "
          "table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys', 'ddb_meta') "
          "ORDER BY table_schema, table_name",
          &tables);
      !s.ok()) {
    return s;
  }
  for (size_t t = 0; t < tables.rows.size(); ++t) {
    const std::string db = Cell(tables, t, 0);
    const std::string table = Cell(tables, t, 1);
    TableVerdict verdict;
    verdict.table = db + "." + table;
    std::vector<std::string> chunks;
    if (Status s = ChunkQueries(db, table, &chunks); !s.ok()) return s;
    std::vector<std::string> master_sums;
    for (const std::string& chunk : chunks) {
      QueryResult sum;
      if (Status s = connection_->Execute(chunk, &sum); !s.ok()) return s;
      verdict.master_rows += std::stoull(Cell(sum, 0, 0));
      master_sums.push_back(Cell(sum, 0, 0) + "/" + Cell(sum, 0, 1));
    }
    for (const std::string& slave : checked) {
      std::string result = "ok";
      for (size_t c = 0; c < chunks.size() && result == "ok"; ++c) {
        QueryResult sum;
        QueryRequest request;
        request.sql = chunks[c];
        Status s = registry_.QuerySlave(slave, std::move(request), kSlaveQueryTimeout, &sum);
        if (!s.ok()) {
          result = s.code() == Status::Code::kMySql && s.mysql_error_code() == 1146
                       ? "DIFFERS: table missing"
                       : "error: " + s.ToString();
        } else if (Cell(sum, 0, 0) + "/" + Cell(sum, 0, 1) != master_sums[c]) {
          result = "DIFFERS: chunk " + std::to_string(c + 1) + " of " + std::to_string(chunks.size()) + " (" +
                   Cell(sum, 0, 0) + " rows vs " + master_sums[c].substr(0, master_sums[c].find('/')) +
                   " on the master)";
        }
      }
      if (result != "ok") report->all_equal = false;
      verdict.slaves[slave] = result;
    }
    report->tables.push_back(std::move(verdict));
  }
  if (checked.empty() && !report->slave_names.empty()) report->all_equal = false;
  return Status::Ok();
}

QueryResult VerifyTable(const VerifyReport& report) {
  QueryResult table;
  table.has_result_set = true;
  table.columns = {"table", "master_rows"};
  table.numeric = {false, true};
  for (const std::string& slave : report.slave_names) {
    table.columns.push_back(slave);
    table.numeric.push_back(false);
  }
  for (const TableVerdict& verdict : report.tables) {
    std::vector<std::optional<std::string>> row = {verdict.table, std::to_string(verdict.master_rows)};
    for (const std::string& slave : report.slave_names) {
      auto skipped = report.skipped.find(slave);
      auto checked = verdict.slaves.find(slave);
      row.emplace_back(checked != verdict.slaves.end()   ? checked->second
                       : skipped != report.skipped.end() ? skipped->second
                                                         : "not checked");
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string VerifyJson(const VerifyReport& report) {
  nlohmann::json json;
  json["position"] = report.position;
  json["all_equal"] = report.all_equal;
  json["skipped"] = report.skipped;
  json["tables"] = nlohmann::json::array();
  for (const TableVerdict& verdict : report.tables) {
    json["tables"].push_back(
        {{"table", verdict.table}, {"master_rows", verdict.master_rows}, {"slaves", verdict.slaves}});
  }
  return json.dump();
}

}  // namespace ddb
