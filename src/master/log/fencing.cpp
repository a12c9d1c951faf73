#include "fencing.h"

namespace ddb {

bool Fencing::Learn(const EpochStart& known, const std::string& peer) {
  const std::optional<EpochStart> own = epochs_.Current();
  if (!own || known.epoch == 0) return false;
  const bool newer = known.epoch > own->epoch || (known.epoch == own->epoch && known.node != own->node);
  if (!newer) return false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (reason_) return false;
    reason_ = "this node is no longer the master: " + peer + " follows " + EpochHistory::Describe(known) +
              ", newer than this master's " + EpochHistory::Describe(*own) + "; write to " + known.node +
              " (this node accepts no writes until it rejoins as a slave: ddb-slave --rejoin)";
  }
  if (on_fenced_) on_fenced_();
  return true;
}

std::optional<std::string> Fencing::reason() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reason_;
}

bool Fencing::HoldForHandOver(const std::string& to, const std::string& self) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (reason_ || hand_over_) return false;
  hand_over_ = "a switchover to " + to + " is under way: " + self + " takes no more writes; write to " + to +
               " once it is the master";
  return true;
}

void Fencing::ReleaseHandOver() {
  std::lock_guard<std::mutex> lock(mutex_);
  hand_over_.reset();
}

std::optional<std::string> Fencing::WritesRefused() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reason_ ? reason_ : hand_over_;
}

Status Fencing::CheckWritable() const {
  // ER_OPTION_PREVENTS_STATEMENT, what a read-only MariaDB answers a write:
  // drivers and proxies take it for "the master moved", and nothing of the
  // statement committed.
  if (std::optional<std::string> refused = WritesRefused()) return Status::MySql(1290, "HY000", *refused);
  return Status::Ok();
}

}  // namespace ddb
