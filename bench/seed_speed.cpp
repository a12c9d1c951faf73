#include "seed_speed.h"

#include <stdexcept>

#include "cluster.h"
#include "file_text.h"
#include "report.h"
#include "seed_data.h"

namespace ddb::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Every server of the run: a buffer pool the whole data fits in (neither
// copy waits for the source's disk) and a redo log big enough that loading
// is not throttled by checkpoints every few megabytes, as it is with the
// tests' 16 MB. Durability as shipped (innodb_flush_log_at_trx_commit=1) on
// both targets, and no binary log on either.
const std::vector<std::string> kServerArgs = {"--innodb-buffer-pool-size=1G", "--innodb-log-file-size=512M"};

// Runs `argv` to its end and returns its seconds; throws with its output
// when it fails or outlives `deadline`.
double TimeCommand(const std::vector<std::string>& argv, const std::filesystem::path& log_path,
                   std::chrono::seconds deadline, const std::string& what) {
  const auto started = Clock::now();
  testing::ChildProcess command(argv, log_path);
  int code = -1;
  if (!command.WaitForExit(deadline, &code)) {
    command.Terminate();
    throw std::runtime_error(what + " did not end within " + std::to_string(deadline.count()) + " s:\n" +
                             command.ReadLog());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (code != 0)
    throw std::runtime_error(what + " failed (exit " + std::to_string(code) + "):\n" + command.ReadLog());
  return seconds;
}

std::string ClientOptions(const testing::MariaDbInstance& server) {
  return "--no-defaults --host=127.0.0.1 --port=" + std::to_string(server.port()) + " --user=root";
}

// What a user would type: --single-transaction for a consistent copy of
// InnoDB tables without locking them, the client's defaults otherwise
// (extended INSERTs, keys and unique checks off around the rows).
double TimeDump(const testing::MariaDbInstance& source, const testing::MariaDbInstance& target,
                const std::vector<std::string>& databases, const std::filesystem::path& dir,
                std::chrono::seconds deadline) {
  std::string pipeline =
      "set -o pipefail; mariadb-dump " + ClientOptions(source) + " --single-transaction --databases";
  for (const std::string& database : databases) pipeline += " " + database;
  pipeline += " | mariadb " + ClientOptions(target);
  return TimeCommand({"bash", "-c", pipeline}, dir / "dump.log", deadline, "mariadb-dump | mariadb");
}

double TimeSeed(testing::Cluster& cluster, std::chrono::seconds deadline, std::string* output) {
  const std::filesystem::path log_path = cluster.dir() / "seed.log";
  const double seconds =
      TimeCommand({DDB_SLAVE_BINARY, "--config", cluster.slave_config(0).string(), "--master_http_address",
                   "127.0.0.1:" + std::to_string(cluster.master_http_port()), "--seed"},
                  log_path, deadline, "ddb-slave --seed");
  *output = testing::ReadFile(log_path);
  return seconds;
}

bool TargetsEqual(testing::MariaDbInstance& source, testing::MariaDbInstance& dumped,
                  testing::MariaDbInstance& seeded, const std::vector<SeedTable>& tables, std::ostream& log) {
  bool equal = true;
  for (const SeedTable& table : tables) {
    const std::string expected = source.TableChecksum(table.database, table.name);
    const std::string by_dump = dumped.TableChecksum(table.database, table.name);
    const std::string by_seed = seeded.TableChecksum(table.database, table.name);
    if (by_dump != expected || by_seed != expected) {
      log << "  " << table.database << "." << table.name << " differs: source " << expected << ", dump "
          << by_dump << ", seed " << by_seed << std::endl;
      equal = false;
    }
  }
  return equal;
}

double MegabytesPerSecond(uint64_t bytes, double seconds) {
  return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0;
}

}  // namespace

SeedSpeedRun RunSeedSpeed(const SeedSpeedOptions& options, int run, std::ostream& log) {
  testing::ClusterOptions cluster_options;
  cluster_options.slaves = 1;
  // The daemons' own heartbeat (config/*.ini), as in DdbSetup.
  cluster_options.heartbeat_interval_ms = 500;
  cluster_options.heartbeat_timeout_ms = 3000;
  cluster_options.mariadb_args = kServerArgs;
  testing::Cluster cluster(cluster_options);
  SeedSpeedRun result;
  auto started = Clock::now();
  const std::vector<SeedTable> tables = FillSeedData(cluster.master_db(), options.megabytes);
  result.bytes = StoredBytes(cluster.master_db(), tables);
  log << "  source filled: " << Fixed(static_cast<double>(result.bytes) / 1e6, 1) << " MB in "
      << tables.size() << " tables, "
      << Fixed(std::chrono::duration<double>(Clock::now() - started).count(), 0) << " s" << std::endl;
  cluster.StartMaster();
  if (!cluster.MasterRunning()) throw std::runtime_error("ddb-master did not start:\n" + cluster.MasterLog());
  // Declared after the Cluster: stopped before it removes the directory.
  auto dump_target = testing::MariaDbInstance::Start(cluster.dir() / "dump-db", kServerArgs);

  auto dump = [&] {
    result.dump_s =
        TimeDump(cluster.master_db(), *dump_target, SeedDatabases(tables), cluster.dir(), options.deadline);
    log << "  mariadb-dump | mariadb: " << Fixed(result.dump_s, 1) << " s" << std::endl;
  };
  auto seed = [&] {
    result.seed_s = TimeSeed(cluster, options.deadline, &result.seed_output);
    log << "  ddb-slave --seed: " << Fixed(result.seed_s, 1) << " s\n" << result.seed_output << std::flush;
  };
  if (run % 2 == 0) {
    dump();
    seed();
  } else {
    seed();
    dump();
  }
  result.equal = TargetsEqual(cluster.master_db(), *dump_target, cluster.slave_db(0), tables, log);
  log << "  run " << run + 1 << ": " << Fixed(MegabytesPerSecond(result.bytes, result.dump_s), 1)
      << " MB/s by dump, " << Fixed(MegabytesPerSecond(result.bytes, result.seed_s), 1)
      << " MB/s by seed, ratio " << Fixed(result.dump_s / result.seed_s, 2) << ", equal "
      << (result.equal ? "yes" : "NO") << std::endl;
  return result;
}

void WriteSeedSpeedReport(const std::vector<SeedSpeedRun>& runs, std::ostream& out) {
  std::vector<double> bytes, dump_s, seed_s, ratios;
  for (const SeedSpeedRun& run : runs) {
    bytes.push_back(static_cast<double>(run.bytes));
    dump_s.push_back(run.dump_s);
    seed_s.push_back(run.seed_s);
    // Speed is bytes / seconds over the same bytes: the ratio of speeds is
    // the inverse ratio of times.
    ratios.push_back(run.dump_s / run.seed_s);
  }
  const double megabytes = Median(bytes) / 1e6;
  const double ratio = Median(ratios);
  out << "\n## Seeding a new slave (" << runs.size() << (runs.size() == 1 ? " run" : " runs, medians")
      << ")\n\n"
      << "| copy | source MB (data + indexes) | seconds | MB/s |\n|---|---:|---:|---:|\n"
      << "| `mariadb-dump --single-transaction \\| mariadb` | " << Fixed(megabytes, 1) << " | "
      << Fixed(Median(dump_s), 1) << " | " << Fixed(megabytes / Median(dump_s), 1) << " |\n"
      << "| `ddb-slave --seed` | " << Fixed(megabytes, 1) << " | " << Fixed(Median(seed_s), 1) << " | "
      << Fixed(megabytes / Median(seed_s), 1) << " |\n\n"
      << "ddb / dump speed: " << Fixed(ratio, 2) << " (target >= 0.50: " << (ratio >= 0.5 ? "met" : "NOT met")
      << ")\n";
}

}  // namespace ddb::bench
