#include "master_metrics.h"

#include "slave_lag.h"

namespace ddb {
namespace {

void VerifyMetrics(const VerifyResults& verify, MetricsText* metrics) {
  metrics->Gauge("ddb_verify_chunks_differing",
                 "Chunks that differed on a slave when their table was last checked",
                 static_cast<double>(verify.ChunksDiffering()));
  size_t tables[3] = {0, 0, 0};
  for (const TableResult& table : verify.Tables()) ++tables[static_cast<int>(table.state)];
  for (TableState state : {TableState::kEqual, TableState::kDiffers, TableState::kUnknown}) {
    metrics->Gauge("ddb_verify_tables", "Tables by the result of their last check",
                   static_cast<double>(tables[static_cast<int>(state)]), {{"state", TableStateName(state)}});
  }
  const PassProgress progress = verify.Progress();
  metrics->Counter("ddb_verify_passes_total", "Continuous verification passes completed",
                   static_cast<double>(progress.passes_completed));
  metrics->Counter("ddb_verify_busy_seconds_total",
                   "Time continuous verification spent reading chunks (its pauses keep this within "
                   "verify_busy_percent)",
                   progress.busy_seconds);
  metrics->Gauge("ddb_verify_last_pass_completed_seconds",
                 "Unix time the last continuous verification pass ended (0: none yet)",
                 static_cast<double>(progress.last_pass_completed_micros) / 1e6);
}

}  // namespace

std::string MasterMetrics(const RecentRecords& recent, const SlaveRegistry& registry,
                          const EndpointReads* endpoint_reads, int64_t now_micros,
                          const VerifyResults* verify) {
  MetricsText metrics;
  metrics.Gauge("ddb_master_last_seq", "Sequence number of the newest committed log record",
                static_cast<double>(recent.last_seq()));
  const auto slaves = registry.Snapshot();
  int connected = 0;
  for (const SlaveStatus& slave : slaves) {
    const MetricLabels labels{{"slave", slave.name}};
    const bool up = slave.state == SlaveState::kOnline || slave.state == SlaveState::kCatchingUp ||
                    slave.state == SlaveState::kError;
    connected += up ? 1 : 0;
    metrics.Gauge("ddb_master_slave_up", "1 while the slave's replication link is connected", up ? 1 : 0,
                  labels);
    metrics.Gauge("ddb_master_slave_online", "1 while the slave is fed live and its applier runs",
                  slave.state == SlaveState::kOnline ? 1 : 0, labels);
    if (slave.acked_known) {
      metrics.Gauge("ddb_master_slave_acked_seq", "Newest record the slave applied durably",
                    static_cast<double>(slave.acked_seq), labels);
      metrics.Gauge(
          "ddb_master_slave_lag_records", "Records committed on the master that the slave has not applied",
          static_cast<double>(recent.last_seq() > slave.acked_seq ? recent.last_seq() - slave.acked_seq : 0),
          labels);
    }
    if (const auto lag = SlaveLagSeconds(slave, recent, now_micros)) {
      metrics.Gauge("ddb_master_slave_lag_seconds", "Age of the oldest record the slave has not applied",
                    *lag, labels);
    }
    metrics.Counter("ddb_master_slave_records_sent_total", "Records written to the slave's links",
                    static_cast<double>(slave.records_sent), labels);
    metrics.Counter("ddb_master_slave_connects_total", "Replication links the slave opened (authenticated)",
                    static_cast<double>(slave.connects), labels);
    metrics.Counter("ddb_master_slave_disconnects_total", "Replication links that ended",
                    static_cast<double>(slave.disconnects), labels);
    metrics.Gauge("ddb_master_slave_applier_error",
                  "1 while the slave's applier is stopped on a record or waiting",
                  slave.applier_problem.empty() ? 0 : 1, labels);
  }
  metrics.Gauge("ddb_master_slaves_configured", "Slaves in the master's config",
                static_cast<double>(slaves.size()));
  metrics.Gauge("ddb_master_slaves_connected", "Slaves with a replication link now", connected);
  if (endpoint_reads != nullptr) {
    for (const EndpointReads::NodeReads& node : endpoint_reads->Snapshot()) {
      metrics.Counter("ddb_endpoint_reads_total", "Reads of the MySQL endpoint the node answered",
                      static_cast<double>(node.reads),
                      {{"node", node.node}, {"role", node.is_master ? "master" : "slave"}});
    }
    metrics.Counter(
        "ddb_endpoint_read_fallbacks_total",
        "Endpoint reads a slave could have answered that the master answered (no slave up to date, "
        "or the slave failed)",
        static_cast<double>(endpoint_reads->fallbacks()));
  }
  if (verify != nullptr) VerifyMetrics(*verify, &metrics);
  return metrics.Render();
}

}  // namespace ddb
