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

#include <optional>
#include <ostream>

#include "ddb/base/epochs.h"
#include "ddb/base/status.h"
#include "slave_config.h"

namespace ddb {

// Returns only on failure: on success the process is ddb-master.
Status RunPromote(const SlaveConfig& config, std::ostream& out);

// The checks against the other nodes, for a slave that applied up to
// `applied_seq` in `epoch`: Refused naming the first objection unless
// config.force; every objection and every node that did not answer is also
// written to `out`. \promote at a running daemon's console asks this before
// the daemon stops.
Status CheckPeersForPromotion(const SlaveConfig& config, uint64_t applied_seq,
                              const std::optional<EpochStart>& epoch, bool force, std::ostream& out);

// Replaces this process with ddb-master --config master_config --promote;
// returns only on failure. Everything of the slave must be stopped.
Status BecomeMaster(const SlaveConfig& config);

}  // namespace ddb
