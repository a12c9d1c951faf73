// The other nodes a slave asks before it promotes itself (by hand or
// automatically): the master's HTTP (master_http_address) and every other
// slave's (seed_sources), and what each one's /health says
// (ddb/daemon/peer_health.h reads it).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ddb/base/tls.h"
#include "ddb/daemon/peer_health.h"
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

// GET /health at `peer` within `deadline`, its certificate checked with
// `verify` (null: not checked; MakePeerTlsContext makes it from tls_ca_file).
// An address that does not parse is no answer.
PeerHealth AskPeerHealth(const Peer& peer, std::chrono::milliseconds deadline, ssl::context* verify);

}  // namespace ddb
