// Who may take a snapshot, and proof that it came from this cluster.
//
// Seeding needs no token of its own: the seeding slave and every source
// know the cluster_secret (it never crosses the wire). The request carries
//   node, ts (Unix seconds), nonce (64 hex), mac
// as query parameters, mac = hex HMAC-SHA256(secret, "ddb-snapshot-request-v1"
// LF node LF ts LF nonce). The source accepts it within kSnapshotAuthWindow
// of its clock, once per nonce. Its header answers with
// source_proof = hex HMAC-SHA256(secret, "ddb-snapshot-source-v1" LF nonce LF
// cluster_id LF seq), so the loader knows the data and position come from
// a node of its cluster, unaltered in what the proof covers.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "ddb/base/status.h"

namespace ddb {

inline constexpr int64_t kSnapshotAuthWindowSeconds = 300;

struct SnapshotRequestAuth {
  std::string node;
  int64_t unix_seconds = 0;
  std::string nonce;
  std::string mac;
};

// A fresh request signature for `node`, now.
SnapshotRequestAuth SignSnapshotRequest(std::string_view secret, const std::string& node,
                                        int64_t unix_seconds);
// "node=..&ts=..&nonce=..&mac=.." for the request target.
std::string SnapshotAuthQuery(const SnapshotRequestAuth& auth);

std::string SnapshotSourceProof(std::string_view secret, std::string_view nonce, std::string_view cluster_id,
                                uint64_t seq);

// Checks requests; remembers the nonces it accepted while they are in the
// window, so a captured request cannot be replayed. Thread-safe.
class SnapshotRequestVerifier {
 public:
  explicit SnapshotRequestVerifier(std::string secret) : secret_(std::move(secret)) {}
  // Refused (with what is wrong) unless `query` holds a valid, fresh, unused
  // signature; fills `auth` with it.
  Status Verify(const std::map<std::string, std::string>& query, int64_t now_unix_seconds,
                SnapshotRequestAuth* auth);

 private:
  const std::string secret_;
  std::mutex mutex_;
  std::map<std::string, int64_t> used_nonces_;  // nonce -> ts; guarded by mutex_
};

}  // namespace ddb
