// The master's Prometheus /metrics page: log position, and per slave its
// state, position, lag, records shipped and link counts.
#pragma once

#include <cstdint>
#include <string>

#include "ddb/daemon/metrics.h"
#include "recent_records.h"
#include "slave_registry.h"

namespace ddb {

std::string MasterMetrics(const RecentRecords& recent, const SlaveRegistry& registry, int64_t now_micros);

}  // namespace ddb
