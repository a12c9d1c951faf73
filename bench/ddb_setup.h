// DdbSetup: a ddb cluster as the benchmark drives it — tests/support's
// Cluster for the MariaDB servers, configs and headless slaves, and the
// master daemon's own console on a pipe for the workload
// (`ddb-master --config X --console on`: with `--console auto`, the default,
// a master whose stdin is not a terminal runs headless and ignores stdin).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cluster.h"
#include "setup.h"

namespace ddb::bench {

struct DdbOptions {
  int slaves = 2;
  // Passed to every slave as --apply_batch_records (0: the config default).
  size_t apply_batch_records = 0;
  // Both daemons' heartbeat_interval_ms (their default: 500); the timeout is
  // six intervals, as in the defaults.
  int heartbeat_interval_ms = 500;
  // The master's MySQL endpoint on, for clients such as sysbench.
  bool mysql_endpoint = false;
  // The master's verify_interval_seconds (0: continuous verification off).
  int verify_interval_seconds = 0;
};

class DdbSetup : public Setup {
 public:
  // Starts the MariaDB servers, the master and every slave; returns once
  // every slave has connected to the master.
  explicit DdbSetup(DdbOptions options);
  ~DdbSetup() override;

  std::string name() const override { return "ddb"; }
  PipedConsole& console() override { return *master_; }
  testing::MariaDbInstance& primary() override { return cluster_.master_db(); }
  std::vector<testing::MariaDbInstance*> replicas() override;
  void WaitReplicasCaughtUp(std::chrono::milliseconds deadline) override;
  void StopReplica(size_t i) override;
  void StartReplica(size_t i) override;
  std::vector<DaemonMemory> PeakMemory() override;

  // The master's MySQL endpoint (with DdbOptions::mysql_endpoint).
  uint16_t client_port() const { return cluster_.client_port(); }

  // Changes the group size slave i gets at its next StartReplica.
  void SetApplyBatchRecords(size_t records) { options_.apply_batch_records = records; }

 private:
  // Starts slave i and waits until the master logged its (n+1)-th connection.
  void StartSlaveAndWait(size_t i);
  int SlaveConnections(size_t i) const;

  DdbOptions options_;
  testing::Cluster cluster_;
  std::unique_ptr<PipedConsole> master_;
  std::vector<std::unique_ptr<sql::Connection>> slave_connections_;  // for position polling
  std::vector<bool> running_;
  std::vector<long> stopped_peak_kb_;  // VmHWM of a slave's earlier processes
};

}  // namespace ddb::bench
