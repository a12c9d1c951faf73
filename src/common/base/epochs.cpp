#include "ddb/base/epochs.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace ddb {

nlohmann::json EpochJson(const std::optional<EpochStart>& start) {
  if (!start) return nlohmann::json{{"epoch", 0}, {"first_seq", 0}, {"node", ""}};
  return nlohmann::json{{"epoch", start->epoch}, {"first_seq", start->first_seq}, {"node", start->node}};
}

EpochStart EpochFromJson(const nlohmann::json& json) {
  EpochStart start;
  if (!json.is_object()) return start;
  if (json.contains("epoch") && json["epoch"].is_number_unsigned())
    start.epoch = json["epoch"].get<uint32_t>();
  if (json.contains("first_seq") && json["first_seq"].is_number_unsigned())
    start.first_seq = json["first_seq"].get<uint64_t>();
  if (json.contains("node") && json["node"].is_string()) start.node = json["node"].get<std::string>();
  return start;
}

Status EpochHistory::Validate() const {
  for (size_t i = 0; i < starts_.size(); ++i) {
    const EpochStart& start = starts_[i];
    if (start.epoch != i + 1) {
      return Status::Corruption("epoch history: entry " + std::to_string(i + 1) + " is epoch " +
                                std::to_string(start.epoch) + " (epochs count up from 1)");
    }
    if (start.first_seq == 0)
      return Status::Corruption("epoch history: epoch " + std::to_string(start.epoch) +
                                " starts at #0 (records count from #1)");
    if (i > 0 && start.first_seq < starts_[i - 1].first_seq) {
      return Status::Corruption("epoch history: epoch " + std::to_string(start.epoch) + " starts at #" +
                                std::to_string(start.first_seq) + ", before epoch " +
                                std::to_string(starts_[i - 1].epoch));
    }
  }
  return Status::Ok();
}

std::optional<EpochStart> EpochHistory::Current() const {
  if (starts_.empty()) return std::nullopt;
  return starts_.back();
}

std::optional<EpochStart> EpochHistory::Writer(uint64_t seq) const {
  if (seq == 0) return std::nullopt;
  // The newest epoch that started at or before seq: an epoch that started
  // after seq+1 with nothing in between leaves seq to the one before.
  for (auto it = starts_.rbegin(); it != starts_.rend(); ++it) {
    if (it->first_seq <= seq) return *it;
  }
  return std::nullopt;
}

EpochStart EpochHistory::Begin(uint64_t first_seq, const std::string& node) {
  EpochStart start{current_epoch() + 1, first_seq, node};
  starts_.push_back(start);
  return start;
}

std::optional<uint64_t> EpochHistory::DivergesFrom(const EpochHistory& newer, uint64_t last_seq) const {
  if (starts_.empty() || last_seq == 0) return std::nullopt;
  // The histories agree up to the first epoch they disagree on; records from
  // where that epoch starts (in either history) were written by different
  // masters. Only those this node holds (up to last_seq) are its own.
  const size_t common = std::min(starts_.size(), newer.starts_.size());
  for (size_t i = 0; i < common; ++i) {
    if (starts_[i] == newer.starts_[i]) continue;
    const uint64_t from = std::min(starts_[i].first_seq, newer.starts_[i].first_seq);
    if (from <= last_seq) return from;
    return std::nullopt;
  }
  // One history extends the other. Epochs this node knows and `newer` does
  // not wrote records `newer` lacks; epochs only `newer` has started after
  // records this node may hold from its own last epoch.
  if (starts_.size() > newer.starts_.size()) {
    const uint64_t from = starts_[common].first_seq;
    return from <= last_seq ? std::optional<uint64_t>(from) : std::nullopt;
  }
  if (newer.starts_.size() > starts_.size()) {
    const uint64_t from = newer.starts_[common].first_seq;
    return from <= last_seq ? std::optional<uint64_t>(from) : std::nullopt;
  }
  return std::nullopt;
}

std::string EpochHistory::Describe(const EpochStart& start) {
  return "epoch " + std::to_string(start.epoch) + " (" + start.node + ", from #" +
         std::to_string(start.first_seq) + ")";
}

}  // namespace ddb
