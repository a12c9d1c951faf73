// Replication lag per write, at a steady write rate.
//
// Method: the writes are INSERTs of id 1, 2, 3... into bench.lag, typed at
// the setup's console at a fixed rate. While they are typed, one observer
// thread polls `SELECT MAX(id)` on the primary and on every replica over open
// connections, about every millisecond, and notes for each id when it was
// first visible on the primary and on each replica (one steady clock, one
// process). A write's lag on a replica is (first seen on the replica) −
// (first seen on the primary): the time from the master's commit becoming
// visible to the replica's copy becoming visible, which is what a reader of
// the replica experiences. Both instants carry the same polling error (one
// poll loop, at most a few ms), so the difference is unbiased to within it.
// Writes are autocommit and in id order on every node, so MAX(id) moving past
// an id means that id is visible.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "setup.h"

namespace ddb::bench {

struct LagResult {
  std::vector<double> samples_ms;  // one per (write, replica)
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Types `statements` (LagWrites(count)) at `per_second` into the setup's
// console and measures as above. Every replica must be running.
LagResult MeasureLag(Setup& setup, const std::vector<std::string>& statements, double per_second,
                     std::chrono::milliseconds deadline);

// Nearest-rank percentile (p in [0, 100]) of unsorted values; 0 if empty.
double Percentile(std::vector<double> values, double p);

}  // namespace ddb::bench
