// SlaveStatus: what the slave's console and logs report about its link and
// applier. Written by the link (io thread) and the applier thread, read by
// the console. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace ddb {

enum class LinkState { kConnecting, kConnected, kRefused };
enum class ApplierState { kStarting, kRunning, kMySqlDown, kError };

struct ApplyError {
  uint64_t seq = 0;
  std::string statement;
  std::string error;
};

struct SlaveStatusSnapshot {
  LinkState link = LinkState::kConnecting;
  std::string link_detail;  // master address, or why the last attempt failed
  std::string cluster_id;
  uint64_t applied_seq = 0;
  int64_t applied_master_committed_at_micros = 0;
  uint64_t received_seq = 0;
  uint64_t master_last_seq = 0;  // newest seq the master has reported
  ApplierState applier = ApplierState::kStarting;
  ApplyError apply_error;    // when applier == kError
  std::string mysql_error;   // when applier == kMySqlDown
  uint64_t records_applied = 0;  // since start
};

const char* LinkStateName(LinkState state);
const char* ApplierStateName(ApplierState state);

class SlaveStatusBoard {
 public:
  SlaveStatusSnapshot Snapshot() const;

  void SetLink(LinkState state, std::string detail);
  void SetClusterId(std::string cluster_id);
  void SetReceived(uint64_t seq);
  void SetMasterLastSeq(uint64_t seq);
  void SetApplied(uint64_t seq, int64_t master_committed_at_micros, uint64_t records);
  void SetApplier(ApplierState state, std::string mysql_error = "");
  void SetApplyError(ApplyError error);

 private:
  mutable std::mutex mutex_;
  SlaveStatusSnapshot status_;
};

}  // namespace ddb
