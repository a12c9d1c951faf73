// The master's Prometheus /metrics page: log position, per slave its state,
// position, lag, records shipped and link counts, and per node the reads it
// answered for the MySQL endpoint.
#pragma once

#include <cstdint>
#include <string>

#include "ddb/daemon/metrics.h"
#include "endpoint_reads.h"
#include "recent_records.h"
#include "slave_registry.h"

namespace ddb {

// `endpoint_reads` may be null (no MySQL endpoint).
std::string MasterMetrics(const RecentRecords& recent, const SlaveRegistry& registry,
                          const EndpointReads* endpoint_reads, int64_t now_micros);

}  // namespace ddb
