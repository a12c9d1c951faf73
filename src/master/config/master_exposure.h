// The master's network surfaces for ReviewExposure (ddb/daemon/exposure.h):
// the replication port and HTTP (TLS with tls_cert_file), and the MySQL
// endpoint (no TLS yet: loopback only, unless allow_insecure).
#pragma once

#include <string>
#include <vector>

#include "master_config.h"

namespace ddb {

// Refuses a start that would expose a surface without the TLS require_tls
// asks for, or with a demo secret; with allow_insecure, `warnings` (may be
// null) gets each instead.
Status ReviewMasterExposure(const MasterConfig& config, std::vector<std::string>* warnings);

// Everything to warn about at start: what allow_insecure let through, and
// secrets in files others can read.
std::vector<std::string> MasterSecurityWarnings(const MasterConfig& config);

}  // namespace ddb
