#include "ddb/snapshot/snapshot_auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ddb/base/auth.h"

namespace ddb {
namespace {

std::string HmacHex(std::string_view secret, const std::string& input) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, &length);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string RequestMac(std::string_view secret, const SnapshotRequestAuth& auth) {
  return HmacHex(secret, "ddb-snapshot-request-v1\n" + auth.node + "\n" + std::to_string(auth.unix_seconds) +
                             "\n" + auth.nonce);
}

}  // namespace

SnapshotRequestAuth SignSnapshotRequest(std::string_view secret, const std::string& node,
                                        int64_t unix_seconds) {
  SnapshotRequestAuth auth{node, unix_seconds, HexEncode(RandomNonce()), ""};
  auth.mac = RequestMac(secret, auth);
  return auth;
}

std::string SnapshotAuthQuery(const SnapshotRequestAuth& auth) {
  // node names are [A-Za-z0-9_.-]: nothing to percent-encode.
  return "node=" + auth.node + "&ts=" + std::to_string(auth.unix_seconds) + "&nonce=" + auth.nonce +
         "&mac=" + auth.mac;
}

std::string SnapshotSourceProof(std::string_view secret, std::string_view nonce, std::string_view cluster_id,
                                uint64_t seq) {
  return HmacHex(secret, "ddb-snapshot-source-v1\n" + std::string(nonce) + "\n" + std::string(cluster_id) +
                             "\n" + std::to_string(seq));
}

Status SnapshotRequestVerifier::Verify(const std::map<std::string, std::string>& query,
                                       int64_t now_unix_seconds, SnapshotRequestAuth* auth) {
  for (const char* key : {"node", "ts", "nonce", "mac"}) {
    if (!query.count(key)) {
      return Status::Refused(std::string("the snapshot request has no '") + key +
                             "' (it is signed with the cluster_secret; use ddb-slave --seed)");
    }
  }
  auth->node = query.at("node");
  try {
    auth->unix_seconds = std::stoll(query.at("ts"));
  } catch (const std::exception&) {
    return Status::Refused("the snapshot request's 'ts' is not a number");
  }
  auth->nonce = query.at("nonce");
  auth->mac = query.at("mac");
  if (auth->nonce.size() < 32) return Status::Refused("the snapshot request's nonce is too short");
  if (!ProofsEqual(RequestMac(secret_, *auth), auth->mac)) {
    return Status::Refused("the snapshot request from '" + auth->node +
                           "' is not signed with this cluster's cluster_secret");
  }
  if (auth->unix_seconds < now_unix_seconds - kSnapshotAuthWindowSeconds ||
      auth->unix_seconds > now_unix_seconds + kSnapshotAuthWindowSeconds) {
    return Status::Refused("the snapshot request from '" + auth->node + "' is dated " +
                           std::to_string(auth->unix_seconds - now_unix_seconds) +
                           " s from this node's clock (at most " +
                           std::to_string(kSnapshotAuthWindowSeconds) + " s allowed): check the clocks");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::erase_if(used_nonces_, [now_unix_seconds](const auto& entry) {
    return entry.second < now_unix_seconds - kSnapshotAuthWindowSeconds;
  });
  if (!used_nonces_.emplace(auth->nonce, auth->unix_seconds).second) {
    return Status::Refused("the snapshot request from '" + auth->node + "' was already used (a replay)");
  }
  return Status::Ok();
}

}  // namespace ddb
