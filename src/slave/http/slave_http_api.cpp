#include "slave_http_api.h"

#include <algorithm>
#include <cstdio>

#include "ddb/base/clock.h"
#include "ddb/daemon/health_role.h"
#include "ddb/daemon/metrics.h"

namespace ddb {

namespace {

std::string Formatted(const char* format, double a, double b = 0) {
  char text[160];
  std::snprintf(text, sizeof(text), format, a, b);
  return text;
}

std::string LinkDescription(const SlaveStatusSnapshot& status) {
  return std::string(LinkStateName(status.link)) +
         (status.link_detail.empty() ? "" : ": " + status.link_detail);
}

// Without the master, a slave knows how old its data may be only from when it
// last heard from it: never since it started, it cannot tell. A refused link
// (another cluster, a diverged position) gets no grace either: what this
// slave holds is in question, not just its age.
bool MayServeWithoutMaster(const SlaveStatusSnapshot& status, const SlaveHealthLimits& limits) {
  return status.link == LinkState::kConnecting && limits.reads_without_master_seconds > 0 &&
         status.master_heard_at_micros != 0;
}

}  // namespace

SlaveHealth CheckSlaveHealth(const SlaveStatusSnapshot& status, const SlaveHealthLimits& limits,
                             int64_t now_micros) {
  const bool linked = status.link == LinkState::kConnected;
  if (!linked && !MayServeWithoutMaster(status, limits)) {
    return {false, false, "not connected to the master (" + LinkDescription(status) + ")"};
  }
  if (status.applier == ApplierState::kError) {
    return {false, linked,
            "applier stopped on record #" + std::to_string(status.apply_error.seq) + ": " +
                status.apply_error.error};
  }
  if (status.applier == ApplierState::kMySqlDown)
    return {false, linked, "waiting for MySQL: " + status.mysql_error};
  const double silent =
      static_cast<double>(std::max<int64_t>(0, now_micros - status.master_heard_at_micros)) / 1e6;
  const std::string unreachable =
      Formatted("master unreachable for %.1f s", silent) + " (" + LinkDescription(status) + ")";
  if (!linked && silent > limits.reads_without_master_seconds) {
    return {false, false,
            unreachable + Formatted(", longer than reads_without_master_seconds %g",
                                    limits.reads_without_master_seconds)};
  }
  if (!linked && status.received_seq > status.applied_seq) {
    // Still applying what it received: it may be stuck, and no master
    // tells how far behind that leaves it.
    return {false, false,
            unreachable + ", records up to #" + std::to_string(status.received_seq) +
                " received but not applied yet"};
  }
  const std::optional<double> lag = SlaveLagSeconds(status, now_micros);
  if (!lag) return {false, linked, "catching up, lag not known yet"};
  if (*lag > limits.max_lag_seconds) {
    return {false, linked,
            Formatted("lag %.1f s exceeds max_lag_seconds %.1f", *lag, limits.max_lag_seconds)};
  }
  if (linked) return {true, true, "ok"};
  return {true, false,
          unreachable + Formatted("; serving what it last heard, for up to reads_without_master_seconds %g",
                                  limits.reads_without_master_seconds)};
}

nlohmann::json SlaveStatusJson(const std::string& name, const SlaveStatusSnapshot& status,
                               const SlaveHealthLimits& limits, int64_t now_micros) {
  const SlaveHealth health = CheckSlaveHealth(status, limits, now_micros);
  const std::optional<double> lag = SlaveLagSeconds(status, now_micros);
  nlohmann::json out{
      {"name", name},
      {"role", "slave"},
      {"link", LinkStateName(status.link)},
      {"link_detail", status.link_detail},
      {"cluster_id", status.cluster_id},
      {"epoch", EpochJson(status.epoch)},
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
      {"max_lag_seconds", limits.max_lag_seconds},
      {"master_reachable", health.master_reachable},
      {"master_heard_seconds_ago",
       status.master_heard_at_micros == 0
           ? nlohmann::json(nullptr)
           : nlohmann::json(static_cast<double>(now_micros - status.master_heard_at_micros) / 1e6)},
      {"reads_without_master_seconds", limits.reads_without_master_seconds},
  };
  // No statement text: this page needs no token, and a statement carries
  // table data. The slave's console (\status) shows it to whoever may read
  // the slave's MySQL anyway.
  if (status.applier == ApplierState::kError) {
    out["apply_error"] = {{"seq", status.apply_error.seq}, {"error", status.apply_error.error}};
  }
  if (!status.mysql_error.empty()) out["mysql_error"] = status.mysql_error;
  out["master_silent_ms"] = MasterSilentMicros(status, now_micros) / 1000;
  if (!status.failover_decision.empty()) out["failover_decision"] = status.failover_decision;
  return out;
}

std::string SlaveMetrics(const SlaveStatusSnapshot& status, const SlaveHealthLimits& limits,
                         int64_t now_micros) {
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
  if (status.master_heard_at_micros != 0) {
    metrics.Gauge("ddb_slave_master_silent_seconds",
                  "Seconds since the master was last heard from (link up, heartbeat or record)",
                  static_cast<double>(now_micros - status.master_heard_at_micros) / 1e6);
  }
  metrics.Gauge("ddb_slave_healthy", "1 when /health answers 200",
                CheckSlaveHealth(status, limits, now_micros).healthy ? 1 : 0);
  return metrics.Render();
}

void AddSlaveRoutes(HttpServer& server, const SlaveHttpContext& context) {
  // ?role=slave asks the same as plain /health; ?role=master is never this
  // node (HAProxy's write backend skips it).
  server.Route(
      "GET", "/health", RouteAccess::kPublic, RouteWork::kQuick, [&context](const HttpRequest& request) {
        const std::optional<HealthRole> role = RequestedHealthRole(request);
        if (!role) return BadHealthRole(request);
        if (*role == HealthRole::kMaster)
          return NotInRole(HealthRole::kMaster, HealthRole::kSlave, context.name);
        const SlaveStatusSnapshot status = context.status.Snapshot();
        const int64_t now = NowMicros();
        const SlaveHealth health = CheckSlaveHealth(status, context.Limits(), now);
        // The peers' automatic failover reads the last four
        // (auto_failover.h): who lost the master, how long ago,
        // how far each got, and who would take over.
        return HttpResponse::Json(health.healthy ? 200 : 503,
                                  nlohmann::json{{"status", health.healthy ? "ok" : "unavailable"},
                                                 {"role", "slave"},
                                                 {"reason", health.reason},
                                                 {"master_reachable", health.master_reachable},
                                                 {"name", context.name},
                                                 {"epoch", EpochJson(status.epoch)},
                                                 {"applied_seq", status.applied_seq},
                                                 {"received_seq", status.received_seq},
                                                 {"master_silent_ms", MasterSilentMicros(status, now) / 1000},
                                                 {"auto_failover", context.auto_failover}});
      });
  server.Route("GET", "/api/status", RouteAccess::kPublic, RouteWork::kQuick, [&context](const HttpRequest&) {
    return HttpResponse::Json(
        200, SlaveStatusJson(context.name, context.status.Snapshot(), context.Limits(), NowMicros()));
  });
  // The SQL API is the master's: a client that still sends here after the
  // role moved is told which node has it (421: the request reached a server
  // that cannot answer it).
  server.Route("POST", "/api/query", RouteAccess::kPublic, RouteWork::kQuick, [&context](const HttpRequest&) {
    const std::optional<EpochStart> epoch = context.status.Snapshot().epoch;
    const std::string master = epoch && epoch->node != context.name ? epoch->node : "";
    return HttpResponse::Json(
        421, nlohmann::json{{"error", "this node (" + context.name + ") is a slave, not the master: " +
                                          (master.empty() ? std::string("it has not found the master yet")
                                                          : "send SQL to " + master + "'s /api/query")},
                            {"master", master}});
  });
  server.Route("GET", "/metrics", RouteAccess::kPublic, RouteWork::kQuick, [&context](const HttpRequest&) {
    return HttpResponse::Text(200, SlaveMetrics(context.status.Snapshot(), context.Limits(), NowMicros()),
                              MetricsText::kContentType);
  });
}

}  // namespace ddb
