// ReadRouter: sends a session's reads to the slaves, round robin, without
// ever returning data older than the session's own last write.
//
// A slave qualifies when it is online, within max_lag_seconds, and has
// applied the session's last write (read-your-writes); if none does but one
// is only short of that write, the router waits up to read_your_writes_wait
// for it to catch up, then gives up and the caller reads from the master
// (at once when no slave is online and within max_lag_seconds at all). A slave that fails a read (link
// error, timeout) is benched for a few seconds and the read is tried
// elsewhere, so the user sees one answer, never an internal error.
//
// Thread-safe; blocking (called on a session's thread).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ddb/base/log_record.h"
#include "ddb/mysql/mysql_connection.h"
#include "recent_records.h"
#include "slave_registry.h"

namespace ddb {

struct ReadRouting {
  bool from_slaves = true;  // read_from = slaves | master
  double max_lag_seconds = 5.0;
  std::chrono::milliseconds read_your_writes_wait{500};
  std::chrono::milliseconds read_timeout{5000};  // one routed read, before trying elsewhere
};

class ReadRouter {
 public:
  // `registry` and `recent` must outlive the router.
  ReadRouter(const SlaveRegistry& registry, const RecentRecords& recent, ReadRouting routing);

  // Runs the read on a qualifying slave. Returns false when no slave could
  // answer: the caller reads from the master. A MySQL error from a slave is
  // also "false": the master, the authority, gives the answer.
  bool TryRead(const QueryRequest& request, uint64_t min_seq, QueryResult* result, std::string* answered_by);

  void set_from_slaves(bool from_slaves) { from_slaves_ = from_slaves; }
  bool from_slaves() const { return from_slaves_; }
  // Config reload: max_lag_seconds and read_your_writes_wait_ms.
  void SetLimits(double max_lag_seconds, std::chrono::milliseconds read_your_writes_wait);

 private:
  // The slaves that may answer now. `may_catch_up`: another is online and
  // within max_lag_seconds, only short of `min_seq` (worth waiting for).
  std::vector<std::string> Candidates(uint64_t min_seq, bool* may_catch_up);

  const SlaveRegistry& registry_;
  const RecentRecords& recent_;
  const std::chrono::milliseconds read_timeout_;
  // Live settings (config reload), read by every routed read without a lock.
  std::atomic<bool> from_slaves_;
  std::atomic<double> max_lag_seconds_;
  std::atomic<int64_t> read_your_writes_wait_ms_;
  std::atomic<size_t> next_{0};
  std::mutex benched_mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> benched_until_;
};

}  // namespace ddb
