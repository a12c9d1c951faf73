#include "slave_http_api.h"

#include <cstdio>

#include "ddb/base/clock.h"
#include "ddb/daemon/metrics.h"

namespace ddb {

SlaveHealth CheckSlaveHealth(const SlaveStatusSnapshot& status, double max_lag_seconds, int64_t now_micros) {
  if (status.link != LinkState::kConnected) {
    return {false, std::string("not connected to the master (") + LinkStateName(status.link) +
                       (status.link_detail.empty() ? "" : ": " + status.link_detail) + ")"};
  }
  if (status.applier == ApplierState::kError) {
    return {false, "applier stopped on record #" + std::to_string(status.apply_error.seq) + ": " +
                       status.apply_error.error};
  }
  if (status.applier == ApplierState::kMySqlDown) return {false, "waiting for MySQL: " + status.mysql_error};
  const std::optional<double> lag = SlaveLagSeconds(status, now_micros);
  if (!lag) return {false, "catching up, lag not known yet"};
  if (*lag > max_lag_seconds) {
    char text[128];
    std::snprintf(text, sizeof(text), "lag %.1f s exceeds max_lag_seconds %.1f", *lag, max_lag_seconds);
    return {false, text};
  }
  return {true, "ok"};
}

nlohmann::json SlaveStatusJson(const std::string& name, const SlaveStatusSnapshot& status,
                               double max_lag_seconds, int64_t now_micros) {
  const SlaveHealth health = CheckSlaveHealth(status, max_lag_seconds, now_micros);
  const std::optional<double> lag = SlaveLagSeconds(status, now_micros);
  nlohmann::json out{
      {"name", name},
      {"role", "slave"},
      {"link", LinkStateName(status.link)},
      {"link_detail", status.link_detail},
      {"cluster_id", status.cluster_id},
      {"applied_seq", status.applied_seq},
      {"received_seq", status.received_seq},
      {"master_last_seq", status.master_last_seq},
      {"queue_records",
       status.received_seq > status.applied_seq ? status.received_seq - status.applied_seq : 0},
      {"lag_records",
       status.master_last_seq > status.applied_seq ? status.master_last_seq - status.applied_seq : 0},
      {"lag_seconds", lag ? nlohmann::json(*lag) : nlohmann::json(nullptr)},
      {"applier", ApplierStateName(status.applier)},
      {"records_applied", status.records_applied},
      {"records_received", status.records_received},
      {"healthy", health.healthy},
      {"health", health.reason},
      {"max_lag_seconds", max_lag_seconds},
  };
  // No statement text: this page needs no token, and a statement carries
  // table data. The slave's console (\status) shows it to whoever may read
  // the slave's MySQL anyway.
  if (status.applier == ApplierState::kError) {
    out["apply_error"] = {{"seq", status.apply_error.seq}, {"error", status.apply_error.error}};
  }
  if (!status.mysql_error.empty()) out["mysql_error"] = status.mysql_error;
  return out;
}

std::string SlaveMetrics(const SlaveStatusSnapshot& status, double max_lag_seconds, int64_t now_micros) {
  MetricsText metrics;
  const auto seq = [](uint64_t value) { return static_cast<double>(value); };
  metrics.Gauge("ddb_slave_applied_seq", "Newest record applied and committed here", seq(status.applied_seq));
  metrics.Gauge("ddb_slave_received_seq", "Newest record received from the master", seq(status.received_seq));
  metrics.Gauge("ddb_slave_master_last_seq", "Newest record the master has reported",
                seq(status.master_last_seq));
  metrics.Gauge(
      "ddb_slave_lag_records", "Records the master committed that this slave has not applied",
      seq(status.master_last_seq > status.applied_seq ? status.master_last_seq - status.applied_seq : 0));
  if (const auto lag = SlaveLagSeconds(status, now_micros)) {
    metrics.Gauge("ddb_slave_lag_seconds", "Age of the oldest record not applied here", *lag);
  }
  metrics.Gauge("ddb_slave_queue_records", "Records received and waiting for the applier",
                seq(status.received_seq > status.applied_seq ? status.received_seq - status.applied_seq : 0));
  metrics.Counter("ddb_slave_records_applied_total", "Records applied since this daemon started",
                  seq(status.records_applied));
  metrics.Counter("ddb_slave_records_received_total", "Records received since this daemon started",
                  seq(status.records_received));
  metrics.Counter("ddb_slave_link_connects_total", "Links to the master that authenticated",
                  seq(status.link_connects));
  metrics.Counter("ddb_slave_apply_errors_total", "Records the applier stopped on", seq(status.apply_errors));
  metrics.Gauge("ddb_slave_link_up", "1 while linked to the master",
                status.link == LinkState::kConnected ? 1 : 0);
  metrics.Gauge("ddb_slave_applier_running", "1 while the applier runs (not stopped on an error or waiting)",
                status.applier == ApplierState::kRunning ? 1 : 0);
  metrics.Gauge("ddb_slave_healthy", "1 when /health answers 200",
                CheckSlaveHealth(status, max_lag_seconds, now_micros).healthy ? 1 : 0);
  return metrics.Render();
}

void AddSlaveRoutes(HttpServer& server, const SlaveHttpContext& context) {
  server.Route("GET", "/health", RouteAccess::kPublic, RouteWork::kQuick, [&context](const HttpRequest&) {
    const SlaveHealth health =
        CheckSlaveHealth(context.status.Snapshot(), context.max_lag_seconds, NowMicros());
    return HttpResponse::Json(health.healthy ? 200 : 503,
                              nlohmann::json{{"status", health.healthy ? "ok" : "unavailable"},
                                             {"reason", health.reason},
                                             {"name", context.name}});
  });
  server.Route("GET", "/api/status", RouteAccess::kPublic, RouteWork::kQuick, [&context](const HttpRequest&) {
    return HttpResponse::Json(
        200, SlaveStatusJson(context.name, context.status.Snapshot(), context.max_lag_seconds, NowMicros()));
  });
  server.Route("GET", "/metrics", RouteAccess::kPublic, RouteWork::kQuick, [&context](const HttpRequest&) {
    return HttpResponse::Text(200,
                              SlaveMetrics(context.status.Snapshot(), context.max_lag_seconds, NowMicros()),
                              MetricsText::kContentType);
  });
}

}  // namespace ddb
