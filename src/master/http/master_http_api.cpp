#include "master_http_api.h"

#include <chrono>

#include "ddb/base/clock.h"
#include "ddb/base/log_record.h"
#include "ddb/daemon/health_role.h"
#include "ddb/sql/statement_splitter.h"
#include "log_table_reader.h"
#include "master_metrics.h"
#include "slave_lag.h"
#include "switchover_routes.h"

namespace ddb {
namespace {

nlohmann::json OptionalText(const std::optional<std::string>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// One result's fields: rows (at most kMaxRowsPerResult) when it is a
// result set, and what it affected.
void AddResultFields(const QueryResult& result, nlohmann::json* out) {
  (*out)["has_result_set"] = result.has_result_set;
  (*out)["affected_rows"] = result.affected_rows;
  if (!result.has_result_set) return;
  (*out)["columns"] = result.columns;
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < result.rows.size() && i < kMaxRowsPerResult; ++i) {
    nlohmann::json row = nlohmann::json::array();
    for (const auto& value : result.rows[i]) row.push_back(OptionalText(value));
    rows.push_back(std::move(row));
  }
  (*out)["rows"] = std::move(rows);
  (*out)["row_count"] = result.rows.size();
  (*out)["truncated"] = result.rows.size() > kMaxRowsPerResult;
}

nlohmann::json ResultJson(const std::string& sql, const ExecutionResult& executed, double elapsed_ms) {
  nlohmann::json out;
  out["sql"] = sql;
  out["ok"] = executed.status.ok();
  out["elapsed_ms"] = elapsed_ms;
  if (!executed.status.ok()) {
    out["error"] = executed.status.code() == Status::Code::kMySql ? executed.status.ToString()
                                                                  : executed.status.message();
    return out;
  }
  AddResultFields(executed.result, &out);
  // A CALL answers each result set its body sent, then its own OK.
  if (!executed.result.next_results.empty()) {
    nlohmann::json more = nlohmann::json::array();
    for (const QueryResult& next : executed.result.next_results) {
      nlohmann::json item;
      AddResultFields(next, &item);
      more.push_back(std::move(item));
    }
    out["more_results"] = std::move(more);
  }
  if (!executed.answered_by.empty()) out["answered_by"] = executed.answered_by;
  if (!executed.info.empty()) out["info"] = executed.info;
  if (!executed.warnings.empty()) out["warnings"] = executed.warnings;
  return out;
}

HttpResponse QueryEndpoint(const MasterHttpContext& context, const HttpRequest& request) {
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return HttpResponse::Error(400, "the body must be a JSON object: {\"sql\": \"...\"}");
  }
  if (!body.contains("sql") || !body["sql"].is_string()) {
    return HttpResponse::Error(400, "\"sql\" (a string) is required");
  }
  std::string database;
  if (body.contains("database")) {
    if (!body["database"].is_string()) return HttpResponse::Error(400, "\"database\" must be a string");
    database = body["database"].get<std::string>();
  }
  nlohmann::json out = RunQueryJson(context, body["sql"].get<std::string>(), database);
  if (out.contains("error")) return HttpResponse::Json(400, out);
  return HttpResponse::Json(200, out);
}

bool ParseUnsigned(const std::string& text, uint64_t* out) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *out = std::stoull(text);
  return true;
}

HttpResponse LogEndpoint(const MasterHttpContext& context, const HttpRequest& request) {
  uint64_t after = 0, limit = 50;
  if (auto it = request.query.find("after");
      it != request.query.end() && !ParseUnsigned(it->second, &after)) {
    return HttpResponse::Error(400, "'after' must be a sequence number");
  }
  if (auto it = request.query.find("limit");
      it != request.query.end() &&
      (!ParseUnsigned(it->second, &limit) || limit == 0 || limit > kMaxLogRecordsPerRequest)) {
    return HttpResponse::Error(400, "'limit' must be 1.." + std::to_string(kMaxLogRecordsPerRequest));
  }
  nlohmann::json records;
  if (Status s = ReadLogJson(context.mysql, after, context.recent.last_seq(), limit, &records); !s.ok()) {
    return HttpResponse::Error(503, "reading the log table failed: " + s.ToString());
  }
  return HttpResponse::Json(
      200, nlohmann::json{
               {"after", after}, {"last_seq", context.recent.last_seq()}, {"records", std::move(records)}});
}

// /health: 200 while the daemon can write and log (its MySQL answers).
// ?role=master also needs it not fenced: what HAProxy's write backend asks.
HttpResponse MasterHealth(const MasterHttpContext& context, const HttpRequest& request) {
  const std::optional<HealthRole> role = RequestedHealthRole(request);
  if (!role) return BadHealthRole(request);
  if (*role == HealthRole::kSlave)
    return NotInRole(HealthRole::kSlave, HealthRole::kMaster, context.master_name);
  nlohmann::json body{
      {"role", "master"}, {"name", context.master_name}, {"last_seq", context.recent.last_seq()}};
  if (context.epochs != nullptr) body["epoch"] = EpochJson(context.epochs->Current());
  // A master whose MySQL is gone can neither write nor log: not healthy,
  // whatever else still runs.
  const MySqlReachability mysql = context.mysql_probe ? context.mysql_probe->Current() : MySqlReachability{};
  if (!mysql.reachable) {
    body["status"] = "unavailable";
    body["cause"] = mysql.cause;
    return HttpResponse::Json(503, body);
  }
  const std::optional<std::string> fenced = context.fenced_reason ? context.fenced_reason() : std::nullopt;
  if (fenced) body["fenced"] = *fenced;
  if (fenced && *role == HealthRole::kMaster) {
    body["status"] = "fenced";
    body["reason"] = *fenced;
    return HttpResponse::Json(503, body);
  }
  body["status"] = "ok";
  return HttpResponse::Json(200, body);
}

}  // namespace

