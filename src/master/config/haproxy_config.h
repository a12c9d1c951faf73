// `ddb-master --haproxy-config`: an haproxy.cfg that balances read
// connections over the slaves' MySQL ports and takes a slave out of rotation
// when its /health says it is offline or lagging, and (haproxy_write_bind)
// sends writes to whichever node's /health?role=master answers 200
// (docs/haproxy.md).
#pragma once

#include <cstdint>
#include <string>

#include "ddb/base/status.h"
#include "master_config.h"

namespace ddb {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// "slave1=127.0.0.1:33072"
struct NamedAddress {
  std::string name;
  HostPort address;
};

// "host:port", port 1..65535. "[v6]:port" for IPv6.
Status ParseHostPort(const std::string& text, HostPort* out);
Status ParseNamedAddress(const std::string& text, NamedAddress* out);

// Fails, naming the key, when a slave in `slaves` (or, with a write
// frontend, any node) lacks an address.
Status BuildHaproxyConfig(const MasterConfig& config, std::string* out);

}  // namespace ddb
