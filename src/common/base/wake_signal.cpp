#include "ddb/base/wake_signal.h"

namespace ddb {

void WakeSignal::Notify() {
  pending_ = true;
  timer_.cancel();
}

asio::awaitable<bool> WakeSignal::Wait(std::chrono::milliseconds timeout) {
  if (!pending_) {
    if (timeout.count() > 0) {
      timer_.expires_after(timeout);
    } else {
      timer_.expires_at(asio::steady_timer::time_point::max());
    }
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  // Read after the wait, not from `ec`: a Notify that lands when the timer
  // has already expired (its handler queued) cancels nothing but still counts.
  const bool notified = pending_;
  pending_ = false;
  co_return notified;
}

}  // namespace ddb
