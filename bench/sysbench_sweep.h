// The sysbench thread sweep: every sysbench test at every thread count
// against plain MariaDB, a MariaDB primary with one native replica, and ddb's
// MySQL endpoint with each requested number of slaves — what an application
// pointed at each one gets, and how that scales with its clients.
//
// One run measures every (test, setup, threads) once. Each (test, setup) gets
// freshly started servers, prepared once, then the thread counts in
// ascending order on the same data; the setups' order rotates from run to
// run. Medians and run-by-run ratios are the report's (sysbench_report.h).
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "sysbench.h"

namespace ddb::bench {

struct SweepOptions {
  int seconds = 10;  // of each `sysbench run`; 0 skips the sweep
  std::vector<int> threads = {1, 4, 16, 64};
  std::vector<std::string> tests = {"oltp_write_only", "oltp_read_write"};
  std::vector<int> ddb_slaves = {1, 2};  // one ddb setup per entry
  // > 0: each ddb setup also once more with continuous verification
  // (verify_interval_seconds) at this interval, to measure what it costs.
  int verify_interval_seconds = 0;
  SysbenchTables tables;
  int heartbeat_interval_ms = 500;  // ddb daemons'
};

// One system under test: "plain", "native", "ddb<N>" (N slaves), or
// "ddb<N>v" (N slaves, continuous verification on).
struct SweepSetup {
  std::string key;     // CSV column prefix
  std::string label;   // table heading
  int ddb_slaves = 0;  // 0: a MariaDB setup
  int verify_interval_seconds = 0;
};

// plain, native, then one ddb setup per SweepOptions::ddb_slaves entry (two
// with verify_interval_seconds).
std::vector<SweepSetup> SweepSetups(const SweepOptions& options);

// One measurement.
struct SweepSample {
  int run = 0;  // 0-based
  std::string test;
  int threads = 0;
  std::string setup;  // SweepSetup::key
  SysbenchResult result;
};

// Measures every (test, setup, threads) once for run `run_index`; sysbench's
// logs go under `work_dir`, progress to `log`. Throws std::runtime_error if
// sysbench fails or a setup does not start.
std::vector<SweepSample> RunSweep(const SweepOptions& options, int run_index,
                                  const std::filesystem::path& work_dir, std::ostream& log);

}  // namespace ddb::bench
