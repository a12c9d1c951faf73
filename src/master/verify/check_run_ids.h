// CheckRunIds: the run id of each consistency check on this master.
//
// A run's chunks are stored under (run_id, chunk) on every node, each
// written with REPLACE, so two runs given one id would overwrite each
// other's sums and compare the wrong rows. Ids are the start time in
// microseconds, made unique two ways: within the process, two checks
// starting in the same microsecond (the console's \verify beside the
// continuous walker) get consecutive ids; across processes, an id is always
// above the newest one stored, so a master whose clock is behind its
// predecessor's (after a failover) never reuses one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <mutex>

namespace ddb {

class CheckRunIds {
 public:
  // A fresh id at least `now_micros`, above `newest_stored` (the largest
  // run_id in ddb_meta.checksums) and above every id given before.
  uint64_t Next(uint64_t now_micros, uint64_t newest_stored) {
    std::lock_guard<std::mutex> lock(mutex_);
    last_ = std::max({now_micros, newest_stored + 1, last_ + 1});
    return last_;
  }

 private:
  std::mutex mutex_;
  uint64_t last_ = 0;
};

}  // namespace ddb
