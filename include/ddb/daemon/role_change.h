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
// directory this binary was started from) run with `args`. Any thread may
// call it: every descriptor but stdin, stdout and stderr is closed first, so
// what this daemon was doing ends as on kill -9 (which ddb survives) and its
// ports and MySQL locks are free for the new one. Returns only when that
// fails, saying why (the process cannot go on then: its descriptors are gone).
Status ExecSiblingDaemon(const std::string& program, const std::vector<std::string>& args);

}  // namespace ddb