nlohmann::json MasterStatusJson(const MasterHttpContext& context, int64_t now_micros) {
  const uint64_t last_seq = context.recent.last_seq();
  nlohmann::json master{
      {"name", context.master_name}, {"role", "master"},
      {"state", "online"},           {"cluster_id", context.cluster_id},
      {"last_seq", last_seq},        {"last_committed_at_micros", context.recent.last_committed_at_micros()}};
  if (context.epochs != nullptr) {
    master["epoch"] = EpochJson(context.epochs->Current());
    // The failover history: who was the master from which record on.
    nlohmann::json epochs = nlohmann::json::array();
    for (const EpochStart& start : context.epochs->starts()) epochs.push_back(EpochJson(start));
    master["epochs"] = std::move(epochs);
  }
  if (context.fenced_reason) {
    if (const std::optional<std::string> fenced = context.fenced_reason()) {
      master["state"] = "fenced";
      master["fenced"] = *fenced;
    }
  }
  if (context.switchover != nullptr) master["switchover"] = SwitchoverJson(context.switchover->state());
  nlohmann::json slaves = nlohmann::json::array();
  for (const SlaveStatus& slave : context.registry.Snapshot()) {
    nlohmann::json item{{"name", slave.name},
                        {"role", "slave"},
                        {"state", SlaveStateName(slave.state)},
                        {"peer", slave.peer},
                        {"records_sent", slave.records_sent},
                        {"connects", slave.connects}};
    item["acked_seq"] = slave.acked_known ? nlohmann::json(slave.acked_seq) : nlohmann::json(nullptr);
    // Records the master holds that the slave has not applied: its queue.
    item["behind_records"] = slave.acked_known
                                 ? nlohmann::json(last_seq > slave.acked_seq ? last_seq - slave.acked_seq : 0)
                                 : nlohmann::json(nullptr);
    const std::optional<double> lag = SlaveLagSeconds(slave, context.recent, now_micros);
    item["lag_seconds"] = lag ? nlohmann::json(*lag) : nlohmann::json(nullptr);
    item["last_seen_seconds_ago"] =
        slave.last_seen_micros
            ? nlohmann::json(static_cast<double>(now_micros - slave.last_seen_micros) / 1e6)
            : nlohmann::json(nullptr);
    item["last_error"] = slave.applier_problem.empty() ? slave.last_error : slave.applier_problem;
    if (auto http = context.node_http.find(slave.name); http != context.node_http.end())
      item["http"] = http->second;
    slaves.push_back(std::move(item));
  }
  nlohmann::json status{
      {"master", std::move(master)}, {"slaves", std::move(slaves)}, {"now_micros", now_micros}};
  if (context.endpoint_reads != nullptr) {
    nlohmann::json reads{{"fallbacks", context.endpoint_reads->fallbacks()}};
    for (const EndpointReads::NodeReads& node : context.endpoint_reads->Snapshot())
      reads[node.node] = node.reads;
    status["endpoint_reads"] = std::move(reads);
  }
  return status;
}

nlohmann::json RunQueryJson(const MasterHttpContext& context, const std::string& sql,
                            const std::string& database) {
  StatementSplitter splitter;
  splitter.Feed(sql);
  splitter.Feed("\n");
  std::vector<std::string> statements;
  SplitStatement next;
  while (splitter.Next(&next)) statements.push_back(next.sql);
  if (std::string rest = splitter.TakePending(); !rest.empty()) statements.push_back(rest);
  if (statements.empty()) return nlohmann::json{{"error", "no statement in \"sql\""}};
  if (statements.size() > kMaxStatementsPerQuery) {
    return nlohmann::json{
        {"error", "at most " + std::to_string(kMaxStatementsPerQuery) + " statements per request"}};
  }

  SqlSession session(context.mysql, context.log, context.session_options, context.router, context.sync);
  // Reads see every write committed before the request, this client's
  // previous request included (a slave that lacks them is not asked).
  session.ReadAfter(context.recent.last_seq());
  nlohmann::json results = nlohmann::json::array();
  if (!database.empty()) {
    const ExecutionResult used = session.Execute("USE " + QuoteIdentifier(database));
    if (!used.status.ok()) results.push_back(ResultJson("USE " + QuoteIdentifier(database), used, 0));
  }
  bool failed = !results.empty();
  for (const std::string& statement : statements) {
    if (failed) break;
    const auto start = std::chrono::steady_clock::now();
    const ExecutionResult executed = session.Execute(statement);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    results.push_back(ResultJson(statement, executed, ms));
    failed = !executed.status.ok();
  }
  nlohmann::json out{{"results", std::move(results)}, {"ok", !failed}};
  out["statements"] = statements.size();
  if (session.in_transaction()) {
    // A transaction cannot span requests (each has its own session): what
    // the request left open is undone, and it says so.
    session.Execute("ROLLBACK");
    out["note"] = "the transaction left open at the end of the request was rolled back";
  }
  return out;
}

