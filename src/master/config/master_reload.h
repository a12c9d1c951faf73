// What a master's config reload can change on the running daemon: the parts
// that hold live settings, and applying one key's new value to them.
#pragma once

#include "ddb/daemon/config_reload.h"
#include "ddb/daemon/logging.h"
#include "log_purger.h"
#include "master_config.h"
#include "read_router.h"
#include "slave_registry.h"
#include "sync_replication.h"
#include "verify_service.h"

namespace ddb {

// All must outlive the reloader that applies to them.
struct MasterLiveParts {
  SlaveRegistry& registry;
  SyncReplication& sync;
  ReadRouter& router;
  LogPurger& purger;
  Logging& logging;
  VerifyService& verify;
};

// Applies `fresh`'s value of live key `key`. Keys come in the key table's
// order, so 'slaves' is applied before 'sync_slaves' (which is checked
// against the slave count).
KeyApplied ApplyMasterKey(const std::string& key, const MasterConfig& fresh, MasterLiveParts& parts);

// A reloader over argv (the same flags win again) and `parts`.
std::unique_ptr<ConfigReloader> MakeMasterReloader(int argc, const char* const argv[],
                                                   const MasterConfig& started, MasterLiveParts parts,
                                                   std::shared_ptr<spdlog::logger> logger);

}  // namespace ddb
