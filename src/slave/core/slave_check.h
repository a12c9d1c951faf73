// `ddb-slave --check`: every problem of the slave's config, its MySQL
// account and privileges, its HTTP port.
#pragma once

#include <ostream>

#include "ddb/daemon/config_check.h"
#include "slave_config.h"

namespace ddb {

// Prints the report to `out`; returns the exit code (0: all well).
int RunSlaveCheck(const SlaveConfig& config, const ParseResult& parsed, std::ostream& out);

}  // namespace ddb
