// PeerEpochWatch: asks the other nodes which epoch they are in, so a master
// that was replaced finds out even when no slave connects to it any more.
//
// After a failover the slaves follow the new master and never dial the old
// one again; a former master that comes back, or one that was cut off while
// the others promoted, would take writes nobody else ever gets. This asks
// every other node's /health (slave_http_addresses) at start and then every
// interval; a node in a newer epoch fences this master (fencing.h, whose
// hook main.cpp uses to restart the node as a slave when slave_config is
// set: ddb-slave --rejoin).
//
// A peer that does not answer tells nothing: with every peer down, a master
// keeps running (it cannot tell a restart of the whole cluster from a
// partition). docs/failover.md says what that can cost without sync_slaves.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ddb/base/host_port.h"
#include "ddb/base/tls.h"
#include "ddb/daemon/peer_health.h"
#include "fencing.h"

namespace spdlog {
class logger;
}

namespace ddb {

class PeerEpochWatch {
 public:
  // `verify` (null: none) checks each peer's HTTPS certificate: with it, a
  // peer whose certificate does not check counts as no answer, so a forged
  // /health cannot fence this master (HttpGetVerified).
  PeerEpochWatch(std::vector<NamedAddress> peers, Fencing& fencing, std::chrono::milliseconds interval,
                 std::shared_ptr<spdlog::logger> logger, std::shared_ptr<ssl::context> verify = nullptr);
  ~PeerEpochWatch();

  // Asks every peer once, on the calling thread; true when fenced now.
  bool CheckOnce();
  // Asks peer `name` alone, without learning from it; nullopt when it is not
  // a peer or did not answer.
  std::optional<PeerHealth> Ask(const std::string& name) const;
  bool Knows(const std::string& name) const;
  void Start();
  void Stop();

 private:
  void Run();
  PeerHealth AskPeer(const NamedAddress& peer) const;

  const std::vector<NamedAddress> peers_;
  Fencing& fencing_;
  const std::chrono::milliseconds interval_;
  std::shared_ptr<spdlog::logger> logger_;
  const std::shared_ptr<ssl::context> verify_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace ddb
