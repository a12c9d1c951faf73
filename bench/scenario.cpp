#include "scenario.h"

#include <unistd.h>

#include <fstream>
#include <ostream>

#include "ddb_setup.h"
#include "workload.h"

namespace ddb::bench {
namespace {

// Starting a setup copies MariaDB data directories (hundreds of MB of dirty
// page cache). On ext4 (data=ordered) an fsync can wait for that writeback,
// which would slow the first seconds of whichever setup just started; so the
// copies are written out before anything is timed.
void Settle() { ::sync(); }

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

const std::vector<std::string>& Tables() {
  static const std::vector<std::string> tables = {kMixedTable, kCatchUpTable, kLagTable};
  return tables;
}

// Checksums every bench table on every node and compares each replica with
// the primary.
void CompareNodes(Setup& setup, SetupResult* result) {
  std::vector<testing::MariaDbInstance*> nodes = {&setup.primary()};
  for (auto* replica : setup.replicas()) nodes.push_back(replica);
  for (const auto& table : Tables()) {
    const std::string expected = setup.primary().TableChecksum(kDatabase, table);
    for (size_t n = 0; n < nodes.size(); ++n) {
      const std::string sum = n == 0 ? expected : nodes[n]->TableChecksum(kDatabase, table);
      result->checksums.push_back(sum);
      if (sum != expected) {
        result->replicas_equal = false;
        result->difference += setup.name() + ": " + table + " differs on replica " + std::to_string(n) + "; ";
      }
    }
  }
}

SetupResult Measure(Setup& setup, const BenchOptions& options, const Workload& workload, std::ostream& log) {
  SetupResult result;
  PipedConsole& console = setup.console();
  const auto replicas = setup.replicas();

  log << "  " << setup.name() << ": " << options.writes << " writes" << std::endl;
  Clock::time_point started;
  const Clock::time_point printed = console.RunScript(workload.main_script, options.deadline, &started);
  result.write_s = Seconds(printed - started);
  if (!replicas.empty()) {
    setup.WaitReplicasCaughtUp(options.deadline);
    result.end_to_end_s = Seconds(Clock::now() - started);
  }

  if (!replicas.empty() && options.catchup_writes > 0) {
    // The last replica goes offline; the others stay up, as in production.
    const size_t offline = replicas.size() - 1;
    log << "  " << setup.name() << ": catch-up of " << options.catchup_writes << " writes" << std::endl;
    setup.StopReplica(offline);
    console.RunScript(workload.catchup_script, options.deadline);
    setup.WaitReplicasCaughtUp(options.deadline);  // the online ones, so they do not compete
    const auto back = Clock::now();
    setup.StartReplica(offline);
    setup.WaitReplicasCaughtUp(options.deadline);
    result.catchup_s = Seconds(Clock::now() - back);
    result.catchup_records_per_s = options.catchup_writes / result.catchup_s;
  }

  if (!replicas.empty() && options.lag_writes > 0) {
    log << "  " << setup.name() << ": lag at " << options.lag_rate << " writes/s" << std::endl;
    result.lag = MeasureLag(setup, workload.lag_statements, options.lag_rate, options.deadline);
  }

  result.memory = setup.PeakMemory();
  CompareNodes(setup, &result);
  return result;
}

}  // namespace

Workload MakeWorkload(const BenchOptions& options) {
  Workload workload;
  std::vector<std::string> main = SchemaStatements();
  const auto writes = MixedWrites(options.seed, kMixedTable).Next(options.writes);
  main.insert(main.end(), writes.begin(), writes.end());
  workload.main_script = AsScript(main);
  // Another seed, another table: the catch-up writes do not depend on how
  // far the main workload went.
  workload.catchup_script =
      AsScript(MixedWrites(options.seed + 1, kCatchUpTable).Next(options.catchup_writes));
  workload.lag_statements = LagWrites(options.lag_writes);

  std::filesystem::create_directories(options.workload_dir);
  WriteFile(options.workload_dir / "workload.sql", workload.main_script);
  WriteFile(options.workload_dir / "catchup.sql", workload.catchup_script);
  WriteFile(options.workload_dir / "lag.sql", AsScript(workload.lag_statements));
  return workload;
}

RunResult RunOnce(const BenchOptions& options, const Workload& workload, int run_index, std::ostream& log) {
  RunResult run;
  enum Kind { kPlain, kNative, kDdb };
  // The order rotates from run to run so that no setup always goes first
  // (or last) in whatever the machine is doing meanwhile.
  for (int step = 0; step < 3; ++step) {
    // One setup at a time, each destroyed (servers and daemons stopped)
    // before the next starts.
    switch ((run_index + step) % 3) {
      case kPlain: {
        auto plain = StartPlain();
        Settle();
        run.plain = Measure(*plain, options, workload, log);
        break;
      }
      case kNative: {
        auto native = StartNative();
        Settle();
        run.native = Measure(*native, options, workload, log);
        break;
      }
      case kDdb: {
        DdbSetup ddb({options.slaves, options.apply_batch_records, options.heartbeat_interval_ms});
        Settle();
        run.ddb = Measure(ddb, options, workload, log);
        break;
      }
    }
  }
  // The mixed table's checksum (the first) must agree across setups too: the
  // same input gave the same data everywhere.
  const std::string mixed = run.plain.checksums.front();
  run.all_equal = run.native.replicas_equal && run.ddb.replicas_equal &&
                  run.native.checksums.front() == mixed && run.ddb.checksums.front() == mixed;
  return run;
}

std::vector<double> SweepApplyBatch(const BenchOptions& options, const std::vector<size_t>& batch_sizes,
                                    int writes, std::ostream& log) {
  DdbSetup ddb({options.slaves, options.apply_batch_records, options.heartbeat_interval_ms});
  Settle();
  PipedConsole& console = ddb.console();
  console.RunScript(AsScript(SchemaStatements()), options.deadline);
  const size_t offline = ddb.replicas().size() - 1;
  MixedWrites generator(options.seed + 2, kCatchUpTable);
  std::vector<double> rates;
  for (size_t batch : batch_sizes) {
    log << "  sweep: apply_batch_records = " << batch << ", " << writes << " records" << std::endl;
    ddb.StopReplica(offline);
    console.RunScript(AsScript(generator.Next(writes)), options.deadline);
    ddb.WaitReplicasCaughtUp(options.deadline);
    ddb.SetApplyBatchRecords(batch);
    const auto back = Clock::now();
    ddb.StartReplica(offline);
    ddb.WaitReplicasCaughtUp(options.deadline);
    rates.push_back(writes / Seconds(Clock::now() - back));
  }
  return rates;
}

}  // namespace ddb::bench
