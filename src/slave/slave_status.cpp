#include "slave_status.h"

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

SlaveStatusSnapshot SlaveStatusBoard::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return status_;
}

void SlaveStatusBoard::SetLink(LinkState state, std::string detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.link = state;
  status_.link_detail = std::move(detail);
}

void SlaveStatusBoard::SetClusterId(std::string cluster_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.cluster_id = std::move(cluster_id);
}

void SlaveStatusBoard::SetReceived(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.received_seq = seq;
  if (seq > status_.master_last_seq) status_.master_last_seq = seq;
}

void SlaveStatusBoard::SetMasterLastSeq(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.master_last_seq = seq;
}

void SlaveStatusBoard::SetApplied(uint64_t seq, int64_t master_committed_at_micros, uint64_t records) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.applied_seq = seq;
  status_.applied_master_committed_at_micros = master_committed_at_micros;
  status_.records_applied += records;
  if (status_.applier != ApplierState::kError) status_.applier = ApplierState::kRunning;
}

void SlaveStatusBoard::SetApplier(ApplierState state, std::string mysql_error) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.applier = state;
  status_.mysql_error = std::move(mysql_error);
  if (state != ApplierState::kError) status_.apply_error = ApplyError();
}

void SlaveStatusBoard::SetApplyError(ApplyError error) {
  std::lock_guard<std::mutex> lock(mutex_);
  status_.applier = ApplierState::kError;
  status_.apply_error = std::move(error);
}

}  // namespace ddb
