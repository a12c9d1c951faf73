#include "peer_health.h"

#include <nlohmann/json.hpp>

#include "ddb/daemon/config_check.h"
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

Status PeerTlsOf(const SlaveConfig& config, std::shared_ptr<ssl::context>* out) {
  out->reset();
  if (config.tls.files.ca_file.empty()) return Status::Ok();
  return MakeTlsClientContext(config.config_path, config.tls.files, out);
}

PeerHealth AskPeerHealth(const Peer& peer, std::chrono::milliseconds deadline, ssl::context* verify) {
  PeerHealth health;
  HttpAddress address;
  std::string body;
  // ParseHttpAddress, not a hand split: a port that is not a number is "no answer", never an exception.
  if (!ParseHttpAddress(peer.address, &address).ok()) return health;
  const Status asked = verify != nullptr ? HttpGetVerified(*verify, address.host, address.port, "/health",
                                                           deadline, &health.http_status, &body)
                                         : HttpGet(address.host, address.port, "/health", "", deadline,
                                                   &health.http_status, &body);
  if (!asked.ok() || health.http_status == 0) return health;
  health.answered = true;
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return health;
  // A field of the wrong type (a peer of another version, or a hostile
  // one) leaves the rest at their defaults, never an exception.
  try {
    health.name = json.value("name", "");
    health.epoch = EpochFromJson(json.value("epoch", nlohmann::json::object()));
    health.master = json.value("role", "") == "master";
    health.master_ok = health.master && health.http_status == 200 && json.value("status", "") == "ok" &&
                       !json.contains("fenced");
    health.master_mysql_down = health.master && json.value("status", "") == "unavailable";
    health.applied_seq = json.value("applied_seq", uint64_t{0});
    health.received_seq = json.value("received_seq", uint64_t{0});
    if (json.contains("master_silent_ms")) health.master_silent_ms = json["master_silent_ms"].get<int64_t>();
    health.auto_failover = json.value("auto_failover", false);
  } catch (const nlohmann::json::exception&) {
  }
  return health;
}

}  // namespace ddb
