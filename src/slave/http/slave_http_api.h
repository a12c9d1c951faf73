// The slave's HTTP endpoints: /health (for load balancers: 200 only when
// applying and within max_lag_seconds of the master, linked to it or, for
// reads_without_master_seconds, of what it last heard from it), /api/status
// and /metrics. None of them reads table data or changes anything, so none
// needs a token (docs/api.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "ddb/daemon/http_server.h"
#include "slave_status.h"

namespace ddb {

// The slave config's bounds on what /health calls healthy.
struct SlaveHealthLimits {
  double max_lag_seconds = 5.0;
  // While the link to the master is down (not refused), a slave that applied
  // everything it received stays healthy this long after it last heard from
  // the master, so reads survive a master loss. 0: unhealthy at once.
  double reads_without_master_seconds = 300;
};

struct SlaveHealth {
  bool healthy = false;
  bool master_reachable = false;  // the link is up
  // Why not; "ok"; or, healthy without the master, for how long and why.
  std::string reason;
};

SlaveHealth CheckSlaveHealth(const SlaveStatusSnapshot& status, const SlaveHealthLimits& limits,
                             int64_t now_micros);

nlohmann::json SlaveStatusJson(const std::string& name, const SlaveStatusSnapshot& status,
                               const SlaveHealthLimits& limits, int64_t now_micros);

std::string SlaveMetrics(const SlaveStatusSnapshot& status, const SlaveHealthLimits& limits,
                         int64_t now_micros);

struct SlaveHttpContext {
  std::string name;
  const SlaveStatusBoard& status;  // must outlive the server's Stop()
  // A config reload changes these while the server runs.
  std::atomic<double> max_lag_seconds;
  std::atomic<double> reads_without_master_seconds;
  // auto_failover is on and master_config set: this slave would promote
  // itself when a majority lost the master (/health says so to its peers).
  bool auto_failover = false;

  SlaveHealthLimits Limits() const { return {max_lag_seconds, reads_without_master_seconds}; }
};

void AddSlaveRoutes(HttpServer& server, const SlaveHttpContext& context);

}  // namespace ddb
