#include "ddl_gate.h"

namespace ddb {

DdlGate::DdlGate(std::chrono::milliseconds max_closed) : max_closed_(max_closed) {}

bool DdlGate::OpenLocked(std::chrono::steady_clock::time_point now) const {
  if (closers_ == 0) return true;
  // Shut for max_closed_, open for max_closed_, and so on.
  const auto phase = (now - closed_at_) % (2 * max_closed_);
  return phase >= max_closed_;
}

void DdlGate::AwaitTurn() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!OpenLocked(std::chrono::steady_clock::now())) {
    const auto phase = (std::chrono::steady_clock::now() - closed_at_) % (2 * max_closed_);
    opened_.wait_for(lock, max_closed_ - phase);
  }
}

DdlGate::Closed::Closed(DdlGate& gate) : gate_(gate) {
  std::lock_guard<std::mutex> lock(gate_.mutex_);
  if (gate_.closers_++ == 0) gate_.closed_at_ = std::chrono::steady_clock::now();
}

DdlGate::Closed::~Closed() {
  {
    std::lock_guard<std::mutex> lock(gate_.mutex_);
    --gate_.closers_;
  }
  gate_.opened_.notify_all();
}

}  // namespace ddb
