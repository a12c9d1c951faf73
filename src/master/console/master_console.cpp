#include "master_console.h"

#include "adopted_tables.h"

#include <sstream>

#include "replication_log.h"
#include "slave_lag.h"

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

QueryResult SlavesTable(const std::vector<SlaveStatus>& slaves, const RecentRecords& recent,
                        int64_t now_micros) {
  const uint64_t last_seq = recent.last_seq();
  QueryResult table;
  table.has_result_set = true;
  table.columns = {"slave", "state", "acked_seq", "behind", "lag_s", "peer", "last_seen", "last_error"};
  table.numeric = {false, false, true, true, true, false, false, false};
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
    const std::optional<double> lag = SlaveLagSeconds(slave, recent, now_micros);
    char lag_text[32];
    if (lag) std::snprintf(lag_text, sizeof(lag_text), "%.1f", *lag);
    row.emplace_back(lag ? std::optional<std::string>(lag_text) : std::nullopt);
    row.emplace_back(slave.peer.empty() ? std::nullopt : std::optional<std::string>(slave.peer));
    row.emplace_back(SecondsAgo(slave.last_seen_micros, now_micros));
    row.emplace_back(slave.applier_problem.empty() ? slave.last_error : slave.applier_problem);
    table.rows.push_back(std::move(row));
  }
  return table;
}

MasterConsole::MasterConsole(SqlSession& session, const RecentRecords& recent, const SlaveRegistry& registry,
                             ConsistencyCheck& verify, VerifyResults& verify_results, ReadRouter& router,
                             SyncReplication& sync, std::string master_name, std::string cluster_id,
                             std::function<std::string()> reload, MySqlEndpoint mysql,
                             const EndpointReads* endpoint_reads)
    : session_(session),
      recent_(recent),
      registry_(registry),
      verify_(verify),
      verify_results_(verify_results),
      router_(router),
      sync_(sync),
      master_name_(std::move(master_name)),
      cluster_id_(std::move(cluster_id)),
      reload_(std::move(reload)),
      mysql_(std::move(mysql)),
      endpoint_reads_(endpoint_reads) {}

ExecutionResult MasterConsole::Execute(const std::string& sql) {
  {
    std::lock_guard<std::mutex> lock(running_mutex_);
    running_read_ = ClassifyStatement(sql).kind == StatementKind::kRead;
    running_connection_ = session_.connection_id();
  }
  ExecutionResult outcome = session_.Execute(sql);
  {
    std::lock_guard<std::mutex> lock(running_mutex_);
    running_read_ = false;
    running_connection_ = 0;
  }
  return outcome;
}

std::string MasterConsole::CancelRunning() {
  uint64_t connection_id = 0;
  {
    std::lock_guard<std::mutex> lock(running_mutex_);
    if (!running_read_)
      return "Ctrl-C: a write is not cancelled once sent (its commit may be under way); waiting for it";
    connection_id = running_connection_;
  }
  if (connection_id == 0) return "Ctrl-C: this session has no MySQL connection to cancel on yet; waiting";
  std::unique_ptr<MySqlConnection> killer;
  Status s = MySqlConnection::Open(mysql_, &killer);
  if (s.ok()) s = killer->Execute("KILL QUERY " + std::to_string(connection_id));
  if (!s.ok()) return "Ctrl-C: could not cancel the statement: " + s.ToString();
  return "Ctrl-C: KILL QUERY " + std::to_string(connection_id) + " sent to the master's MySQL";
}

std::vector<std::pair<std::string, std::string>> MasterConsole::Commands() const {
  return {
      {"status", "this master, its log position and every configured slave"},
      {"slaves", "the slaves table only"},
      {"reload", "re-read the config file and apply every key that can change live (also SIGHUP)"},
      {"verify [json]", "checksum every table on every node and show differences"},
      {"repair DB.TABLE [CHUNK]", "rewrite on the slaves the chunks of a table that differ, then verify it"},
      {"read_from slaves|master", "where reads at this console go"},
      {"sync_slaves [N]", "writes return once N slaves applied them (0: asynchronous); no N: show"},
      {"switchover NAME", "hand the master role to slave NAME; this node becomes its slave"}};
}

