// The master's HTTP endpoints: /health, /metrics and the JSON API
// (/api/status, /api/query, /api/log), documented in docs/api.md.
//
// /api/query runs statements through a SqlSession, exactly as the console
// does (classified, logged, replicated, refused when unsafe): there is no
// second write path. Each request is its own session, like `mariadb -e`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ddb/base/epochs.h"
#include "ddb/daemon/config_reload.h"
#include "ddb/daemon/http_server.h"
#include "ddb/mysql/mysql_connection.h"
#include "endpoint_reads.h"
#include "mysql_probe.h"
#include "read_router.h"
#include "recent_records.h"
#include "replication_log.h"
#include "slave_registry.h"
#include "sql_session.h"
#include "switchover.h"
#include "sync_replication.h"
#include "verify_results.h"

namespace ddb {

// Everything the endpoints read; all must outlive the HttpServer's Stop().
struct MasterHttpContext {
  std::string master_name;
  std::string cluster_id;
  const RecentRecords& recent;
  const SlaveRegistry& registry;
  MySqlEndpoint mysql;
  ReplicationLog* log;
  SessionOptions session_options;
  ReadRouter* router;                             // may be null: reads run on the master
  SyncReplication* sync = nullptr;                // may be null: writes never wait for slaves
  const MySqlProbe* mysql_probe = nullptr;        // may be null: /health does not look at MySQL
  ConfigReloader* reloader = nullptr;             // may be null: no /api/reload, no /api/config
  const VerifyResults* verify = nullptr;          // may be null: /metrics without the checks' results
  const EndpointReads* endpoint_reads = nullptr;  // may be null: no MySQL endpoint
  // Why this master takes no writes although it runs (it learned of a
  // higher epoch: fenced), or nullopt. Empty: never fenced. Then
  // /health?role=master answers 503 with the reason, so HAProxy's write
  // backend leaves it; plain /health keeps answering about the daemon itself.
  // Called on the HTTP io thread: must not block.
  std::function<std::optional<std::string>()> fenced_reason;
  const EpochHistory* epochs = nullptr;    // may be null: /health and /api/status show no epoch
  const Switchover* switchover = nullptr;  // may be null: /api/status shows no switchover
  // host:port of each other node's HTTP (slave_http_addresses), so the
  // dashboard can link to the node that took over.
  std::map<std::string, std::string> node_http;
};

// Limits of one /api/query request.
inline constexpr size_t kMaxStatementsPerQuery = 100;
inline constexpr size_t kMaxRowsPerResult = 1000;
inline constexpr size_t kMaxLogRecordsPerRequest = 500;

nlohmann::json MasterStatusJson(const MasterHttpContext& context, int64_t now_micros);

// Splits `sql` like the console, runs each statement in a fresh session
// (after USE `database` when given), stops at the first failure, and rolls
// back a transaction the request leaves open. Reads routed to a slave see
// every record committed before the request started.
nlohmann::json RunQueryJson(const MasterHttpContext& context, const std::string& sql,
                            const std::string& database);

// Committed records with seq > after_seq, decoded.
Status ReadLogJson(const MySqlEndpoint& mysql, uint64_t after_seq, uint64_t horizon, size_t limit,
                   nlohmann::json* out);

// POST /api/reload's answer: ok, error, and each changed key.
nlohmann::json ReloadJson(const ReloadOutcome& outcome);
// GET /api/config's answer: every key (secrets masked), its source, whether
// it changes live, and the last reload.
nlohmann::json ConfigJson(const ConfigReloader& reloader);

// Adds every master route to `server`.
void AddMasterRoutes(HttpServer& server, const MasterHttpContext& context);

}  // namespace ddb
