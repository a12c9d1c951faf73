#include "master_snapshot.h"

#include "ddb/snapshot/snapshot_route.h"

namespace ddb {
namespace {

// How long a snapshot waits for a lost commit's outcome before it fails.
constexpr auto kQuiescePatience = std::chrono::seconds(15);

}  // namespace

void AddMasterSnapshotRoute(HttpServer& server, const std::string& node_name, const std::string& cluster_id,
                            const std::string& cluster_secret, const MySqlEndpoint& mysql,
                            ReplicationLog* log, std::shared_ptr<spdlog::logger> logger) {
  SnapshotStarter start = [log, cluster_id](MySqlConnection& connection, SnapshotCatalog* catalog,
                                            SnapshotPosition* position) {
    position->cluster_id = cluster_id;
    if (Status s = log->RunQuiesced(
            [&](uint64_t published) {
              position->seq = published;
              return StartSnapshot(connection, catalog);
            },
            kQuiescePatience);
        !s.ok()) {
      return s;
    }
    // Inside the snapshot: the position's record (none for a gap or an
    // empty log), for the slave's lag until its first record.
    QueryResult row;
    if (Status s = connection.ExecuteWithParams(
            "SELECT committed_at FROM ddb_meta.replication_log WHERE seq = ?", {position->seq}, &row);
        !s.ok()) {
      return s;
    }
    if (!row.rows.empty()) position->committed_at_micros = std::stoll(row.rows[0][0].value_or("0"));
    return Status::Ok();
  };
  AddSnapshotRoute(server, {node_name, cluster_secret, mysql, std::move(start), std::move(logger)});
}

}  // namespace ddb
