// Fencing: whether this master still takes writes.
//
// A master stops for good once it learns that another node started a newer
// epoch (a slave that follows the new master says so when it connects, or a
// peer's /health at start-up): from then on every commit and DDL is refused
// with an error naming the new master, so a former master that comes back
// cannot write records nobody else will ever have (DESIGN.md, "High
// availability"). Only a restart as a slave (ddb-slave --rejoin) lifts it.
//
// A planned switchover stops writes first, for a while: HoldForHandOver
// refuses them as fencing does, naming the slave taking over, until the
// switchover either completes (Learn, from that slave's new epoch) or is
// called off (ReleaseHandOver).
//
// Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "ddb/base/epochs.h"
#include "ddb/base/status.h"

namespace ddb {

class Fencing {
 public:
  // `on_fenced` (may be empty) runs once, on the thread that learned it.
  explicit Fencing(EpochHistory epochs, std::function<void()> on_fenced = nullptr)
      : epochs_(std::move(epochs)), on_fenced_(std::move(on_fenced)) {}

  // This master's history, as it was at start (a master never changes it).
  const EpochHistory& epochs() const { return epochs_; }

  // `peer` reports `known` as the newest epoch it knows. Fences this master
  // when that is newer than its own: a higher epoch, or the same epoch
  // started by another node (two promotions raced). True when fenced now.
  bool Learn(const EpochStart& known, const std::string& peer);

  // Why this master was replaced; nullopt while it was not.
  std::optional<std::string> reason() const;

  // Refuses writes while `to` takes over (see above); false when fenced
  // already or another hand-over holds them.
  bool HoldForHandOver(const std::string& to, const std::string& self);
  void ReleaseHandOver();

  // Why writes are refused now, fenced or holding; nullopt while it takes
  // them.
  std::optional<std::string> WritesRefused() const;

  // Ok, or MySQL error 1290 (HY000, as a read-only server answers a write)
  // with WritesRefused().
  Status CheckWritable() const;

 private:
  const EpochHistory epochs_;
  const std::function<void()> on_fenced_;
  mutable std::mutex mutex_;
  std::optional<std::string> reason_;     // guarded by mutex_
  std::optional<std::string> hand_over_;  // guarded by mutex_
};

}  // namespace ddb
