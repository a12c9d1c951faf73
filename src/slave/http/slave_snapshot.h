// A slave as a snapshot source: GET /api/snapshot (snapshot_route.h), for
// `ddb-slave --seed-from`. The snapshot starts under FLUSH TABLES WITH READ
// LOCK, which waits for the applier's running transaction and holds the
// next one back for as long as the schema is read; the position comes from
// the snapshot itself (the applier writes it in the same transaction as
// what it applies). A DDL is applied before its position moves: a snapshot
// taken between the two holds the DDL one record early, and the seeded
// slave's first record, that DDL, then fails as "already exists", which a
// just-started applier recognises as applied (applier.cpp).
#pragma once

#include <memory>
#include <string>

#include "ddb/daemon/http_server.h"
#include "ddb/mysql/mysql_connection.h"

namespace spdlog {
class logger;
}

namespace ddb {

void AddSlaveSnapshotRoute(HttpServer& server, const std::string& node_name,
                           const std::string& cluster_secret, const MySqlEndpoint& mysql,
                           std::shared_ptr<spdlog::logger> logger);

}  // namespace ddb
