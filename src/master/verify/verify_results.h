// VerifyResults: what the master last learned of each table's copies, from
// continuous mode's passes, POST /api/verify, \verify and repairs. Read by
// \status, GET /api/verify, /metrics and the dashboard; written by whichever
// check finished last. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "consistency_check.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

enum class TableState {
  kEqual,    // every configured slave was checked and matches the master
  kDiffers,  // at least one chunk differs on at least one slave
  kUnknown,  // not checkable (no primary key), or a slave was not checked (offline, behind, an error)
};

const char* TableStateName(TableState state);  // "equal" | "differs" | "unknown"

struct ChunkDifference {
  size_t chunk = 0;   // 1-based, as \repair takes it
  size_t chunks = 0;  // of the table, when it was checked
  std::string range;  // "1000 < id <= 2000"
  std::vector<std::string> slaves;
};

struct TableResult {
  std::string table;  // db.table
  TableState state = TableState::kUnknown;
  int64_t checked_at_micros = 0;
  uint64_t position = 0;  // the log position the check was taken at
  uint64_t master_rows = 0;
  size_t chunks = 0;
  std::vector<ChunkDifference> differences;
  std::map<std::string, std::string> slaves;  // slave -> "ok", its first difference, or why not checked
  std::string reason;                         // for kUnknown: why
};

// Continuous mode's progress.
struct PassProgress {
  int64_t interval_seconds = 0;  // 0: continuous mode off
  int busy_percent = 0;          // the walker's share of the time (verify_busy_percent)
  bool running = false;
  std::string current_table;  // while running
  uint64_t passes_completed = 0;
  int64_t last_pass_started_micros = 0;
  int64_t last_pass_completed_micros = 0;
  std::string last_error;  // of the last pass; "" when it went through
  // Time the walker spent reading chunks and their boundaries, since the
  // start: its pauses keep this within busy_percent of the time it runs.
  double busy_seconds = 0;
};

// One table's result from a report that checked it.
TableResult ResultOf(const VerifyReport& report, size_t table, int64_t now_micros);

class VerifyResults {
 public:
  // Every table `report` checked.
  void Record(const VerifyReport& report, int64_t now_micros);
  void Record(TableResult result);
  // Forgets tables not in `tables` (dropped since they were checked).
  void KeepOnly(const std::set<std::string>& tables);

  // Changes the progress under the lock (the walker and a reload both do).
  void UpdateProgress(const std::function<void(PassProgress&)>& change);
  PassProgress Progress() const;
  std::vector<TableResult> Tables() const;  // by name
  // Over every table's last result: chunks that differ (on any slave).
  size_t ChunksDiffering() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, TableResult> tables_;  // guarded by mutex_
  PassProgress progress_;                      // guarded by mutex_
};

// GET /api/verify's answer.
nlohmann::json VerifyResultsJson(const VerifyResults& results);
// \status's verification lines and table: one row per table.
void PrintVerifyResults(const VerifyResults& results, int64_t now_micros, std::ostream& out);

}  // namespace ddb
