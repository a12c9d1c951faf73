#include "sync_replication.h"

#include "ddb/base/clock.h"

namespace ddb {

SyncReplication::SyncReplication(const SlaveRegistry& registry, SyncSettings settings,
                                 std::shared_ptr<spdlog::logger> logger)
    : registry_(registry), logger_(std::move(logger)) {
  state_.settings = settings;
}

std::string SyncReplication::AwaitSlaves(uint64_t seq) {
  SyncSettings settings;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    settings = state_.settings;
    if (settings.slaves <= 0) return "";
    if (state_.degraded) {
      // Back to synchronous only once N slaves hold everything before this
      // write: then waiting for this one costs an apply, not a catch-up.
      if (registry_.CountAcked(seq - 1) < settings.slaves) return "";
      state_.degraded = false;
      logger_->info("sync_slaves: {} slaves caught up at #{}; writes wait for them again", settings.slaves,
                    seq - 1);
    }
  }
  const int acked =
      registry_.WaitForAcks(seq, settings.slaves, std::chrono::steady_clock::now() + settings.timeout);
  if (acked >= settings.slaves) return "";

  std::lock_guard<std::mutex> lock(mutex_);
  if (state_.settings.slaves != settings.slaves) return "";  // changed while we waited
  if (!state_.degraded) {
    state_.degraded = true;
    state_.degraded_since_micros = NowMicros();
    state_.degraded_at_seq = seq;
    logger_->warn(
        "sync_slaves: only {} of {} slaves acknowledged #{} within {} ms; asynchronous until they catch up",
        acked, settings.slaves, seq, settings.timeout.count());
  }
  return "sync_slaves = " + std::to_string(settings.slaves) + ": only " + std::to_string(acked) +
         " slave(s) applied #" + std::to_string(seq) + " within " + std::to_string(settings.timeout.count()) +
         " ms; the write is committed on the master, and replication is asynchronous (degraded) until " +
         std::to_string(settings.slaves) + " slaves catch up";
}

Status SyncReplication::SetRequired(int slaves) {
  const int configured = registry_.Count();
  if (slaves < 0 || slaves > configured) {
    return Status::InvalidArgument("sync_slaves must be between 0 and the number of configured slaves (" +
                                   std::to_string(configured) + "), not " + std::to_string(slaves));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  state_.settings.slaves = slaves;
  state_.degraded = false;
  return Status::Ok();
}

void SyncReplication::SetTimeout(std::chrono::milliseconds timeout) {
  std::lock_guard<std::mutex> lock(mutex_);
  state_.settings.timeout = timeout;
}

SyncState SyncReplication::State() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_;
}

std::string SyncReplication::Describe() const {
  const SyncState state = State();
  if (state.settings.slaves <= 0) return "off (asynchronous)";
  std::string text = "wait for " + std::to_string(state.settings.slaves) + " slave(s), timeout " +
                     std::to_string(state.settings.timeout.count()) + " ms";
  if (state.degraded) {
    text += "; DEGRADED (asynchronous) since #" + std::to_string(state.degraded_at_seq) + ", " +
            std::to_string((NowMicros() - state.degraded_since_micros) / 1000000) + " s ago";
  }
  return text;
}

}  // namespace ddb
