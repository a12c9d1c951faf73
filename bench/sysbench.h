// The sysbench row of the benchmark: sysbench's oltp_write_only with a few
// threads against plain MariaDB, a MariaDB primary with one native replica,
// and ddb's MySQL endpoint (a master with its slaves), each on fresh servers,
// one after the other. What an application pointed at each one gets.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>

namespace ddb::bench {

struct SysbenchOptions {
  int seconds = 10;  // of `sysbench run`; 0 skips the row
  int threads = 4;
  int tables = 2;
  int table_size = 2000;
  int slaves = 2;  // ddb slaves
};

struct SysbenchResult {
  double tps = 0;          // transactions per second
  double p95_ms = 0;       // 95th percentile latency
  long errors = 0;         // sysbench's "errors:" count (deadlocks it retried)
  bool replicas_equal = false;  // CHECKSUM TABLE equal on every node after the run
};

struct SysbenchRow {
  SysbenchResult plain, native, ddb;
};

// Runs the three setups; logs progress to `log`. Throws std::runtime_error if
// sysbench fails or a setup does not start.
SysbenchRow RunSysbenchRow(const SysbenchOptions& options, const std::filesystem::path& work_dir, std::ostream& log);

// The Markdown table of the row.
void WriteSysbenchReport(const SysbenchOptions& options, const SysbenchRow& row, std::ostream& out);

}  // namespace ddb::bench
