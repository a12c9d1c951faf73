// The other nodes a slave asks before it promotes itself (by hand or
// automatically): the master's HTTP (master_http_address) and every other
// slave's (seed_sources), and what each one's /health says.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ddb/base/epochs.h"
#include "ddb/base/status.h"
#include "ddb/base/tls.h"
#include "slave_config.h"

namespace ddb {

struct Peer {
  std::string name;     // "master" for master_http_address, else the seed_sources name
  std::string address;  // host:port of its HTTP
  std::string Describe() const { return name + " (" + address + ")"; }
};

// master_http_address, then every name=host:port of seed_sources: with this
// slave, the configured nodes.
std::vector<Peer> PeersOf(const SlaveConfig& config);

// One peer's /health, as far as failing over cares.
struct PeerHealth {
  bool answered = false;  // false: nothing answered (down, cut off, not HTTP)
  int http_status = 0;
  std::string name;  // the node's own name, from the answer
  bool master = false;
  // A master that takes writes: 200, status ok, not fenced.
  bool master_ok = false;
  // A master whose daemon answers but whose MySQL is gone (503
  // "unavailable"): it can take no write.
  bool master_mysql_down = false;
  EpochStart epoch;  // epoch 0 when it reported none
  uint64_t applied_seq = 0;
  uint64_t received_seq = 0;
  // A slave's silence of its master (master_silent_ms); none from a master
  // or an older slave.
  std::optional<int64_t> master_silent_ms;
  bool auto_failover = false;  // a slave that would promote itself
};

// What a slave checks its peers' HTTPS certificates with: its tls_ca_file
// (HttpGetVerified), so a forged /health can neither stop a promotion nor
// vote for one. Null without tls_ca_file: answers are taken as they come.
Status PeerTlsOf(const SlaveConfig& config, std::shared_ptr<ssl::context>* out);

// GET /health at `peer` within `deadline`, its certificate checked with
// `verify` (null: not checked); never throws.
PeerHealth AskPeerHealth(const Peer& peer, std::chrono::milliseconds deadline, ssl::context* verify);

}  // namespace ddb
