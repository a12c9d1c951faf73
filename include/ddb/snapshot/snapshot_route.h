// GET /api/snapshot on any node (docs/api.md): signed with the cluster
// secret (snapshot_auth.h), answered with the stream of snapshot_format.h.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "ddb/daemon/http_server.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/snapshot/snapshot_source.h"

namespace spdlog {
class logger;
}

namespace ddb {

// The node's own part: on `connection`, StartSnapshot while nothing changes
// the schema, and the position that snapshot holds.
using SnapshotStarter =
    std::function<Status(MySqlConnection& connection, SnapshotCatalog* catalog, SnapshotPosition* position)>;

struct SnapshotRouteOptions {
  std::string node_name;
  std::string cluster_secret;
  MySqlEndpoint mysql;
  SnapshotStarter start;
  std::shared_ptr<spdlog::logger> logger;
};

void AddSnapshotRoute(HttpServer& server, SnapshotRouteOptions options);

}  // namespace ddb
