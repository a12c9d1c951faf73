// VerifyService: continuous mode (verify_interval_seconds) and the checks
// the HTTP API asks for.
//
// A thread of its own walks every table, one table at a time, with the
// one-shot machinery (ConsistencyCheck, exact under load): every
// `interval_seconds` after the previous pass ended, or at once when a pass
// is requested (POST /api/verify). It is paced so the check costs the
// workload little: after each chunk it pauses until the chunk's time is at
// most `busy_percent` of the time spent (a chunk that took 10 ms at 5% is
// followed by a 190 ms pause). Each table's result goes to VerifyResults as
// soon as it is known.
//
// Repair (POST /api/repair) runs on the caller's thread with its own
// session, one at a time, and records the table's result after it.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "consistency_check.h"
#include "replication_log.h"
#include "slave_registry.h"
#include "verify_results.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct VerifyPacing {
  int64_t interval_seconds = 0;  // 0: no pass unless one is requested
  int busy_percent = 5;          // 1..100
};

class VerifyService {
 public:
  // `log`, `registry` and `results` must outlive the service.
  VerifyService(MySqlEndpoint master, ReplicationLog& log, const SlaveRegistry& registry,
                VerifyResults& results, VerifyPacing pacing, std::shared_ptr<spdlog::logger> logger);
  ~VerifyService();
  VerifyService(const VerifyService&) = delete;
  VerifyService& operator=(const VerifyService&) = delete;

  void Start();
  // Ends a pass under way at its next chunk.
  void Stop();

  // Config reload: the next wait and the next pause use the new values.
  void SetPacing(VerifyPacing pacing);
  // Starts a pass now, or right after the one under way. Returns whether a
  // pass was under way.
  bool RequestPass();

  // \repair for the API: see ConsistencyCheck::Repair. Refused while another
  // repair runs.
  Status Repair(const std::string& table, size_t chunk, RepairReport* report);

  // For every other check of this master (the console's \verify), so no two
  // runs share an id.
  CheckRunIds& run_ids() { return run_ids_; }

 private:
  void Run();
  void Pass();
  // After a chunk that took `took`: the pause that keeps the walker within
  // busy_percent. Fails when the service stops meanwhile.
  Status Pause(std::chrono::steady_clock::duration took);

  const MySqlEndpoint master_;
  ReplicationLog& log_;
  const SlaveRegistry& registry_;
  VerifyResults& results_;
  std::shared_ptr<spdlog::logger> logger_;
  CheckRunIds run_ids_;        // before walker_, which holds it
  ConsistencyCheck walker_;    // the thread's own session
  std::mutex repair_mutex_;    // one repair at a time
  size_t last_differing_ = 0;  // the walker thread's: at the end of its last pass

  std::mutex mutex_;
  std::condition_variable wakeup_;
  VerifyPacing pacing_;       // guarded by mutex_
  bool requested_ = false;    // guarded by mutex_: a pass was asked for
  bool rescheduled_ = false;  // guarded by mutex_: the interval changed, wait afresh
  bool stop_ = false;         // guarded by mutex_
  std::thread thread_;
};

}  // namespace ddb
