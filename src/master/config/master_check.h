// `ddb-master --check [master.ini [slave.ini...]]`: every problem of the
// master's config, its MySQL account, its ports, and the slave configs'
// agreement with it (names in 'slaves', same secret, the right port).
#pragma once

#include <ostream>

#include "ddb/daemon/config_check.h"
#include "master_config.h"

namespace ddb {

// Prints the report to `out`; returns the exit code (0: all well).
int RunMasterCheck(const MasterConfig& config, const ParseResult& parsed, std::ostream& out);

// The slave configs in `files` against the master's `config`.
void CheckSlaveFiles(const MasterConfig& config, const std::vector<std::string>& files, CheckReport* report);

}  // namespace ddb
