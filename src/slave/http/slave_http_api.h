// The slave's HTTP endpoints: /health (for load balancers: 200 only when
// linked to the master, applying, and within max_lag_seconds), /api/status
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

struct SlaveHealth {
  bool healthy = false;
  std::string reason;  // why not, or "ok"
};

SlaveHealth CheckSlaveHealth(const SlaveStatusSnapshot& status, double max_lag_seconds, int64_t now_micros);

nlohmann::json SlaveStatusJson(const std::string& name, const SlaveStatusSnapshot& status,
                               double max_lag_seconds, int64_t now_micros);

std::string SlaveMetrics(const SlaveStatusSnapshot& status, double max_lag_seconds, int64_t now_micros);

struct SlaveHttpContext {
  std::string name;
  const SlaveStatusBoard& status;       // must outlive the server's Stop()
  std::atomic<double> max_lag_seconds;  // a config reload changes it while the server runs
};

void AddSlaveRoutes(HttpServer& server, const SlaveHttpContext& context);

}  // namespace ddb
