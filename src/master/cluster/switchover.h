// Switchover: the planned change of master (\switchover NAME at the console,
// POST /api/switchover, the dashboard's button; docs/failover.md).
//
//   1. Writes stop (Fencing::HoldForHandOver): every commit and DDL is
//      refused with an error naming the slave taking over, and
//      /health?role=master answers 503, so HAProxy's write frontend lets go.
//   2. Every number handed out gets published (ReplicationLog::RunQuiesced):
//      the log ends at #N.
//   3. The slave applies up to #N.
//   4. It is sent HandOver(#N) and becomes ddb-master --promote in the same
//      process: epoch E+1 starts at #N+1.
//   5. Once its /health answers as the master of the newer epoch, this
//      master learns it (Fencing::Learn): fenced for good, and main's hook
//      restarts this node as the new master's slave (slave_config). The
//      other slaves lose their link and find the new master among their
//      master_candidates.
//
// Until step 4 a failure calls it off and writes resume. From step 4 on this
// master never resumes by itself: the slave may be taking over, and two
// masters taking writes is worse than none. If the slave does not confirm in
// time the error says so and the operator looks (a restart of this master
// takes writes again if the slave did not become the master).
//
// Thread-safe; one switchover at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ddb/base/status.h"
#include "fencing.h"
#include "peer_epochs.h"
#include "replication_log.h"
#include "slave_registry.h"

namespace spdlog {
class logger;
}

namespace ddb {

// The last switchover this master ran, for /api/status and the dashboard.
struct SwitchoverState {
  std::string to;     // empty: none ran since the master started
  std::string state;  // "running", "failed" or "done"
  std::string message;
  int64_t started_at_micros = 0;
};

class Switchover {
 public:
  struct Parts {
    ReplicationLog& log;
    Fencing& fencing;
    SlaveRegistry& registry;
    PeerEpochWatch& peers;  // where each node's /health is
  };
  Switchover(Parts parts, std::string self, std::chrono::milliseconds timeout,
             std::shared_ptr<spdlog::logger> logger);
  ~Switchover();  // waits for a switchover Start()ed to end

  // Whether `to` could take over now: a configured slave, connected, whose
  // /health this master knows (slave_http_addresses). No side effects.
  Status Check(const std::string& to) const;

  // Runs it on the calling thread; `progress` gets a line per step. Ok once
  // `to` answers as the master and this master is fenced: with slave_config
  // set, the process has become ddb-slave by then and this never returns.
  Status Run(const std::string& to, const std::function<void(const std::string&)>& progress);

  // Check(), then Run() on a thread of its own (the HTTP API: it answers at
  // once, the state tells the rest).
  Status Start(const std::string& to);

  SwitchoverState state() const;

 private:
  Status RunLocked(const std::string& to, const std::function<void(const std::string&)>& progress);
  // Steps 4-5: Ok once `to` answered as the master of a newer epoch.
  Status HandOverTo(const std::string& to, uint64_t last_seq,
                    const std::function<void(const std::string&)>& progress);
  void SetState(const std::string& state, const std::string& message);

  Parts parts_;
  const std::string self_;
  const std::chrono::milliseconds timeout_;
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex run_mutex_;  // held while one runs
  mutable std::mutex state_mutex_;
  SwitchoverState state_;  // guarded by state_mutex_
  std::thread background_;
};

}  // namespace ddb
