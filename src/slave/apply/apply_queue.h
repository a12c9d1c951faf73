// ApplyQueue: records received from the master, waiting for the applier.
//
// Bounded: when it is full the link stops reading the socket, TCP pushes back
// on the master, and memory stays flat however far behind the slave is.
// Thread-safe: the link pushes on the io thread, the applier pops on its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "ddb/base/log_record.h"

namespace ddb {

class ApplyQueue {
 public:
  explicit ApplyQueue(size_t capacity);

  // False when full, leaving `record` untouched for the retry; the caller
  // waits for the space listener and tries again. Moves from it on success.
  bool TryPush(LogRecord& record);

  // Waits up to `wait` for records, then pops a run to apply together: up to
  // `max` consecutive transaction records, or one DDL record alone (a DDL
  // commits implicitly and cannot share a transaction).
  bool PopBatch(size_t max, std::chrono::milliseconds wait, std::vector<LogRecord>* out);

  // Called (outside the lock) after records are popped.
  void SetSpaceListener(std::function<void()> listener);

  // Wakes a waiting PopBatch for shutdown.
  void Close();

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::deque<LogRecord> records_;
  std::function<void()> space_listener_;
  bool closed_ = false;
};

}  // namespace ddb
