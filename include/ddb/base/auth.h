// Challenge-response authentication of a link with a shared cluster secret.
//
// Both sides contribute a fresh nonce (Hello.client_nonce,
// Challenge.server_nonce), so neither can replay an old exchange. The slave
// proves it knows the secret with SlaveProof; the master answers with
// MasterProof so the slave knows it is talking to a real master too. The
// secret itself never goes on the wire.
//
// A proof is HMAC-SHA256(secret, input), 32 raw bytes, where input is a
// domain label and the four fields, each as u32 big-endian length + bytes.
// Length-prefixing makes the input unambiguous ("ab"+"c" != "a"+"bc"); the
// label ("ddb-slave-proof-v1" / "ddb-master-proof-v1") makes a slave proof
// useless as a master proof and vice versa.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ddb {

inline constexpr size_t kNonceSize = 32;

// kNonceSize bytes from OpenSSL's CSPRNG. Aborts the process if it fails: a
// node that cannot draw random bytes must not authenticate anyone.
std::string RandomNonce();

std::string SlaveProof(std::string_view secret, std::string_view server_nonce, std::string_view client_nonce,
                       std::string_view node_name, std::string_view cluster_id);

std::string MasterProof(std::string_view secret, std::string_view server_nonce, std::string_view client_nonce,
                        std::string_view node_name, std::string_view cluster_id);

// Constant-time comparison (CRYPTO_memcmp) so the time taken leaks nothing
// about how many leading bytes of a guessed proof were right. Different
// lengths compare unequal.
bool ProofsEqual(std::string_view a, std::string_view b);

// Lower-case hex, for logs and tests.
std::string HexEncode(std::string_view bytes);

}  // namespace ddb
