#include "consistency_check.h"

#include <nlohmann/json.hpp>

#include <thread>

#include <algorithm>

#include "check_context.h"
#include "chunk_repair.h"
#include "ddb/base/clock.h"

namespace ddb {
namespace {

constexpr uint64_t kChunkRows = 1000;
constexpr int kAttempts = 10;  // per chunk, against deadlocks with the writers
constexpr int kErrorDeadlock = 1213;
constexpr int kErrorLockWaitTimeout = 1205;
constexpr auto kCatchUpDeadline = std::chrono::seconds(60);
constexpr auto kSlaveQueryTimeout = std::chrono::seconds(60);
// Every base table outside the system schemas and ddb's own.
constexpr const char* kUserTables =
    "FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
    "AND table_schema NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys', 'ddb_meta')";
// Results older than this are deleted by the next check, on every node.
constexpr uint64_t kKeepResultsMicros = 24ull * 3600 * 1000000;

std::string Cell(const QueryResult& result, size_t row, size_t column) {
  return result.rows.at(row).at(column).value_or("");
}

// "rows/crc", or "" for a NULL result (the node could not read the chunk).
std::string SumOf(const QueryResult& result, size_t row, size_t first_column) {
  const auto& cells = result.rows.at(row);
  if (!cells.at(first_column) || !cells.at(first_column + 1)) return "";
  return *cells[first_column] + "/" + *cells[first_column + 1];
}

std::string RowsOf(const std::string& sum) { return sum.substr(0, sum.find('/')); }

// What a slave shows for `plan`, whose chunks are numbered from `first`:
// "ok", or its first difference. Every differing chunk's index is added to
// `differing`.
std::string SlaveVerdict(const ChunkPlan& plan, uint32_t first, const std::map<uint32_t, std::string>& master,
                         const std::map<uint32_t, std::string>& theirs, std::vector<size_t>* differing) {
  std::string result = "ok";
  const size_t chunks = plan.conditions.size();
  for (size_t c = 0; c < chunks; ++c) {
    const uint32_t number = first + static_cast<uint32_t>(c);
    const std::string& ours = master.at(number);
    auto it = theirs.find(number);
    std::string difference;
    if (it == theirs.end()) {
      if (result == "ok") result = "error: no checksum for chunk " + std::to_string(c + 1) + " on the slave";
      continue;
    }
    if (it->second.empty()) {
      difference = "DIFFERS: table missing or unreadable";
    } else if (it->second != ours) {
      difference = "DIFFERS: chunk " + std::to_string(c + 1) + " of " + std::to_string(chunks) + ", " +
                   plan.ranges[c] + " (" + RowsOf(it->second) + " rows vs " + RowsOf(ours) +
                   " on the master)";
    }
    if (difference.empty()) continue;
    differing->push_back(c);
    if (result == "ok") result = difference;
  }
  return result;
}

}  // namespace

ConsistencyCheck::ConsistencyCheck(MySqlEndpoint master, ReplicationLog& log, const SlaveRegistry& registry,
                                   CheckRunIds& run_ids)
    : endpoint_(std::move(master)), log_(log), registry_(registry), run_ids_(run_ids) {}

Status ConsistencyCheck::Connect() {
  if (connection_) return Status::Ok();
  Status s = MySqlConnection::Open(endpoint_, &connection_);
  if (s.ok()) {
    s = connection_->Execute(CheckSettingsSql(true) + ", autocommit = 0");
  }
  if (!s.ok()) connection_.reset();
  return s;
}

Status ConsistencyCheck::Retrying(const std::function<Status()>& attempt) {
  Status s;
  for (int tries = 1;; ++tries) {
    s = Connect();
    if (s.ok()) s = attempt();
    if (s.ok()) return s;
    connection_.reset();  // rolls back whatever the attempt left open
    // A chunk's locking read competes with the writers for row locks, as
    // their own transactions do: a deadlock or lock wait ends the attempt,
    // and the chunk is read again from the start.
    const bool lost_to_a_writer =
        (s.code() == Status::Code::kMySql &&
         (s.mysql_error_code() == kErrorDeadlock || s.mysql_error_code() == kErrorLockWaitTimeout)) ||
        s.code() == Status::Code::kUnavailable;
    if (!lost_to_a_writer || tries == kAttempts) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(10 * tries));
  }
}

Status ConsistencyCheck::ListTables(const std::string& only, std::vector<ChunkPlan>* plans) {
  QueryResult tables;
  if (Status s = connection_->ExecuteWithParams(
          std::string("SELECT table_schema, table_name ") + kUserTables +
              " AND (? = '' OR CONCAT(table_schema, '.', table_name) = ?) ORDER BY table_schema, table_name",
          {only, only}, &tables);
      !s.ok()) {
    return s;
  }
  if (!only.empty() && tables.rows.empty()) {
    return Status::NotFound("no table " + only + " on the master (name it as database.table)");
  }
  for (size_t t = 0; t < tables.rows.size(); ++t) {
    ChunkPlan plan;
    if (Status s = PlanChunks(*connection_, Cell(tables, t, 0), Cell(tables, t, 1), kChunkRows, &plan);
        !s.ok()) {
      return s;
    }
    plans->push_back(std::move(plan));
  }
  // The boundaries were read in a snapshot of their own: end it, so each
  // chunk's transaction reads the rows as they are when it runs.
  return connection_->Execute("COMMIT");
}

