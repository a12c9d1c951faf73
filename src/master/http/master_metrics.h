// The master's Prometheus /metrics page: log position, per slave its state,
// position, lag, records shipped and link counts, per node the reads it
// answered for the MySQL endpoint, and the consistency checks' last results.
#pragma once

#include <cstdint>
#include <string>

#include "ddb/daemon/metrics.h"
#include "endpoint_reads.h"
#include "recent_records.h"
#include "slave_registry.h"
#include "verify_results.h"

namespace ddb {

// `endpoint_reads` may be null (no MySQL endpoint); `verify` may be null (no
// verification metrics).
std::string MasterMetrics(const RecentRecords& recent, const SlaveRegistry& registry,
                          const EndpointReads* endpoint_reads, int64_t now_micros,
                          const VerifyResults* verify = nullptr);

}  // namespace ddb
