// How far behind a slave is, in seconds: the age of the oldest record it has
// not applied (MySQL's Seconds_Behind_Master, measured on the master).
#pragma once

#include <cstdint>
#include <optional>

#include "recent_records.h"
#include "slave_registry.h"

namespace ddb {

// nullopt while unknown (the slave never reported a position).
std::optional<double> SlaveLagSeconds(const SlaveStatus& slave, const RecentRecords& recent,
                                      int64_t now_micros);

}  // namespace ddb
