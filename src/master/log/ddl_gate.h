// DdlGate: gives a DDL that waits for metadata locks its turn.
//
// A DDL takes its metadata locks without waiting (it holds the DDL barrier
// meanwhile, see replication_log.h) and retries while another session's
// open transaction holds them. Under steady writes some transaction on the
// table is always open, so the retries alone could starve. MariaDB itself
// queues new statements on the table behind a waiting DDL; ddb cannot see
// which tables a statement will lock, so while a DDL waits the gate holds
// back every session that is about to *start* a transaction. Transactions
// already open go on and commit, their locks go, and the DDL's next try
// gets through. Sessions inside a transaction are never held (they may hold
// the very locks the DDL waits for).
//
// A transaction left open for long would hold the gate shut for as long:
// so it is shut for at most `max_closed` at a time, then open as long,
// alternately, until the DDL has run or given up.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace ddb {

class DdlGate {
 public:
  explicit DdlGate(std::chrono::milliseconds max_closed = std::chrono::milliseconds(1000));

  // Before a session starts a transaction: returns at once unless a DDL
  // waits for its locks.
  void AwaitTurn();

  // Shuts the gate while it lives; any thread, several at once.
  class Closed {
   public:
    explicit Closed(DdlGate& gate);
    ~Closed();
    Closed(const Closed&) = delete;
    Closed& operator=(const Closed&) = delete;

   private:
    DdlGate& gate_;
  };

 private:
  // Whether sessions may start transactions now. Caller holds mutex_.
  bool OpenLocked(std::chrono::steady_clock::time_point now) const;

  const std::chrono::milliseconds max_closed_;
  std::mutex mutex_;
  std::condition_variable opened_;
  int closers_ = 0;                                  // guarded by mutex_
  std::chrono::steady_clock::time_point closed_at_;  // guarded by mutex_
};

}  // namespace ddb