Status ReadLogJson(const MySqlEndpoint& mysql, uint64_t after_seq, uint64_t horizon, size_t limit,
                   nlohmann::json* out) {
  LogTableReader reader(mysql);
  // What was purged is simply not listed: start at the oldest record kept.
  uint64_t purged_through = 0;
  if (Status s = reader.PurgedThrough(&purged_through); !s.ok()) return s;
  std::vector<EncodedRecordPtr> encoded;
  if (Status s = reader.ReadAfter(std::max(after_seq, purged_through), horizon, limit, &encoded); !s.ok())
    return s;
  nlohmann::json records = nlohmann::json::array();
  for (const EncodedRecordPtr& one : encoded) {
    LogRecord record;
    if (Status s = DecodeRecordPayload(one->payload, &record); !s.ok()) {
      return Status::Corruption("record #" + std::to_string(one->seq) + ": " + s.message());
    }
    if (record.kind == RecordKind::kGap) continue;  // a number that never committed
    nlohmann::json statements = nlohmann::json::array();
    for (const LoggedStatement& statement : record.statements) {
      statements.push_back({{"sql", statement.sql}, {"database", statement.default_database}});
    }
    records.push_back({{"seq", record.seq},
                       {"committed_at_micros", record.committed_at_micros},
                       {"kind", record.kind == RecordKind::kDdl ? "ddl" : "transaction"},
                       {"statements", std::move(statements)}});
  }
  *out = std::move(records);
  return Status::Ok();
}

nlohmann::json ReloadJson(const ReloadOutcome& outcome) {
  nlohmann::json changes = nlohmann::json::array();
  for (const ReloadChange& change : outcome.changes) {
    changes.push_back({{"key", change.key},
                       {"old", change.old_value},
                       {"new", change.new_value},
                       {"change", KeyChangeName(change.change)},
                       {"applied", change.applied},
                       {"restart_needed", change.change == KeyChange::kRestart},
                       {"note", change.note}});
  }
  nlohmann::json out{{"ok", outcome.ok}, {"changes", std::move(changes)}, {"at_micros", outcome.at_micros}};
  if (!outcome.ok) out["error"] = outcome.error;
  return out;
}

nlohmann::json ConfigJson(const ConfigReloader& reloader) {
  nlohmann::json keys = nlohmann::json::array();
  for (const KeySetting& setting : reloader.Current()) {
    keys.push_back({{"key", setting.name},
                    {"value", setting.Shown()},
                    {"source", setting.source},
                    {"change", KeyChangeName(setting.change)}});
  }
  const ReloadOutcome last = reloader.Last();
  return nlohmann::json{{"keys", std::move(keys)},
                        {"last_reload", last.at_micros == 0 ? nlohmann::json(nullptr) : ReloadJson(last)}};
}

void AddMasterRoutes(HttpServer& server, const MasterHttpContext& context) {
  server.Route("GET", "/health", RouteAccess::kPublic, RouteWork::kQuick,
               [&context](const HttpRequest& request) { return MasterHealth(context, request); });
  server.Route("GET", "/metrics", RouteAccess::kPublic, RouteWork::kQuick, [&context](const HttpRequest&) {
    return HttpResponse::Text(
        200,
        MasterMetrics(context.recent, context.registry, context.endpoint_reads, NowMicros(), context.verify),
        MetricsText::kContentType);
  });
  server.Route("GET", "/api/status", RouteAccess::kToken, RouteWork::kQuick, [&context](const HttpRequest&) {
    return HttpResponse::Json(200, MasterStatusJson(context, NowMicros()));
  });
  server.Route("POST", "/api/query", RouteAccess::kToken, RouteWork::kBlocking,
               [&context](const HttpRequest& request) { return QueryEndpoint(context, request); });
  server.Route("GET", "/api/log", RouteAccess::kToken, RouteWork::kBlocking,
               [&context](const HttpRequest& request) { return LogEndpoint(context, request); });
  if (context.reloader == nullptr) return;
  // A reload reads the file and may wait for the registry: not on the io thread.
  server.Route("POST", "/api/reload", RouteAccess::kToken, RouteWork::kBlocking,
               [&context](const HttpRequest&) {
                 const ReloadOutcome outcome = context.reloader->Reload();
                 return HttpResponse::Json(outcome.ok ? 200 : 400, ReloadJson(outcome));
               });
  server.Route("GET", "/api/config", RouteAccess::kToken, RouteWork::kQuick, [&context](const HttpRequest&) {
    return HttpResponse::Json(200, ConfigJson(*context.reloader));
  });
}

}  // namespace ddb
