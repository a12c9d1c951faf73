// Handing a node over to the daemon of its other role: a promoted slave
// becomes ddb-master, a fenced master becomes ddb-slave (docs/failover.md).
// The new daemon replaces this process (same pid, same terminal), so the
// operator's one command, or a supervisor watching the pid, carries on.
#pragma once

#include <string>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

// Replaces this process with `program` (ddb-master or ddb-slave, from the
// directory this binary was started from) run with `args`. Returns only
// when that fails, saying why. Call once everything is shut down: open
// descriptors and MySQL locks would otherwise pass to the new daemon.
Status ExecSiblingDaemon(const std::string& program, const std::vector<std::string>& args);

}  // namespace ddb
