// The seed benchmark: how fast `ddb-slave --seed` copies a master's data
// into an empty MariaDB, next to `mariadb-dump --single-transaction |
// mariadb` of the same data on the same machine (docs/performance.md,
// "What seeding costs"; bench/seed-speed runs it).
//
// Each run starts its own servers: the source (a ddb master's MariaDB,
// filled by seed_data.h before ddb-master starts), the dump's target and
// the seed's target (the Cluster's slave1), all with the same mariadbd
// settings; everything is stopped by pid when the run ends, failed or not.
// The two copies alternate which goes first from run to run.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ddb::bench {

struct SeedSpeedOptions {
  double megabytes = 1024;  // of InnoDB data and indexes on the source (about)
  int runs = 1;
  std::chrono::seconds deadline{3600};  // for each copy
};

struct SeedSpeedRun {
  uint64_t bytes = 0;  // the source tables' data_length + index_length
  double dump_s = 0;   // mariadb-dump | mariadb, start to exit
  double seed_s = 0;   // ddb-slave --seed, start to exit 0
  bool equal = false;  // both targets' CHECKSUM TABLE equal the source's, table by table
  std::string seed_output;
};

// Run `run` (0-based); progress goes to `log`. Throws std::runtime_error
// (or sql::SQLException) when a copy fails or a server does not start.
SeedSpeedRun RunSeedSpeed(const SeedSpeedOptions& options, int run, std::ostream& log);

// The table: bytes, seconds and MB/s of each copy (medians over runs), and
// the median of each run's ddb / dump speed against the 0.50 target.
void WriteSeedSpeedReport(const std::vector<SeedSpeedRun>& runs, std::ostream& out);

}  // namespace ddb::bench
