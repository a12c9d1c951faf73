#include "ddb/base/auth.h"

#include <cstdio>
#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "ddb/base/wire.h"

namespace ddb {
namespace {

constexpr std::string_view kSlaveProofLabel = "ddb-slave-proof-v1";
constexpr std::string_view kMasterProofLabel = "ddb-master-proof-v1";

std::string Proof(std::string_view label, std::string_view secret, std::string_view server_nonce,
                  std::string_view client_nonce, std::string_view node_name, std::string_view cluster_id) {
  ByteWriter input;
  input.Bytes(label);
  input.Bytes(server_nonce);
  input.Bytes(client_nonce);
  input.Bytes(node_name);
  input.Bytes(cluster_id);

  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), input.data().data(),
           input.data().size(), digest, &digest_length) == nullptr) {
    // Only fails if OpenSSL itself is broken (no SHA-256); there is no
    // meaningful proof to return, and an empty one would fail every check.
    return std::string();
  }
  return std::string(reinterpret_cast<const char*>(digest), digest_length);
}

}  // namespace

std::string RandomNonce() {
  std::string nonce(kNonceSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), static_cast<int>(nonce.size())) != 1) {
    std::fputs("ddb: RAND_bytes failed; refusing to continue without a random source\n", stderr);
    std::abort();
  }
  return nonce;
}

std::string SlaveProof(std::string_view secret, std::string_view server_nonce, std::string_view client_nonce,
                       std::string_view node_name, std::string_view cluster_id) {
  return Proof(kSlaveProofLabel, secret, server_nonce, client_nonce, node_name, cluster_id);
}

std::string MasterProof(std::string_view secret, std::string_view server_nonce, std::string_view client_nonce,
                        std::string_view node_name, std::string_view cluster_id) {
  return Proof(kMasterProofLabel, secret, server_nonce, client_nonce, node_name, cluster_id);
}

bool ProofsEqual(std::string_view a, std::string_view b) {
  // An empty proof (e.g. from a failed HMAC) never matches anything.
  if (a.size() != b.size() || a.empty()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xf];
  }
  return out;
}

}  // namespace ddb
