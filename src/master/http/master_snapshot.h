// The master as a snapshot source: GET /api/snapshot (snapshot_route.h).
// The snapshot starts under the log's exclusive barrier with no commit in
// flight, so it holds exactly the records up to the published number; the
// barrier is held only while the transaction opens and the schema is read.
#pragma once

#include <memory>
#include <string>

#include "ddb/daemon/http_server.h"
#include "ddb/mysql/mysql_connection.h"
#include "replication_log.h"

namespace spdlog {
class logger;
}

namespace ddb {

// `log` must outlive the server's Stop().
void AddMasterSnapshotRoute(HttpServer& server, const std::string& node_name, const std::string& cluster_id,
                            const std::string& cluster_secret, const MySqlEndpoint& mysql,
                            ReplicationLog* log, std::shared_ptr<spdlog::logger> logger);

}  // namespace ddb
