// WakeSignal: how a coroutine of ddb's links waits for "something changed"
// (the outbox has a frame, the outbox has room, a record was published).
//
// A steady_timer set to the wait's timeout and cancelled by Notify. Boost
// 1.74, which Debian 12 ships (libboost-dev; libboost1.81-dev conflicts with
// mysql-connector), has no asio::experimental::channel, and a timer is the
// idiom the Asio examples use for it.
//
// A Notify with nobody waiting is remembered (`pending_`), so a wake-up that
// lands while the waiter is busy elsewhere is never lost; a waiter re-checks
// its own condition after every wake-up, so a stale one costs one loop.
//
// Threads: Notify and Wait on the executor the timer was made with (a
// strand); one waiter at a time.
#pragma once

#include <chrono>

#include "ddb/base/asio.h"

namespace ddb {

class WakeSignal {
 public:
  explicit WakeSignal(const asio::any_io_executor& executor) : timer_(executor) {}
  WakeSignal(const WakeSignal&) = delete;
  WakeSignal& operator=(const WakeSignal&) = delete;

  void Notify();

  // Waits for a Notify (one that came since the last Wait counts) or until
  // `timeout` passes; a timeout <= 0 waits for a Notify only. True if
  // notified.
  asio::awaitable<bool> Wait(std::chrono::milliseconds timeout);

 private:
  asio::steady_timer timer_;
  bool pending_ = false;
};

}  // namespace ddb