Status ConsistencyCheck::NewRunId(uint64_t* run) {
  return Retrying([&] {
    QueryResult newest;
    Status s = connection_->Execute("SELECT COALESCE(MAX(run_id), 0) FROM ddb_meta.checksums", &newest);
    if (!s.ok()) return s;
    *run = run_ids_.Next(static_cast<uint64_t>(NowMicros()), std::stoull(Cell(newest, 0, 0)));
    return connection_->Execute("COMMIT");  // a snapshot of its own ended, as ListTables does
  });
}

Status ConsistencyCheck::TableNames(std::vector<std::string>* tables) {
  return Retrying([&] {
    tables->clear();  // of a failed attempt
    QueryResult result;
    Status s = connection_->Execute(std::string("SELECT CONCAT(table_schema, '.', table_name) ") +
                                        kUserTables + " ORDER BY table_schema, table_name",
                                    &result);
    for (size_t t = 0; s.ok() && t < result.rows.size(); ++t) tables->push_back(Cell(result, t, 0));
    // A snapshot of its own ended, as ListTables does.
    return s.ok() ? connection_->Execute("COMMIT") : s;
  });
}

Status ConsistencyCheck::LogChunk(uint64_t run, uint32_t chunk, const ChunkPlan& plan, size_t index,
                                  uint64_t* seq, std::string* sum) {
  const std::string& condition = plan.conditions[index];
  const std::string select = plan.aggregate + (condition.empty() ? "" : " WHERE " + condition);
  std::vector<LoggedStatement> statements;
  if (chunk == 1) {
    statements.push_back({"DELETE FROM ddb_meta.checksums WHERE run_id < " +
                              std::to_string(run > kKeepResultsMicros ? run - kKeepResultsMicros : 0),
                          "",
                          NowMicros(),
                          {}});
  }
  statements.push_back({"CALL ddb_meta.checksum_chunk(" + std::to_string(run) + ", " + std::to_string(chunk) +
                            ", " + QuoteString(plan.table) + ", " + QuoteString(select) + ")",
                        "", NowMicros(), CheckSettings(true)});
  Status s;
  for (const LoggedStatement& statement : statements) {
    if (s.ok()) s = connection_->Execute(statement.sql);
  }
  QueryResult result;
  if (s.ok()) {
    s = connection_->Execute("SELECT row_count, crc FROM ddb_meta.checksums WHERE run_id = " +
                                 std::to_string(run) + " AND chunk = " + std::to_string(chunk),
                             &result);
  }
  if (s.ok() && (result.rows.empty() || (*sum = SumOf(result, 0, 0)).empty())) {
    s = Status::Unavailable("the master could not checksum " + plan.table + " (" + plan.ranges[index] +
                            "): a lock wait or deadlock; run \\verify again");
  }
  if (!s.ok()) {
    connection_.reset();  // closing the session rolls the chunk's transaction back
    return s;
  }
  bool session_lost = false;
  s = log_.Commit(*connection_, std::move(statements), seq, &session_lost);
  if (!s.ok() || session_lost) connection_.reset();
  return s;
}

