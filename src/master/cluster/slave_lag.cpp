#include "slave_lag.h"

#include <algorithm>

namespace ddb {

std::optional<double> SlaveLagSeconds(const SlaveStatus& slave, const RecentRecords& recent,
                                      int64_t now_micros) {
  if (!slave.acked_known) return std::nullopt;
  if (slave.acked_seq >= recent.last_seq()) return 0.0;
  std::optional<int64_t> oldest_unapplied = recent.CommittedAt(slave.acked_seq + 1);
  if (!oldest_unapplied) {
    // Out of the memory window: the last applied record's commit time bounds
    // the lag from above.
    if (slave.acked_committed_at_micros == 0) return std::nullopt;
    oldest_unapplied = slave.acked_committed_at_micros;
  }
  return static_cast<double>(std::max<int64_t>(0, now_micros - *oldest_unapplied)) / 1e6;
}

}  // namespace ddb
