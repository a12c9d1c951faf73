#include "sysbench_sweep.h"

#include <unistd.h>

#include <chrono>
#include <memory>

#include "cluster.h"
#include "ddb_setup.h"
#include "setup.h"

namespace ddb::bench {
namespace {

// A started setup and where sysbench reaches it.
struct Started {
  std::unique_ptr<Setup> setup;
  SysbenchTarget target;
};

Started Start(const SweepSetup& which, const SweepOptions& options) {
  if (which.ddb_slaves == 0) {
    // sysbench connects to the primary as root, as the mariadb client does.
    auto setup = which.key == "plain" ? StartPlain() : StartNative();
    const uint16_t port = setup->primary().port();
    return {std::move(setup), {port, "root", ""}};
  }
  DdbOptions ddb;
  ddb.slaves = which.ddb_slaves;
  ddb.heartbeat_interval_ms = options.heartbeat_interval_ms;
  ddb.mysql_endpoint = true;
  ddb.verify_interval_seconds = which.verify_interval_seconds;
  auto cluster = std::make_unique<DdbSetup>(ddb);
  const uint16_t port = cluster->client_port();
  return {std::move(cluster), {port, testing::kClientUser, testing::kClientPassword}};
}

// CHECKSUM TABLE of every sbtest table, each replica against its primary.
bool ReplicasEqual(Setup& setup, int tables) {
  for (int t = 1; t <= tables; ++t) {
    const std::string checksum = "CHECKSUM TABLE sbtest.sbtest" + std::to_string(t);
    const std::string expected = setup.primary().QueryValue(checksum);
    for (testing::MariaDbInstance* replica : setup.replicas()) {
      if (replica->QueryValue(checksum) != expected) return false;
    }
  }
  return true;
}

}  // namespace

std::vector<SweepSetup> SweepSetups(const SweepOptions& options) {
  std::vector<SweepSetup> setups = {{"plain", "plain MariaDB", 0}, {"native", "MariaDB + native replica", 0}};
  for (int slaves : options.ddb_slaves) {
    const std::string label = "ddb, " + std::to_string(slaves) + (slaves == 1 ? " slave" : " slaves");
    setups.push_back({"ddb" + std::to_string(slaves), label, slaves});
    if (options.verify_interval_seconds > 0) {
      setups.push_back({"ddb" + std::to_string(slaves) + "v",
                        label + ", verify every " + std::to_string(options.verify_interval_seconds) + " s",
                        slaves, options.verify_interval_seconds});
    }
  }
  return setups;
}

std::vector<SweepSample> RunSweep(const SweepOptions& options, int run_index,
                                  const std::filesystem::path& work_dir, std::ostream& log) {
  const std::vector<SweepSetup> setups = SweepSetups(options);
  std::vector<SweepSample> samples;
  for (const std::string& test : options.tests) {
    for (size_t step = 0; step < setups.size(); ++step) {
      // The order rotates from run to run so that no setup always meets the
      // machine's first (or last) minutes.
      const SweepSetup& which = setups[(static_cast<size_t>(run_index) + step) % setups.size()];
      const std::string prefix =
          "sysbench-run" + std::to_string(run_index + 1) + "-" + test + "-" + which.key;
      Started started = Start(which, options);
      SysbenchPrepare(test, options.tables, started.target, work_dir / prefix);
      // The fresh data directories and the prepared rows are written back
      // now rather than during the first timed fsyncs (as in scenario.cpp).
      ::sync();
      started.setup->WaitReplicasCaughtUp(std::chrono::minutes(10));
      for (int threads : options.threads) {
        SweepSample sample{run_index, test, threads, which.key, {}};
        sample.result = SysbenchRun(test, options.tables, threads, options.seconds, started.target,
                                    work_dir / (prefix + "-" + std::to_string(threads) + "t.log"));
        // Caught up before the next step, so that no replica's backlog
        // competes with the next thread count for the two cores.
        started.setup->WaitReplicasCaughtUp(std::chrono::minutes(10));
        sample.result.replicas_equal = ReplicasEqual(*started.setup, options.tables.tables);
        log << "  sysbench run " << run_index + 1 << " " << test << " " << which.key << " " << threads
            << " threads: " << sample.result.tps << " tps, p95 " << sample.result.p95_ms << " ms, errors "
            << sample.result.errors << ", replicas equal " << (sample.result.replicas_equal ? "yes" : "NO")
            << std::endl;
        samples.push_back(std::move(sample));
      }
    }
  }
  return samples;
}

}  // namespace ddb::bench
