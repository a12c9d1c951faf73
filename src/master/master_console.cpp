#include "master_console.h"

#include "replication_log.h"

namespace ddb {
namespace {

std::string SecondsAgo(int64_t then_micros, int64_t now_micros) {
  if (then_micros == 0) return "";
  const double seconds = static_cast<double>(now_micros - then_micros) / 1e6;
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f s ago", seconds < 0 ? 0.0 : seconds);
  return buffer;
}

}  // namespace

QueryResult SlavesTable(const std::vector<SlaveStatus>& slaves, uint64_t last_seq, int64_t now_micros) {
  QueryResult table;
  table.has_result_set = true;
  table.columns = {"slave", "state", "acked_seq", "behind", "peer", "last_seen", "last_error"};
  table.numeric = {false, false, true, true, false, false, false};
  for (const SlaveStatus& slave : slaves) {
    std::vector<std::optional<std::string>> row;
    row.emplace_back(slave.name);
    row.emplace_back(SlaveStateName(slave.state));
    if (slave.acked_known) {
      row.emplace_back(std::to_string(slave.acked_seq));
      row.emplace_back(std::to_string(last_seq > slave.acked_seq ? last_seq - slave.acked_seq : 0));
    } else {
      row.emplace_back(std::nullopt);
      row.emplace_back(std::nullopt);
    }
    row.emplace_back(slave.peer.empty() ? std::nullopt : std::optional<std::string>(slave.peer));
    row.emplace_back(SecondsAgo(slave.last_seen_micros, now_micros));
    row.emplace_back(slave.last_error);
    table.rows.push_back(std::move(row));
  }
  return table;
}

MasterConsole::MasterConsole(SqlSession& session, const RecentRecords& recent, const SlaveRegistry& registry,
                             std::string master_name, std::string cluster_id)
    : session_(session),
      recent_(recent),
      registry_(registry),
      master_name_(std::move(master_name)),
      cluster_id_(std::move(cluster_id)) {}

ExecutionResult MasterConsole::Execute(const std::string& sql) { return session_.Execute(sql); }

std::vector<std::pair<std::string, std::string>> MasterConsole::Commands() const {
  return {{"status", "this master, its log position and every configured slave"},
          {"slaves", "the slaves table only"}};
}

bool MasterConsole::RunCommand(const std::string& name, const std::string&, std::ostream& out) {
  if (name == "status" || name == "s") {
    PrintStatus(out);
    return true;
  }
  if (name == "slaves") {
    const QueryResult table = SlavesTable(registry_.Snapshot(), recent_.last_seq(), NowMicros());
    PrintResult(table, ResultLayout::kTable, std::chrono::nanoseconds(0), "", out);
    return true;
  }
  return false;
}

void MasterConsole::PrintStatus(std::ostream& out) const {
  out << "master:      " << master_name_ << "\n"
      << "cluster:     " << cluster_id_ << "\n"
      << "log:         last seq #" << recent_.last_seq() << "\n"
      << "session:     database " << (session_.current_database().empty() ? "(none)" : session_.current_database())
      << (session_.in_transaction() ? ", transaction open" : "") << "\n\n";
  const QueryResult table = SlavesTable(registry_.Snapshot(), recent_.last_seq(), NowMicros());
  PrintResult(table, ResultLayout::kTable, std::chrono::nanoseconds(0), "", out);
}

}  // namespace ddb