CommandResult MasterConsole::RunCommand(const std::string& name, const std::string& argument,
                                        std::ostream& out) {
  if (name == "status" || name == "s") {
    PrintStatus(out);
    return CommandResult::kDone;
  }
  if (name == "reload") {
    const std::string change = reload_();
    out << change << "\n";
    return change.rfind("reload failed", 0) == 0 ? CommandResult::kFailed : CommandResult::kDone;
  }
  if (name == "slaves") {
    const QueryResult table = SlavesTable(registry_.Snapshot(), recent_, NowMicros());
    PrintResult(table, ResultLayout::kTable, std::chrono::nanoseconds(0), "", out);
    return CommandResult::kDone;
  }
  if (name == "read_from") {
    if (argument != "slaves" && argument != "master") {
      out << "ERROR: \\read_from takes 'slaves' or 'master' (now: "
          << (router_.from_slaves() ? "slaves" : "master") << ")\n";
      return CommandResult::kFailed;
    }
    router_.set_from_slaves(argument == "slaves");
    out << "reads now go to the " << argument << "\n";
    return CommandResult::kDone;
  }
  if (name == "sync_slaves") {
    if (argument.empty()) {
      out << "sync_slaves: " << sync_.Describe() << "\n";
      return CommandResult::kDone;
    }
    int slaves = -1;
    try {
      size_t used = 0;
      slaves = std::stoi(argument, &used);
      if (used != argument.size()) slaves = -1;
    } catch (const std::exception&) {
      slaves = -1;
    }
    if (Status s = sync_.SetRequired(slaves); slaves < 0 || !s.ok()) {
      out << "ERROR: \\sync_slaves takes a number of slaves: "
          << (slaves < 0 ? "'" + argument + "' is not one" : s.message()) << "\n";
      return CommandResult::kFailed;
    }
    out << "sync_slaves: " << sync_.Describe() << "\n";
    return CommandResult::kDone;
  }
  if (name == "verify") {
    const auto start = std::chrono::steady_clock::now();
    VerifyReport report;
    if (Status s = verify_.Run(&report); !s.ok()) {
      out << "ERROR: verify failed: " << s.ToString() << "\n";
      return CommandResult::kFailed;
    }
    verify_results_.Record(report, NowMicros());
    if (argument == "json") {
      out << VerifyJson(report) << "\n";
    } else {
      out << "verified at log position #" << report.position << "\n";
      PrintResult(VerifyTable(report), ResultLayout::kTable, std::chrono::steady_clock::now() - start, "",
                  out);
      out << (report.all_equal ? "all nodes equal" : "NODES DIFFER (or were not checked)") << "\n\n";
    }
    return report.all_equal ? CommandResult::kDone : CommandResult::kFailed;
  }
  if (name == "repair") return Repair(argument, out);
  if (name == "switchover") {
    if (!switchover_) {
      out << "ERROR: \\switchover is not available in this daemon\n";
      return CommandResult::kFailed;
    }
    if (argument.empty() || argument.find(' ') != std::string::npos) {
      out << "ERROR: \\switchover takes the name of the slave to hand over to\n";
      return CommandResult::kFailed;
    }
    if (Status s = switchover_(argument, out); !s.ok()) {
      out << "ERROR: switchover to " << argument << " failed: " << s.message() << "\n";
      return CommandResult::kFailed;
    }
    return CommandResult::kDone;
  }
  return CommandResult::kUnknown;
}

CommandResult MasterConsole::Repair(const std::string& argument, std::ostream& out) {
  std::istringstream words(argument);
  std::string table;
  std::string chunk_word;
  std::string extra;
  words >> table >> chunk_word >> extra;
  size_t chunk = 0;
  if (!chunk_word.empty()) {
    try {
      size_t used = 0;
      chunk = std::stoul(chunk_word, &used);
      if (used != chunk_word.size()) chunk = 0;
    } catch (const std::exception&) {
      chunk = 0;
    }
  }
  if (table.empty() || !extra.empty() || (!chunk_word.empty() && chunk == 0)) {
    out << "ERROR: \\repair takes a table as database.table and, optionally, a chunk number from \\verify\n";
    return CommandResult::kFailed;
  }
  const auto start = std::chrono::steady_clock::now();
  RepairReport report;
  if (Status s = verify_.Repair(table, chunk, &report); !s.ok()) {
    out << "ERROR: repair failed: " << s.ToString() << "\n";
    return CommandResult::kFailed;
  }
  verify_results_.Record(report.after, NowMicros());
  if (report.chunks_rewritten == 0) {
    out << table << ": no chunk differs on any checked slave; nothing rewritten\n";
  } else {
    out << table << ": rewrote " << report.chunks_rewritten << " chunk(s), " << report.rows_rewritten
        << " row(s), on the slaves through the log; checked again at #" << report.after.position << ":\n";
  }
  PrintResult(VerifyTable(report.after), ResultLayout::kTable, std::chrono::steady_clock::now() - start, "",
              out);
  out << (report.after.all_equal ? "all nodes equal" : "NODES DIFFER (or were not checked)") << "\n\n";
  return report.after.all_equal ? CommandResult::kDone : CommandResult::kFailed;
}

void MasterConsole::PrintStatus(std::ostream& out) const {
  // The log's extent from its primary key (cheap however long the log is)
  // and its size from InnoDB's statistics.
  const ExecutionResult extent = session_.Execute(
      "SELECT MIN(seq), (SELECT data_length + index_length FROM information_schema.tables "
      "WHERE table_schema = 'ddb_meta' AND table_name = 'replication_log') FROM ddb_meta.replication_log");
  std::string retained = "(unknown)";
  if (extent.status.ok() && !extent.result.rows.empty()) {
    const auto& row = extent.result.rows[0];
    const uint64_t last = recent_.last_seq();
    if (!row[0]) {
      retained = "none";
    } else {
      const uint64_t oldest = std::stoull(*row[0]);
      retained = "#" + *row[0] + " to #" + std::to_string(last) + " (" + std::to_string(last - oldest + 1) +
                 " records, about " + std::to_string(std::stoull(row[1].value_or("0")) / 1024) + " KiB)";
    }
  }
  out << "master:      " << master_name_ << "\n"
      << "cluster:     " << cluster_id_ << "\n"
      << "log:         last seq #" << recent_.last_seq() << "; retained " << retained << "\n"
      << "sync:        " << sync_.Describe() << "\n"
      << "session:     database "
      << (session_.current_database().empty() ? "(none)" : session_.current_database())
      << (session_.in_transaction() ? ", transaction open" : "") << "\n";
  if (endpoint_reads_ != nullptr)
    out << "endpoint:    reads answered by " << endpoint_reads_->Describe() << "\n";
  if (const ExecutionResult adopted = session_.Execute(kAdoptedTablesSql); adopted.status.ok()) {
    if (const std::string summary = AdoptedSummary(adopted.result); !summary.empty())
      out << "adopted:     " << summary << "\n";
  }
  out << "\n";
  const QueryResult table = SlavesTable(registry_.Snapshot(), recent_, NowMicros());
  PrintResult(table, ResultLayout::kTable, std::chrono::nanoseconds(0), "", out);
  out << "\n";
  PrintVerifyResults(verify_results_, NowMicros(), out);
}

}  // namespace ddb
