#include "peer_health.h"

#include "ddb/daemon/config_parser.h"
#include "snapshot_fetch.h"

namespace ddb {

std::vector<Peer> PeersOf(const SlaveConfig& config) {
  std::vector<Peer> peers{{"master", config.master_http_address}};
  for (const std::string& list : config.seed_sources) {
    for (const std::string& item : SplitList(list)) {
      const size_t equals = item.find('=');
      if (equals != std::string::npos) peers.push_back({item.substr(0, equals), item.substr(equals + 1)});
    }
  }
  return peers;
}

PeerHealth AskPeerHealth(const Peer& peer, std::chrono::milliseconds deadline, ssl::context* verify) {
  HostPort address;
  // ParseHostPort, not a hand split: a port that is not a number is "no answer", never an exception.
  if (Status s = ParseHostPort(peer.address, &address); !s.ok()) {
    PeerHealth silent;
    silent.failure = s.message();
    return silent;
  }
  return AskPeerHealth(address.host, address.port, deadline, verify);
}

}  // namespace ddb
