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

Status Fencing::CheckWritable() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (reason_) return Status::Refused(*reason_);
  return Status::Ok();
}

}  // namespace ddb
