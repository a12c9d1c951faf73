#include "verify_results.h"

#include "ddb/console/result_printer.h"

namespace ddb {
namespace {

bool Differs(const std::string& verdict) { return verdict.rfind("DIFFERS", 0) == 0; }

std::string Ago(int64_t then_micros, int64_t now_micros) {
  if (then_micros == 0) return "never";
  return std::to_string(std::max<int64_t>(0, now_micros - then_micros) / 1000000) + " s ago";
}

}  // namespace

const char* TableStateName(TableState state) {
  switch (state) {
    case TableState::kEqual: return "equal";
    case TableState::kDiffers: return "differs";
    case TableState::kUnknown: break;
  }
  return "unknown";
}

TableResult ResultOf(const VerifyReport& report, size_t table, int64_t now_micros) {
  const TableVerdict& verdict = report.tables.at(table);
  const ChunkPlan& plan = report.plans.at(table);
  TableResult result;
  result.table = verdict.table;
  result.checked_at_micros = now_micros;
  result.position = report.position;
  result.master_rows = verdict.master_rows;
  result.chunks = plan.conditions.size();
  result.slaves = verdict.slaves;
  for (const auto& [slave, why] : report.skipped) result.slaves[slave] = why;
  for (const auto& [chunk, slaves] : verdict.differing_slaves) {
    result.differences.push_back({chunk + 1, result.chunks, plan.ranges.at(chunk), slaves});
  }
  bool differs = !result.differences.empty();
  std::string unknown;
  for (const std::string& slave : report.slave_names) {
    auto it = result.slaves.find(slave);
    if (it == result.slaves.end()) {
      unknown += (unknown.empty() ? "" : "; ") + slave + ": not checked";
    } else if (Differs(it->second)) {
      differs = true;
    } else if (it->second != "ok") {
      unknown += (unknown.empty() ? "" : "; ") + slave + ": " + it->second;
    }
  }
  if (!plan.not_checkable.empty()) {
    result.state = TableState::kUnknown;
    result.reason = plan.not_checkable;
  } else if (differs) {
    result.state = TableState::kDiffers;
  } else if (!unknown.empty() || report.slave_names.empty()) {
    result.state = TableState::kUnknown;
    result.reason = unknown.empty() ? "no slave to compare with" : unknown;
  } else {
    result.state = TableState::kEqual;
  }
  return result;
}

void VerifyResults::Record(const VerifyReport& report, int64_t now_micros) {
  for (size_t t = 0; t < report.tables.size(); ++t) Record(ResultOf(report, t, now_micros));
}

void VerifyResults::Record(TableResult result) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string name = result.table;
  tables_[name] = std::move(result);
}

void VerifyResults::KeepOnly(const std::set<std::string>& tables) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase_if(tables_, [&](const auto& entry) { return !tables.count(entry.first); });
}

void VerifyResults::UpdateProgress(const std::function<void(PassProgress&)>& change) {
  std::lock_guard<std::mutex> lock(mutex_);
  change(progress_);
}

PassProgress VerifyResults::Progress() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return progress_;
}

std::vector<TableResult> VerifyResults::Tables() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<TableResult> tables;
  for (const auto& [name, result] : tables_) tables.push_back(result);
  return tables;
}

size_t VerifyResults::ChunksDiffering() const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t chunks = 0;
  for (const auto& [name, result] : tables_) chunks += result.differences.size();
  return chunks;
}

nlohmann::json VerifyResultsJson(const VerifyResults& results) {
  const PassProgress progress = results.Progress();
  nlohmann::json tables = nlohmann::json::array();
  for (const TableResult& result : results.Tables()) {
    nlohmann::json differences = nlohmann::json::array();
    for (const ChunkDifference& difference : result.differences) {
      differences.push_back({{"chunk", difference.chunk},
                             {"chunks", difference.chunks},
                             {"range", difference.range},
                             {"slaves", difference.slaves}});
    }
    tables.push_back({{"table", result.table},
                      {"state", TableStateName(result.state)},
                      {"checked_at_micros", result.checked_at_micros},
                      {"position", result.position},
                      {"master_rows", result.master_rows},
                      {"chunks", result.chunks},
                      {"differences", std::move(differences)},
                      {"slaves", result.slaves},
                      {"reason", result.reason}});
  }
  return nlohmann::json{{"interval_seconds", progress.interval_seconds},
                        {"busy_percent", progress.busy_percent},
                        {"running", progress.running},
                        {"current_table", progress.current_table},
                        {"passes_completed", progress.passes_completed},
                        {"last_pass_started_micros", progress.last_pass_started_micros},
                        {"last_pass_completed_micros", progress.last_pass_completed_micros},
                        {"last_error", progress.last_error},
                        {"busy_seconds", progress.busy_seconds},
                        {"chunks_differing", results.ChunksDiffering()},
                        {"tables", std::move(tables)}};
}

void PrintVerifyResults(const VerifyResults& results, int64_t now_micros, std::ostream& out) {
  const PassProgress progress = results.Progress();
  out << "verify:      ";
  if (progress.interval_seconds == 0) {
    out << "continuous mode off (verify_interval_seconds = 0)";
  } else {
    out << "a pass every " << progress.interval_seconds << " s, at most " << progress.busy_percent
        << "% of the time";
  }
  out << "; " << progress.passes_completed << " pass(es) done, last "
      << Ago(progress.last_pass_completed_micros, now_micros);
  if (progress.running) out << "; checking " << progress.current_table << " now";
  if (!progress.last_error.empty()) out << "; last pass failed: " << progress.last_error;
  out << "\n";
  const std::vector<TableResult> tables = results.Tables();
  if (tables.empty()) return;
  QueryResult table;
  table.has_result_set = true;
  table.columns = {"table", "state", "last_checked", "differences"};
  table.numeric = {false, false, false, false};
  for (const TableResult& result : tables) {
    std::string differences;
    for (const ChunkDifference& difference : result.differences) {
      std::string slaves;
      for (const std::string& slave : difference.slaves) slaves += (slaves.empty() ? "" : ", ") + slave;
      differences += (differences.empty() ? "" : "; ") + std::string("chunk ") +
                     std::to_string(difference.chunk) + " (" + difference.range + ") on " + slaves;
    }
    if (result.state == TableState::kUnknown) differences = result.reason;
    table.rows.push_back({result.table, std::string(TableStateName(result.state)),
                          Ago(result.checked_at_micros, now_micros), differences});
  }
  out << "\n";
  PrintResult(table, ResultLayout::kTable, std::chrono::nanoseconds(0), "", out);
}

}  // namespace ddb
