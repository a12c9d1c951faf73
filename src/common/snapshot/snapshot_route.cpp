#include "ddb/snapshot/snapshot_route.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "ddb/base/clock.h"
#include "ddb/snapshot/snapshot_auth.h"

namespace ddb {

void AddSnapshotRoute(HttpServer& server, SnapshotRouteOptions options) {
  auto verifier = std::make_shared<SnapshotRequestVerifier>(options.cluster_secret);
  auto shared = std::make_shared<SnapshotRouteOptions>(std::move(options));
  // Public to the token check: the request is signed with the cluster
  // secret instead, which every node already has.
  server.Route("GET", "/api/snapshot", RouteAccess::kPublic, RouteWork::kBlocking,
               [verifier, shared](const HttpRequest& request) {
                 SnapshotRequestAuth auth;
                 const int64_t now = NowMicros() / 1000000;
                 if (Status s = verifier->Verify(request.query, now, &auth); !s.ok()) {
                   shared->logger->warn("snapshot refused: {}", s.message());
                   return HttpResponse::Error(401, s.message());
                 }
                 std::unique_ptr<MySqlConnection> connection;
                 SnapshotCatalog catalog;
                 SnapshotPosition position;
                 Status s = MySqlConnection::Open(shared->mysql, &connection);
                 if (s.ok()) s = shared->start(*connection, &catalog, &position);
                 if (!s.ok()) {
                   shared->logger->warn("snapshot for '{}' failed: {}", auth.node, s.ToString());
                   return HttpResponse::Error(s.code() == Status::Code::kRefused ? 409 : 503,
                                              "snapshot of " + shared->node_name + ": " + s.ToString());
                 }
                 const nlohmann::json header = {
                     {"format", 1},
                     {"cluster_id", position.cluster_id},
                     {"source", shared->node_name},
                     {"seq", position.seq},
                     {"committed_at", position.committed_at_micros},
                     {"databases", catalog.databases.size()},
                     {"tables", catalog.tables.size()},
                     {"estimated_rows", catalog.estimated_rows},
                     {"estimated_bytes", catalog.estimated_bytes},
                     {"source_proof", SnapshotSourceProof(shared->cluster_secret, auth.nonce,
                                                          position.cluster_id, position.seq)}};
                 shared->logger->info("snapshot for '{}' at #{}: {} tables, about {} rows", auth.node,
                                      position.seq, catalog.tables.size(), catalog.estimated_rows);
                 HttpResponse response;
                 response.content_type = "application/x-ddb-snapshot";
                 response.body_source =
                     std::make_shared<SnapshotProducer>(std::move(connection), catalog, header.dump());
                 return response;
               });
}

}  // namespace ddb
