// One benchmark run: the same workload through plain MariaDB, native
// replication and ddb, one setup at a time (so they never compete for the
// machine), each on freshly started servers and daemons.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "lag.h"
#include "setup.h"

namespace ddb::bench {

struct BenchOptions {
  int writes = 20000;  // mixed writes after the schema
  int runs = 3;
  int catchup_writes = 100000;  // written while a replica is offline; 0 skips catch-up
  int lag_writes = 5000;        // paced writes for the lag measurement; 0 skips it
  double lag_rate = 500;        // writes per second
  uint64_t seed = 42;
  int slaves = 2;                                                // ddb slaves
  size_t apply_batch_records = 0;                                // 0: the slave's config default
  int heartbeat_interval_ms = 500;                               // ddb daemons' heartbeat_interval_ms
  std::filesystem::path workload_dir;                            // where the generated .sql files go
  std::chrono::milliseconds deadline{std::chrono::minutes(30)};  // per phase
};

// The generated input, the same bytes for every setup.
struct Workload {
  std::string main_script;     // schema + `writes` mixed writes
  std::string catchup_script;  // `catchup_writes` mixed writes on another table
  std::vector<std::string> lag_statements;
};

// Generates the workload and writes it to options.workload_dir as
// workload.sql, catchup.sql and lag.sql (for reading and re-running by hand).
Workload MakeWorkload(const BenchOptions& options);

struct SetupResult {
  double write_s = 0;       // first statement typed → console printed the marker
  double end_to_end_s = 0;  // first statement typed → every replica applied the last
  double catchup_records_per_s = 0;
  double catchup_s = 0;
  LagResult lag;
  std::vector<DaemonMemory> memory;
  // CHECKSUM TABLE of every bench table on the primary, then per replica.
  std::vector<std::string> checksums;
  bool replicas_equal = true;
  std::string difference;  // what differed, when !replicas_equal
};

struct RunResult {
  SetupResult plain, native, ddb;
  bool all_equal = false;  // every node of every setup holds the same mixed table
};

// Runs the three setups once, in an order that rotates with `run_index`.
// Progress goes to `log`.
RunResult RunOnce(const BenchOptions& options, const Workload& workload, int run_index, std::ostream& log);

// Catch-up speed of a ddb slave for each group size in `batch_sizes`
// (records/s), `writes` records each, on one cluster.
std::vector<double> SweepApplyBatch(const BenchOptions& options, const std::vector<size_t>& batch_sizes,
                                    int writes, std::ostream& log);

}  // namespace ddb::bench
