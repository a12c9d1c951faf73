// ddb_bench: ddb against MariaDB's own replication, side by side in one run.
// Wires the options to the scenario and the report; see docs/performance.md.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "report.h"
#include "scenario.h"
#include "seed_speed.h"
#include "sysbench_report.h"
#include "sysbench_sweep.h"
#include "wait.h"

namespace {

std::vector<size_t> ParseSizes(const std::string& text) {
  std::vector<size_t> sizes;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) sizes.push_back(std::stoul(item));
  }
  return sizes;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ddb::bench;
  BenchOptions options;
  std::string markdown;
  std::string sweep;
  int sweep_writes = 20000;
  int deadline_s = 1800;

  CLI::App app{"ddb_bench: the same seeded workload through plain MariaDB, native replication and ddb"};
  app.add_option("--writes", options.writes, "Mixed autocommit writes after the schema")
      ->capture_default_str();
  app.add_option("--runs", options.runs, "Runs; the table shows medians")->capture_default_str();
  app.add_option("--catchup-writes", options.catchup_writes, "Writes while a replica is offline (0: skip)")
      ->capture_default_str();
  app.add_option("--lag-writes", options.lag_writes, "Paced writes for the lag measurement (0: skip)")
      ->capture_default_str();
  app.add_option("--lag-rate", options.lag_rate, "Writes per second for the lag measurement")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Workload seed")->capture_default_str();
  app.add_option("--slaves", options.slaves,
                 "ddb slaves in the single-writer scenario (sysbench: --sysbench-slaves)")
      ->capture_default_str()
      ->check(CLI::Range(1, 8));
  app.add_option("--apply-batch-records", options.apply_batch_records,
                 "ddb slaves' apply_batch_records (0: their default)")
      ->capture_default_str();
  app.add_option("--heartbeat-ms", options.heartbeat_interval_ms, "ddb daemons' heartbeat_interval_ms")
      ->capture_default_str()
      ->check(CLI::Range(50, 10000));
  app.add_option("--sweep-batch", sweep,
                 "Also measure ddb catch-up for these apply_batch_records, e.g. 1,10,100");
  app.add_option("--sweep-writes", sweep_writes, "Records per sweep step")->capture_default_str();
  app.add_option("--markdown", markdown, "Also write the table to this file");
  app.add_option("--deadline", deadline_s, "Seconds any one phase may take")->capture_default_str();
  SweepOptions sysbench;
  int sysbench_runs = -1;
  std::string sysbench_csv;
  app.add_option("--sysbench-seconds", sysbench.seconds,
                 "Seconds of each sysbench step against plain, native and ddb's MySQL endpoint (0: skip)")
      ->capture_default_str();
  app.add_option("--sysbench-threads", sysbench.threads, "sysbench thread counts, e.g. 1,4,16,64")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--sysbench-tests", sysbench.tests, "sysbench tests, e.g. oltp_write_only,oltp_read_write")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--sysbench-slaves", sysbench.ddb_slaves, "One ddb setup per slave count, e.g. 1,2")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(1, 8));
  app.add_option("--sysbench-verify-interval", sysbench.verify_interval_seconds,
                 "Also each ddb setup with continuous verification every this many seconds (0: not)")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  app.add_option("--sysbench-tables", sysbench.tables.tables, "sysbench --tables")->capture_default_str();
  app.add_option("--sysbench-table-size", sysbench.tables.table_size, "sysbench --table-size")
      ->capture_default_str();
  app.add_option("--sysbench-runs", sysbench_runs, "Runs of the sysbench sweep (default: --runs)");
  app.add_option("--sysbench-csv", sysbench_csv,
                 "Also write the sweep's medians to this CSV (and every sample to <name>-runs.csv)");
  SeedSpeedOptions seed_speed;
  seed_speed.runs = 0;
  app.add_option("--seed-mb", seed_speed.megabytes,
                 "Megabytes of the seed benchmark's source (ddb-slave --seed against mariadb-dump | mariadb)")
      ->capture_default_str();
  app.add_option("--seed-runs", seed_speed.runs, "Runs of the seed benchmark (0: skip)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.deadline = std::chrono::seconds(deadline_s);
  if (sysbench_runs < 0) sysbench_runs = options.runs;
  if (sysbench.seconds <= 0) sysbench_runs = 0;
  sysbench.heartbeat_interval_ms = options.heartbeat_interval_ms;

  try {
    ddb::testing::TempDir workload_dir("ddb-bench-workload");
    options.workload_dir = workload_dir.path();
    const Workload workload = MakeWorkload(options);
    std::vector<RunResult> runs;
    std::vector<SweepSample> samples;
    // Run i is the single-writer scenario's run i, then the sysbench sweep's:
    // both sides of every ratio meet the same stretch of the machine.
    for (int i = 0; i < std::max(options.runs, sysbench_runs); ++i) {
      if (i < options.runs) {
        std::cerr << "run " << i + 1 << " of " << options.runs << std::endl;
        runs.push_back(RunOnce(options, workload, i, std::cerr));
        // The figures so far, in case a later run fails or is cut short.
        const RunResult& r = runs.back();
        std::cerr << "  run " << i + 1 << ": write s plain/native/ddb " << r.plain.write_s << "/"
                  << r.native.write_s << "/" << r.ddb.write_s << "; end to end s native/ddb "
                  << r.native.end_to_end_s << "/" << r.ddb.end_to_end_s << "; catch-up rec/s native/ddb "
                  << r.native.catchup_records_per_s << "/" << r.ddb.catchup_records_per_s
                  << "; lag p99 ms native/ddb " << r.native.lag.p99_ms << "/" << r.ddb.lag.p99_ms
                  << "; equal " << (r.all_equal ? "yes" : "NO") << std::endl;
      }
      if (i < sysbench_runs) {
        std::cerr << "sysbench sweep, run " << i + 1 << " of " << sysbench_runs << std::endl;
        auto more = RunSweep(sysbench, i, options.workload_dir, std::cerr);
        samples.insert(samples.end(), more.begin(), more.end());
        // Written after every run, in case a later one fails.
        if (!sysbench_csv.empty()) WriteSweepCsv(sysbench, samples, sysbench_csv);
      }
    }
    std::vector<SeedSpeedRun> seeds;
    for (int i = 0; i < seed_speed.runs; ++i) {
      std::cerr << "seed benchmark, run " << i + 1 << " of " << seed_speed.runs << std::endl;
      seeds.push_back(RunSeedSpeed(seed_speed, i, std::cerr));
    }
    std::ostringstream report;
    if (options.runs > 0) WriteReport(options, runs, report);
    if (!seeds.empty()) WriteSeedSpeedReport(seeds, report);
    const auto sizes = ParseSizes(sweep);
    if (!sizes.empty()) {
      std::cerr << "apply_batch_records sweep" << std::endl;
      WriteSweepReport(sizes, SweepApplyBatch(options, sizes, sweep_writes, std::cerr), sweep_writes, report);
    }
    if (!samples.empty()) WriteSweepMarkdown(sysbench, samples, report);
    const bool sysbench_equal = std::all_of(samples.begin(), samples.end(),
                                            [](const SweepSample& s) { return s.result.replicas_equal; });
    std::cout << report.str();
    if (!markdown.empty()) {
      std::ofstream out(markdown);
      out << report.str();
    }
    const bool equal = std::all_of(runs.begin(), runs.end(), [](const RunResult& r) { return r.all_equal; });
    const bool seeds_equal =
        std::all_of(seeds.begin(), seeds.end(), [](const SeedSpeedRun& r) { return r.equal; });
    return equal && sysbench_equal && seeds_equal ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "ddb_bench: " << e.what() << std::endl;
    return 1;
  }
}
