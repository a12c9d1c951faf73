#include "slave_snapshot.h"

#include "ddb/snapshot/snapshot_route.h"

namespace ddb {

void AddSlaveSnapshotRoute(HttpServer& server, const std::string& node_name,
                           const std::string& cluster_secret, const MySqlEndpoint& mysql,
                           std::shared_ptr<spdlog::logger> logger) {
  SnapshotStarter start = [](MySqlConnection& connection, SnapshotCatalog* catalog,
                             SnapshotPosition* position) {
    if (Status s = connection.Execute("FLUSH TABLES WITH READ LOCK"); !s.ok()) return s;
    Status started = StartSnapshot(connection, catalog);
    // The snapshot transaction and its metadata locks stay; writes resume.
    if (Status s = connection.Execute("UNLOCK TABLES"); started.ok() && !s.ok()) started = s;
    if (!started.ok()) return started;
    QueryResult row;
    if (Status s = connection.Execute(
            "SELECT cluster_id, seq, master_committed_at FROM ddb_meta.applied_position WHERE id = 1", &row);
        !s.ok()) {
      return s;
    }
    if (row.rows.empty() || row.rows[0][0].value_or("").empty()) {
      return Status::Refused("this slave has not joined a cluster yet: it has no position to seed from");
    }
    position->cluster_id = *row.rows[0][0];
    position->seq = std::stoull(row.rows[0][1].value_or("0"));
    position->committed_at_micros = std::stoll(row.rows[0][2].value_or("0"));
    return Status::Ok();
  };
  AddSnapshotRoute(server, {node_name, cluster_secret, mysql, std::move(start), std::move(logger)});
}

}  // namespace ddb
