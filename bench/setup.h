// Setup: one system under test — plain MariaDB, MariaDB's native
// replication, or a ddb cluster — as the harness drives it: a console to type
// the workload into, the primary's and replicas' MariaDB servers to observe,
// and replicas that can be taken offline and brought back.
//
// Every setup starts its own private MariaDB servers (tests/support's
// MariaDbInstance) and owns every process it starts, stopping them by pid
// when destroyed.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "mariadb_instance.h"
#include "piped_console.h"

namespace ddb::bench {

struct DaemonMemory {
  std::string daemon;  // "master", "slave1", ...
  long peak_kb = 0;    // VmHWM
};

class Setup {
 public:
  virtual ~Setup() = default;

  virtual std::string name() const = 0;
  virtual PipedConsole& console() = 0;
  virtual testing::MariaDbInstance& primary() = 0;
  // Empty for plain MariaDB.
  virtual std::vector<testing::MariaDbInstance*> replicas() = 0;

  // Returns once every replica that is running has applied everything the
  // primary had committed when this was called. Throws std::runtime_error
  // after `deadline`.
  virtual void WaitReplicasCaughtUp(std::chrono::milliseconds deadline) = 0;

  // Takes replica i offline (it misses what the primary commits meanwhile)
  // and brings it back; StartReplica returns once it is fetching again.
  virtual void StopReplica(size_t i) = 0;
  virtual void StartReplica(size_t i) = 0;

  // Peak resident memory of the setup's own daemons (none for MariaDB's
  // native replication: it lives inside mariadbd).
  virtual std::vector<DaemonMemory> PeakMemory() { return {}; }
};

// MariaDB with no replication: the floor.
std::unique_ptr<Setup> StartPlain();
// A primary (log_bin, binlog_format=STATEMENT) and one native replica.
std::unique_ptr<Setup> StartNative();

}  // namespace ddb::bench
