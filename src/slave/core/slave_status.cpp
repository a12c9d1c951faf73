#include "slave_status.h"

#include <algorithm>

#include "ddb/base/clock.h"

namespace ddb {

const char* LinkStateName(LinkState state) {
  switch (state) {
    case LinkState::kConnecting: return "connecting";
    case LinkState::kConnected: return "connected";
    case LinkState::kRefused: return "refused";
  }
  return "unknown";
}

const char* ApplierStateName(ApplierState state) {
  switch (state) {
    case ApplierState::kStarting: return "starting";
    case ApplierState::kRunning: return "running";
    case ApplierState::kMySqlDown: return "waiting for MySQL";
    case ApplierState::kError: return "stopped on error";
  }
  return "unknown";
}

SlaveStatusBoard::SlaveStatusBoard() { status_.started_at_micros = NowMicros(); }

SlaveStatusSnapshot SlaveStatusBoard::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

std::optional<double> SlaveLagSeconds(const SlaveStatusSnapshot& status, int64_t now_micros) {
  if (status.applied_seq >= status.master_last_seq) return 0.0;
  int64_t since = status.oldest_pending_committed_at_micros;
  // Not received yet: the last applied record's commit time bounds the lag
  // from above.
  if (since == 0) since = status.applied_master_committed_at_micros;
  if (since == 0) return std::nullopt;
  return static_cast<double>(std::max<int64_t>(0, now_micros - since)) / 1e6;
}

int64_t MasterSilentMicros(const SlaveStatusSnapshot& status, int64_t now_micros) {
  int64_t since =
      status.master_heard_at_micros != 0 ? status.master_heard_at_micros : status.started_at_micros;
  if (status.master_unusable_since_micros != 0) since = std::min(since, status.master_unusable_since_micros);
  return std::max<int64_t>(0, now_micros - since);
}

void SlaveStatusBoard::SetMasterUnusable(bool unusable) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!unusable) {
    status_.master_unusable_since_micros = 0;
  } else if (status_.master_unusable_since_micros == 0) {
    status_.master_unusable_since_micros = NowMicros();
  }
}

void SlaveStatusBoard::SetLink(LinkState state, std::string detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state == LinkState::kConnected && status_.link != LinkState::kConnected) ++status_.link_connects;
  if (state == LinkState::kConnected) status_.master_heard_at_micros = NowMicros();
  status_.link = state;
  status_.link_detail = std::move(detail);
}

void SlaveStatusBoard::SetClusterId(std::string cluster_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.cluster_id = std::move(cluster_id);
}

void SlaveStatusBoard::SetEpoch(std::optional<EpochStart> epoch) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.epoch = std::move(epoch);
}

void SlaveStatusBoard::SetReceived(uint64_t seq, int64_t master_committed_at_micros) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (status_.received_seq <= status_.applied_seq || status_.oldest_pending_committed_at_micros == 0) {
    // Nothing was pending: this record is now the oldest one waiting.
    status_.oldest_pending_committed_at_micros = master_committed_at_micros;
  }
  ++status_.records_received;
  status_.master_heard_at_micros = NowMicros();
  status_.received_seq = seq;
  if (seq > status_.master_last_seq) status_.master_last_seq = seq;
}

void SlaveStatusBoard::SetMasterLastSeq(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.master_last_seq = seq;
  status_.master_heard_at_micros = NowMicros();  // a heartbeat
}

void SlaveStatusBoard::SetApplied(uint64_t seq, int64_t master_committed_at_micros, uint64_t records) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.applied_seq = seq;
  status_.applied_master_committed_at_micros = master_committed_at_micros;
  status_.records_applied += records;
  // Still pending after this batch: the next record committed no earlier
  // than this one, so its time bounds the lag from above.
  status_.oldest_pending_committed_at_micros = seq >= status_.received_seq ? 0 : master_committed_at_micros;
  if (status_.applier != ApplierState::kError) status_.applier = ApplierState::kRunning;
  applied_.notify_all();
}

bool SlaveStatusBoard::WaitUntilApplied(uint64_t seq, std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return applied_.wait_until(lock, deadline, [&] { return status_.applied_seq >= seq; });
}

void SlaveStatusBoard::SetApplier(ApplierState state, std::string mysql_error) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.applier = state;
  status_.mysql_error = std::move(mysql_error);
  if (state != ApplierState::kError) status_.apply_error = ApplyError();
}

void SlaveStatusBoard::SetApplyError(ApplyError error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (status_.applier != ApplierState::kError) ++status_.apply_errors;
  status_.applier = ApplierState::kError;
  status_.apply_error = std::move(error);
}

void SlaveStatusBoard::SetFailoverDecision(std::string decision) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.failover_decision = std::move(decision);
}

}  // namespace ddb
