// What a daemon exposes beyond its own host, and whether it may start so.
//
// Each network surface (the master's replication port, HTTP, the MySQL
// endpoint; a slave's link to its master and HTTP) is described by where it
// listens or dials, whether it has TLS, and the secrets it guards. A surface
// off loopback without the TLS `require_tls` asks for, or guarded by a demo
// secret shipped in config/*.ini, refuses the start with a message naming the
// key, unless `allow_insecure = true` (then each is a warning).
// docs/security.md has the rules.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/daemon/common_options.h"

namespace ddb {

// 127.0.0.0/8, ::1 (and IPv4-mapped loopback) or "localhost". Any other
// name, and the wildcard addresses 0.0.0.0 and ::, are not.
bool IsLoopbackHost(const std::string& host);

// A value shipped in config/*.ini for the demo ("...change-me..."), which
// anyone can read in the repository.
bool IsDemoSecret(const std::string& value);

// Whether `require_tls` asks for TLS on a surface at `host`.
bool TlsRequired(const TlsOptions& tls, const std::string& host);

struct Surface {
  std::string what;         // "the replication port", "HTTP"
  std::string address_key;  // the key naming where it listens or dials: "replication_address"
  std::string address;
  bool tls = false;                                          // it speaks TLS
  std::string tls_keys;                                      // how to give it TLS, for the message
  std::vector<std::pair<std::string, std::string>> secrets;  // (key, value) it guards
};

// Refuses the first surface that needs TLS and lacks it, or shows a demo
// secret beyond loopback; with allow_insecure each goes to `warnings`
// instead. `warnings` may be null.
Status ReviewExposure(const std::string& config_path, const TlsOptions& tls,
                      const std::vector<Surface>& surfaces, std::vector<std::string>* warnings);

// Warnings about secrets others can read: `config_path` when it sets one of
// `secret_keys` and is readable by group or others, and each of
// `secret_files` that is.
std::vector<std::string> SecretFileWarnings(const std::string& config_path,
                                            const std::vector<std::string>& secret_keys,
                                            const std::vector<std::string>& secret_files);

}  // namespace ddb
