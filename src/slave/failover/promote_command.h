// ddb-slave --promote: failover by hand (docs/failover.md).
//
// The master is gone; this slave becomes the master if that loses nothing
// another node could have given: it asks the master's and the other slaves'
// /health (master_http_address, seed_sources) and refuses, naming the node,
// when the master still answers as master of this epoch, another node is
// already master in a newer one, or another slave applied more than this
// one (promote that one instead). --force promotes anyway. Then this
// process becomes ddb-master --config master_config --promote on the same
// MySQL (master_role.h there): a new epoch starts after this slave's last
// record, and the other slaves (master_candidates) follow it.
#pragma once

#include <ostream>

#include "ddb/base/status.h"
#include "slave_config.h"

namespace ddb {

// Returns only on failure: on success the process is ddb-master.
Status RunPromote(const SlaveConfig& config, std::ostream& out);

}  // namespace ddb
