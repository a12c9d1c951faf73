// Automatic failover (docs/failover.md, "Automatic failover"): a watcher in
// the slave daemon that promotes this slave when the master is gone for a
// majority of the configured nodes, and this slave is the one to take over.
//
// The configured nodes are this slave plus its peers (peer_health.h: the
// master's HTTP and every other slave's). Once this slave has heard nothing
// from the master for failover_after_ms (and its link is not connected, or
// the master it is linked to says its MySQL is gone: it can take no write),
// it asks every peer's /health:
//   - a peer answering as a master that takes writes, in this slave's epoch
//     or a newer one, means the master is alive for someone: no failover;
//   - votes are this slave and every peer answering as a slave that has not
//     heard from the master for failover_after_ms either;
//   - only a strict majority of ALL configured nodes (reachable or not)
//     fails over, so a slave cut off from the others never does;
//   - among the voters that would promote themselves (auto_failover), the
//     most advanced (applied_seq, then the smaller name) does; the others
//     wait and follow it through master_candidates.
// The promotion itself is \promote's: CheckPeersForPromotion, then
// BecomeMaster (the process becomes ddb-master --promote).
//
// Decide() is the rule alone, with no I/O, for the unit tests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "peer_health.h"
#include "slave_config.h"
#include "slave_status.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct FailoverDecision {
  bool promote = false;  // this node promotes itself now
  int votes = 0;         // nodes that lost the master, this one included
  int needed = 0;        // a strict majority of the configured nodes
  std::string chosen;    // the voter that should promote; empty when none
  std::string reason;    // why, with the numbers, for the log
};

// This node as its peers would see it (answered, a slave, candidate).
PeerHealth SelfAsPeer(const std::string& name, const SlaveStatusSnapshot& status, int64_t now_micros);

// The rule above. `self` is this slave, `linked` whether its link is
// connected to a master now; `peers` every peer's answer (answered = false
// when it did not); `configured_nodes` this node plus every peer.
FailoverDecision Decide(const PeerHealth& self, bool linked, const std::vector<PeerHealth>& peers,
                        size_t configured_nodes, std::chrono::milliseconds failover_after);

class AutoFailover {
 public:
  // `config` and `status` must outlive this object; each decision taken
  // while the master is silent goes to status (failover_decision, shown by
  // /api/status).
  // `peer_tls` (MakePeerTlsContext; null: none) checks the peers' certificates.
  AutoFailover(const SlaveConfig& config, SlaveStatusBoard& status, std::shared_ptr<spdlog::logger> logger,
               std::shared_ptr<ssl::context> peer_tls);
  ~AutoFailover();  // Stop()
  AutoFailover(const AutoFailover&) = delete;
  AutoFailover& operator=(const AutoFailover&) = delete;

  // Starts the watcher's thread: a check every failover_after_ms / 4 (at
  // least 100 ms). A promotion replaces this whole process from that
  // thread, as \promote does from the console's.
  void Start();
  // Ends the thread (an ask in flight finishes within its deadline).
  // Idempotent.
  void Stop();

 private:
  void Run();
  void Check();
  // Asks the linked master's /health: a daemon whose MySQL is gone marks it
  // unusable on the status board (SetMasterUnusable).
  void WatchLinkedMaster(const SlaveStatusSnapshot& now);
  void Promote(const FailoverDecision& decision);

  const SlaveConfig& config_;
  SlaveStatusBoard& status_;
  std::shared_ptr<spdlog::logger> logger_;
  const std::vector<Peer> peers_;
  const std::shared_ptr<ssl::context> peer_tls_;
  size_t master_peer_ = SIZE_MAX;  // the watcher thread's only: the peer that answered as the master
  std::mutex mutex_;
  std::condition_variable wake_;  // Stop() notifies
  bool stopping_ = false;         // guarded by mutex_
  std::string last_reason_;       // the watcher thread's only: logs each new reason once
  // The watcher thread's only: no promotion before this, after one that
  // was refused or failed.
  std::chrono::steady_clock::time_point retry_at_;
  std::thread thread_;
};

}  // namespace ddb
