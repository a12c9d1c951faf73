// LogPurger: keeps the replication log from growing without bound.
//
// A record is purged only when every configured slave has acknowledged it AND
// it is older than the retention period; a slave that never connected holds
// the whole log. The newest record is never purged: the sequence continues
// from it after a restart. Acknowledged positions are also written to
// ddb_meta.slave_positions so they survive a master restart. Runs on its own
// thread with its own MySQL connection; deletes in small chunks so no lock is
// held for long.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "ddb/mysql/mysql_connection.h"
#include "slave_registry.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct RetentionOptions {
  int64_t retention_seconds = 7 * 24 * 3600;
  int purge_interval_ms = 60000;
};

class LogPurger {
 public:
  // `registry` must outlive the purger.
  LogPurger(MySqlEndpoint endpoint, const SlaveRegistry& registry, RetentionOptions options,
            std::shared_ptr<spdlog::logger> logger);
  ~LogPurger();

  void Start();
  void Stop();

  // One pass (also run by the thread every purge interval).
  Status PurgeOnce(uint64_t* purged);

  // Config reload: the next wait is for the new interval, the next pass
  // uses the new retention.
  void SetOptions(RetentionOptions options);

 private:
  void Run();
  Status SavePositions();

  const MySqlEndpoint endpoint_;
  const SlaveRegistry& registry_;
  RetentionOptions Options();
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<MySqlConnection> connection_;
  std::mutex mutex_;
  std::condition_variable wakeup_;
  RetentionOptions options_;  // guarded by mutex_
  bool rescheduled_ = false;  // guarded by mutex_: the interval changed, wait afresh
  bool stop_ = false;         // guarded by mutex_
  std::thread thread_;
};

// The acknowledged positions saved by a previous run, for the registry.
Status LoadSavedPositions(MySqlConnection& connection, std::map<std::string, uint64_t>* positions);

}  // namespace ddb
