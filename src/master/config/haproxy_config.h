// `ddb-master --haproxy-config`: an haproxy.cfg that balances read
// connections over the slaves' MySQL ports and takes a slave out of rotation
// when its /health says it is offline or lagging, and (haproxy_write_bind)
// sends writes to whichever node's /health?role=master answers 200
// (docs/haproxy.md).
#pragma once

#include <cstdint>
#include <string>

#include "ddb/base/host_port.h"
#include "ddb/base/status.h"
#include "master_config.h"

namespace ddb {

// Fails, naming the key, when a slave in `slaves` (or, with a write
// frontend, any node) lacks an address.
Status BuildHaproxyConfig(const MasterConfig& config, std::string* out);

}  // namespace ddb
