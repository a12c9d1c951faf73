#include "ddb/daemon/peer_health.h"

#include <nlohmann/json.hpp>

#include "ddb/daemon/config_check.h"

namespace ddb {

PeerHealth ParsePeerHealth(int http_status, std::string_view body) {
  PeerHealth health;
  health.answered = true;
  health.http_status = http_status;
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return health;
  // A field of the wrong type leaves the ones after it at their defaults.
  try {
    health.name = json.value("name", "");
    health.epoch = EpochFromJson(json.value("epoch", nlohmann::json::object()));
    health.role = json.value("role", "");
    const std::string status = json.value("status", "");
    health.master_ok = health.master() && http_status == 200 && status == "ok" && !json.contains("fenced");
    health.master_mysql_down = health.master() && status == "unavailable";
    health.applied_seq = json.value("applied_seq", uint64_t{0});
    health.received_seq = json.value("received_seq", uint64_t{0});
    if (json.contains("master_silent_ms")) health.master_silent_ms = json["master_silent_ms"].get<int64_t>();
    health.auto_failover = json.value("auto_failover", false);
  } catch (const nlohmann::json::exception&) {
  }
  return health;
}

PeerHealth AskPeerHealth(const std::string& host, uint16_t port, std::chrono::milliseconds deadline,
                         ssl::context* verify) {
  int status = 0;
  std::string body;
  const Status asked = verify != nullptr
                           ? HttpGetVerified(*verify, host, port, "/health", deadline, &status, &body)
                           : HttpGet(host, port, "/health", "", deadline, &status, &body);
  if (!asked.ok() || status == 0) {
    PeerHealth silent;
    silent.failure = asked.message();
    return silent;
  }
  return ParsePeerHealth(status, body);
}

Status MakePeerTlsContext(const std::string& config_path, const TlsFiles& files,
                          std::shared_ptr<ssl::context>* out) {
  out->reset();
  if (files.ca_file.empty()) return Status::Ok();
  return MakeTlsClientContext(config_path, files, out);
}

}  // namespace ddb