Status ConsistencyCheck::WaitForSlaves(VerifyReport* report, std::vector<std::string>* checked) {
  const auto deadline = std::chrono::steady_clock::now() + kCatchUpDeadline;
  for (const SlaveStatus& slave : registry_.Snapshot()) report->slave_names.push_back(slave.name);
  // Poll the acknowledged positions: acks arrive on their own. A slave that
  // is offline now computes its sums when it applies the records; this
  // report cannot wait for it.
  for (;;) {
    bool waiting = false;
    for (const SlaveStatus& slave : registry_.Snapshot()) {
      const bool connected =
          slave.state != SlaveState::kNeverConnected && slave.state != SlaveState::kOffline;
      if (connected && slave.acked_seq < report->position) waiting = true;
    }
    if (!waiting || std::chrono::steady_clock::now() > deadline) break;
    if (stopping_ && stopping_()) return Status::Unavailable("the check was stopped");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (const SlaveStatus& slave : registry_.Snapshot()) {
    if (slave.acked_seq >= report->position) {
      checked->push_back(slave.name);
    } else if (slave.state == SlaveState::kNeverConnected || slave.state == SlaveState::kOffline) {
      report->skipped[slave.name] = std::string(SlaveStateName(slave.state)) + ": not checked";
    } else {
      report->skipped[slave.name] = "did not reach #" + std::to_string(report->position) + " (at #" +
                                    std::to_string(slave.acked_seq) + "): not checked";
    }
  }
  return Status::Ok();
}

Status ConsistencyCheck::SlaveSums(const std::string& slave, uint64_t run, ChunkSums* sums) const {
  QueryRequest request;
  request.sql = "SELECT chunk, row_count, crc FROM ddb_meta.checksums WHERE run_id = " + std::to_string(run);
  QueryResult result;
  if (Status s = registry_.QuerySlave(slave, std::move(request), kSlaveQueryTimeout, &result); !s.ok()) {
    return s;
  }
  for (size_t row = 0; row < result.rows.size(); ++row) {
    (*sums)[static_cast<uint32_t>(std::stoul(Cell(result, row, 0)))] = SumOf(result, row, 1);
  }
  return Status::Ok();
}

Status ConsistencyCheck::Run(VerifyReport* report, const std::string& table) {
  if (Status s = Connect(); !s.ok()) return s;
  uint64_t run = 0;
  if (Status s = NewRunId(&run); !s.ok()) return s;
  std::vector<ChunkPlan>& plans = report->plans;
  const auto planning = std::chrono::steady_clock::now();
  if (Status s = ListTables(table, &plans); !s.ok()) {
    connection_.reset();
    return s;
  }
  // Finding a large table's chunk boundaries reads its whole key: paced
  // like a chunk.
  if (after_chunk_) {
    if (Status s = after_chunk_(std::chrono::steady_clock::now() - planning); !s.ok()) return s;
  }
  // The master's sums, by chunk number across all tables.
  ChunkSums master;
  std::vector<uint32_t> first_chunk;  // per plan
  uint32_t next_chunk = 1;
  for (const ChunkPlan& plan : plans) {
    first_chunk.push_back(next_chunk);
    for (size_t c = 0; c < plan.conditions.size(); ++c, ++next_chunk) {
      const auto started = std::chrono::steady_clock::now();
      if (Status s = Retrying(
              [&] { return LogChunk(run, next_chunk, plan, c, &report->position, &master[next_chunk]); });
          !s.ok()) {
        return s;
      }
      if (after_chunk_) {
        if (Status s = after_chunk_(std::chrono::steady_clock::now() - started); !s.ok()) return s;
      }
    }
  }
  std::vector<std::string> checked;
  if (Status s = WaitForSlaves(report, &checked); !s.ok()) return s;
  std::map<std::string, ChunkSums> slaves;
  std::map<std::string, std::string> errors;
  for (const std::string& slave : checked) {
    if (Status s = SlaveSums(slave, run, &slaves[slave]); !s.ok()) errors[slave] = "error: " + s.ToString();
  }
  for (size_t p = 0; p < plans.size(); ++p) {
    const ChunkPlan& plan = plans[p];
    TableVerdict verdict;
    verdict.table = plan.table;
    const size_t chunks = plan.conditions.size();
    for (size_t c = 0; c < chunks; ++c) {
      verdict.master_rows += std::stoull(RowsOf(master[first_chunk[p] + static_cast<uint32_t>(c)]));
    }
    for (const std::string& slave : checked) {
      std::vector<size_t> differing;
      std::string result = !plan.not_checkable.empty() ? plan.not_checkable
                           : errors.count(slave)
                               ? errors[slave]
                               : SlaveVerdict(plan, first_chunk[p], master, slaves[slave], &differing);
      for (size_t c : differing) {
        verdict.differing_chunks.push_back(c);
        verdict.differing_slaves[c].push_back(slave);
      }
      if (result != "ok" && result.rfind("not checkable", 0) != 0) report->all_equal = false;
      verdict.slaves[slave] = result;
    }
    std::sort(verdict.differing_chunks.begin(), verdict.differing_chunks.end());
    verdict.differing_chunks.erase(
        std::unique(verdict.differing_chunks.begin(), verdict.differing_chunks.end()),
        verdict.differing_chunks.end());
    report->tables.push_back(std::move(verdict));
  }
  if (checked.empty() && !report->slave_names.empty()) report->all_equal = false;
  return Status::Ok();
}

Status ConsistencyCheck::Repair(const std::string& table, size_t chunk, RepairReport* report) {
  report->table = table;
  VerifyReport before;
  if (Status s = Run(&before, table); !s.ok()) return s;
  const ChunkPlan& plan = before.plans.at(0);
  if (!plan.not_checkable.empty()) return Status::Refused(table + " is " + plan.not_checkable);
  std::vector<size_t> chunks;
  if (chunk != 0) {
    if (chunk > plan.conditions.size()) {
      return Status::InvalidArgument(table + " has " + std::to_string(plan.conditions.size()) +
                                     " chunk(s) now, not " + std::to_string(chunk));
    }
    chunks.push_back(chunk - 1);
  } else {
    chunks = before.tables.at(0).differing_chunks;
  }
  for (size_t index : chunks) {
    if (Status s = Connect(); !s.ok()) return s;
    uint64_t rows = 0;
    uint64_t seq = 0;
    if (Status s = Retrying([&] { return RewriteChunk(*connection_, log_, plan, index, &rows, &seq); });
        !s.ok()) {
      return s;
    }
    ++report->chunks_rewritten;
    report->rows_rewritten += rows;
  }
  // Checked again: the new checksums come after the rewrite in the log.
  return Run(&report->after, table);
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
