// The master's Prometheus /metrics page: log position, and per slave its
// state, position, lag, records shipped and link counts; the consistency
// checks' last results.
#pragma once

#include <cstdint>
#include <string>

#include "ddb/daemon/metrics.h"
#include "recent_records.h"
#include "slave_registry.h"
#include "verify_results.h"

namespace ddb {

// `verify` may be null: no verification metrics.
std::string MasterMetrics(const RecentRecords& recent, const SlaveRegistry& registry, int64_t now_micros,
                          const VerifyResults* verify = nullptr);

}  // namespace ddb
