// SyncReplication: `sync_slaves = N`, ddb's semi-synchronous replication.
//
// After a session commits record #S, it waits until N slaves have durably
// applied S (their acks) before the write returns. A wait that outlasts
// `sync_timeout_ms` returns with a warning and switches the master to
// degraded (asynchronous) mode: writes stop waiting, as MariaDB's
// semi-synchronous master does after rpl_semi_sync_master_timeout, until N
// slaves have caught up again (acknowledged everything before the write at
// hand); then writes wait once more.
//
// Thread-safe: every session calls AwaitSlaves; the console changes N.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/spdlog.h>

#include "slave_registry.h"

namespace ddb {

struct SyncSettings {
  int slaves = 0;  // 0: asynchronous, writes never wait
  std::chrono::milliseconds timeout{10000};
};

struct SyncState {
  SyncSettings settings;
  bool degraded = false;
  int64_t degraded_since_micros = 0;
  uint64_t degraded_at_seq = 0;  // the write whose wait timed out
};

class SyncReplication {
 public:
  // `registry` must outlive this object.
  SyncReplication(const SlaveRegistry& registry, SyncSettings settings,
                  std::shared_ptr<spdlog::logger> logger);

  // Called once record `seq` is committed. Returns a warning for the user
  // when the write did not get its acknowledgements (empty otherwise).
  std::string AwaitSlaves(uint64_t seq);

  // `\sync_slaves N`. Leaves degraded mode: the next write waits again.
  Status SetRequired(int slaves);
  // sync_timeout_ms on reload: for the writes that start waiting after it.
  void SetTimeout(std::chrono::milliseconds timeout);

  SyncState State() const;
  // One line for \status, e.g. "2 slaves, timeout 10000 ms (degraded: ...)".
  std::string Describe() const;

 private:
  const SlaveRegistry& registry_;
  std::shared_ptr<spdlog::logger> logger_;
  mutable std::mutex mutex_;
  SyncState state_;
};

}  // namespace ddb
