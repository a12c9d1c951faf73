// A peer's /health, as another node reads it: the master asks the others
// which epoch they are in (fencing, switchover), a slave asks them before it
// promotes itself (failover, \promote). One reader, so every node takes the
// same meaning from the same answer.
//
// Answers are read defensively: a peer may run another version, or be
// hostile, so a field of the wrong type leaves it at its default and a body
// that is not JSON tells nothing; nothing here throws.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ddb/base/epochs.h"
#include "ddb/base/status.h"
#include "ddb/base/tls.h"

namespace ddb {

struct PeerHealth {
  bool answered = false;  // false: nothing answered (down, cut off, not HTTP, certificate refused)
  std::string failure;    // why nothing answered (the GET's error); empty when it answered
  int http_status = 0;
  std::string name;  // the node's own name, from the answer
  std::string role;  // "master" or "slave"; empty when it did not say
  // A master that takes writes: 200, status ok, not fenced.
  bool master_ok = false;
  // A master whose daemon answers but whose MySQL is gone (503
  // "unavailable"): it can take no write.
  bool master_mysql_down = false;
  EpochStart epoch;  // the newest it knows; epoch 0 when it reported none
  uint64_t applied_seq = 0;
  uint64_t received_seq = 0;
  // A slave's silence of its master (master_silent_ms); none from a master
  // or an older slave.
  std::optional<int64_t> master_silent_ms;
  bool auto_failover = false;  // a slave that would promote itself

  bool master() const { return role == "master"; }
};

// What a peer answered: HTTP `http_status` with `body`.
PeerHealth ParsePeerHealth(int http_status, std::string_view body);

// GET /health at host:port within `deadline`, the certificate checked with
// `verify` (HttpGetVerified; null: plain HttpGet, nothing checked).
PeerHealth AskPeerHealth(const std::string& host, uint16_t port, std::chrono::milliseconds deadline,
                         ssl::context* verify);

// What a node checks its peers' HTTPS certificates with: its tls_ca_file,
// so a forged /health can neither fence a master nor stop or vote for a
// promotion. Null without a CA file: answers are taken as they come.
Status MakePeerTlsContext(const std::string& config_path, const TlsFiles& files,
                          std::shared_ptr<ssl::context>* out);

}  // namespace ddb
