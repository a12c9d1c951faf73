// Wall-clock time in the unit every ddb timestamp uses.
#pragma once

#include <chrono>
#include <cstdint>

namespace ddb {

// Microseconds since the Unix epoch (commit times, lag, heartbeats).
inline int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace ddb
