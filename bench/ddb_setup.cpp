#include "ddb_setup.h"

#include <stdexcept>

#include "process_status.h"
#include "query.h"

namespace ddb::bench {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartDeadline = 60s;

int CountOccurrences(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

std::string SlaveName(size_t i) { return "slave" + std::to_string(i + 1); }

testing::ClusterOptions ClusterOptionsFor(const DdbOptions& options) {
  testing::ClusterOptions cluster;
  cluster.slaves = options.slaves;
  // By default the daemons' own heartbeat (config/*.ini: 500 ms, timeout
  // 3000), not the tests' short one: the benchmark measures ddb as it would
  // be run.
  cluster.heartbeat_interval_ms = options.heartbeat_interval_ms;
  cluster.heartbeat_timeout_ms = 6 * options.heartbeat_interval_ms;
  cluster.mysql_endpoint = options.mysql_endpoint;
  return cluster;
}

}  // namespace

DdbSetup::DdbSetup(DdbOptions options) : options_(options), cluster_(ClusterOptionsFor(options)) {
  std::vector<std::string> argv = {DDB_MASTER_BINARY, "--config", cluster_.master_config().string(),
                                   "--console", "on"};
  if (options_.verify_interval_seconds > 0) {
    argv.insert(argv.end(), {"--verify_interval_seconds", std::to_string(options_.verify_interval_seconds)});
  }
  master_ = std::make_unique<PipedConsole>(argv, cluster_.dir() / "master-console.log");
  const bool ready = testing::WaitFor(
      [&] { return cluster_.MasterLog().find("ready: log at") != std::string::npos || !master_->Running(); },
      kStartDeadline);
  if (!ready || !master_->Running()) {
    throw std::runtime_error("ddb-master did not start:\n" + master_->OutputTail() + cluster_.MasterLog());
  }
  running_.assign(static_cast<size_t>(options_.slaves), false);
  stopped_peak_kb_.assign(static_cast<size_t>(options_.slaves), 0);
  for (size_t i = 0; i < running_.size(); ++i) {
    StartSlaveAndWait(i);
    slave_connections_.push_back(cluster_.slave_db(static_cast<int>(i)).Connect());
  }
}

DdbSetup::~DdbSetup() {
  // The master's console before the Cluster takes its servers down.
  master_.reset();
}

std::vector<testing::MariaDbInstance*> DdbSetup::replicas() {
  std::vector<testing::MariaDbInstance*> out;
  for (int i = 0; i < cluster_.slave_count(); ++i) out.push_back(&cluster_.slave_db(i));
  return out;
}

int DdbSetup::SlaveConnections(size_t i) const {
  return CountOccurrences(cluster_.MasterLog(), "slave '" + SlaveName(i) + "' connected from");
}

void DdbSetup::StartSlaveAndWait(size_t i) {
  const int before = SlaveConnections(i);
  std::vector<std::string> args;
  if (options_.apply_batch_records > 0) {
    args = {"--apply_batch_records", std::to_string(options_.apply_batch_records)};
  }
  cluster_.StartSlave(static_cast<int>(i), args);
  if (!testing::WaitFor([&] { return SlaveConnections(i) > before; }, kStartDeadline, 5ms)) {
    throw std::runtime_error(SlaveName(i) + " did not connect to the master:\n" +
                             cluster_.SlaveLog(static_cast<int>(i)));
  }
  running_[i] = true;
}

void DdbSetup::WaitReplicasCaughtUp(std::chrono::milliseconds deadline) {
  const uint64_t last = cluster_.MasterLastSeq();
  for (size_t i = 0; i < running_.size(); ++i) {
    if (!running_[i]) continue;
    // Polled every 2 ms: ddb has no server-side wait like MASTER_GTID_WAIT.
    PollUntil(
        *slave_connections_[i], "SELECT seq FROM ddb_meta.applied_position WHERE id = 1",
        [last](uint64_t seq) { return seq >= last; }, deadline,
        SlaveName(i) + " applying #" + std::to_string(last));
  }
}

void DdbSetup::StopReplica(size_t i) {
  // VmHWM dies with the process: keep the stopped one's peak.
  if (testing::ChildProcess* process = cluster_.slave_process(static_cast<int>(i))) {
    stopped_peak_kb_[i] =
        std::max(stopped_peak_kb_[i], testing::ProcStatusKb(process->pid(), "VmHWM").value_or(0));
  }
  cluster_.StopSlave(static_cast<int>(i));
  running_[i] = false;
}

void DdbSetup::StartReplica(size_t i) { StartSlaveAndWait(i); }

std::vector<DaemonMemory> DdbSetup::PeakMemory() {
  std::vector<DaemonMemory> out;
  out.push_back({"master", testing::ProcStatusKb(master_->pid(), "VmHWM").value_or(0)});
  for (size_t i = 0; i < running_.size(); ++i) {
    long peak = stopped_peak_kb_[i];
    if (testing::ChildProcess* process = cluster_.slave_process(static_cast<int>(i))) {
      peak = std::max(peak, testing::ProcStatusKb(process->pid(), "VmHWM").value_or(0));
    }
    out.push_back({SlaveName(i), peak});
  }
  return out;
}

}  // namespace ddb::bench
