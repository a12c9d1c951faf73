// SlaveStatus: what the slave's console and logs report about its link and
// applier. Written by the link (io thread) and the applier thread, read by
// the console. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "ddb/base/epochs.h"

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
  std::optional<EpochStart> epoch;  // the newest epoch this slave follows; none before its first master
  uint64_t applied_seq = 0;
  int64_t applied_master_committed_at_micros = 0;
  uint64_t received_seq = 0;
  uint64_t master_last_seq = 0;  // newest seq the master has reported
  // When the master was last heard from (link up, heartbeat or record); 0:
  // not since this daemon started. While the link is down, it says how old
  // master_last_seq is (/health serves reads for reads_without_master_seconds).
  int64_t master_heard_at_micros = 0;
  int64_t started_at_micros = 0;  // when this daemon's board was made (its start)
  // Since when the master's daemon, still linked, says its MySQL is gone
  // (auto_failover's watcher asks its /health); 0: not so. A master that
  // cannot write counts as silent from then on.
  int64_t master_unusable_since_micros = 0;
  ApplierState applier = ApplierState::kStarting;
  ApplyError apply_error;        // when applier == kError
  std::string mysql_error;       // when applier == kMySqlDown
  uint64_t records_applied = 0;  // since start
  // Master commit time of the oldest record received and not yet applied
  // (0: none pending); the lag in seconds is its age.
  int64_t oldest_pending_committed_at_micros = 0;
  uint64_t records_received = 0;  // since start
  uint64_t link_connects = 0;     // links to the master that authenticated
  uint64_t apply_errors = 0;      // records the applier stopped on
  // auto_failover's latest decision while the master is silent, with its
  // numbers (auto_failover.h); empty when off or while the master is heard.
  std::string failover_decision;
};

// Seconds this slave is behind the master: the age of the oldest record it
// has not applied; 0 when it has applied everything the master reported.
// nullopt when unknown (behind, but no commit time known yet).
std::optional<double> SlaveLagSeconds(const SlaveStatusSnapshot& status, int64_t now_micros);

// How long this slave has heard nothing from the master: since it last did,
// or since the daemon started when it never has, or since the master said
// its MySQL is gone if that is longer (automatic failover counts this,
// auto_failover.h).
int64_t MasterSilentMicros(const SlaveStatusSnapshot& status, int64_t now_micros);

const char* LinkStateName(LinkState state);
const char* ApplierStateName(ApplierState state);

class SlaveStatusBoard {
 public:
  SlaveStatusBoard();

  SlaveStatusSnapshot Snapshot() const;

  void SetLink(LinkState state, std::string detail);
  void SetClusterId(std::string cluster_id);
  void SetEpoch(std::optional<EpochStart> epoch);
  void SetReceived(uint64_t seq, int64_t master_committed_at_micros = 0);
  void SetMasterLastSeq(uint64_t seq);
  // The linked master's MySQL is gone (true) or answers again (false).
  void SetMasterUnusable(bool unusable);
  void SetApplied(uint64_t seq, int64_t master_committed_at_micros, uint64_t records);
  void SetApplier(ApplierState state, std::string mysql_error = "");
  void SetApplyError(ApplyError error);
  void SetFailoverDecision(std::string decision);

  // Blocks until the applier has applied `seq` (true) or `deadline` passed
  // (false). Woken by SetApplied, so a console waiting to read its own
  // write returns as soon as it can.
  bool WaitUntilApplied(uint64_t seq, std::chrono::steady_clock::time_point deadline) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable applied_;  // notified by SetApplied
  SlaveStatusSnapshot status_;
};

}  // namespace ddb
