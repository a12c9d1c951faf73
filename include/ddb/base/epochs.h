// Epochs (terms): which node wrote which part of the log.
//
// A cluster starts in epoch 1 on its first master. Promoting a slave
// (switchover or failover) starts the next epoch on it, at the record after
// the last one it holds. The history, one EpochStart per epoch, says for
// every record number which epoch, hence which master, wrote it: record
// identity is (epoch, seq), which is how a node that was cut off finds out
// whether its log is a prefix of the current master's or holds records
// nobody else has (DESIGN.md, "High availability").
//
// Every node keeps the history it knows in ddb_meta.epochs; a master sends
// its own to each slave in the handshake, and a slave tells the master the
// newest epoch it knows, so a former master learns it was replaced.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

struct EpochStart {
  uint32_t epoch = 0;
  uint64_t first_seq = 0;  // the epoch's first record number
  std::string node;        // the master that started it
  bool operator==(const EpochStart&) const = default;
};

// {"epoch": 2, "first_seq": 1041, "node": "slave1"}, as /health and
// /api/status show the epoch a node is in; epoch 0 when `start` is none.
nlohmann::json EpochJson(const std::optional<EpochStart>& start);
// The reverse; an object without "epoch" gives epoch 0 (a node from before epochs).
EpochStart EpochFromJson(const nlohmann::json& json);

class EpochHistory {
 public:
  EpochHistory() = default;
  explicit EpochHistory(std::vector<EpochStart> starts) : starts_(std::move(starts)) {}

  // Epochs rise by one from 1, and first_seq never goes down.
  Status Validate() const;

  bool empty() const { return starts_.empty(); }
  const std::vector<EpochStart>& starts() const { return starts_; }
  // The newest epoch (nullopt when empty).
  std::optional<EpochStart> Current() const;
  uint32_t current_epoch() const { return starts_.empty() ? 0 : starts_.back().epoch; }

  // The epoch that wrote record `seq` (nullopt for seq 0 or an empty history).
  std::optional<EpochStart> Writer(uint64_t seq) const;

  // Appends the next epoch, starting at `first_seq`, on `node`.
  EpochStart Begin(uint64_t first_seq, const std::string& node);

  // This node's log ends at `last_seq` and was written under this history.
  // Against `newer`, the history of a master in an epoch at least as new:
  // the first record this node holds that `newer` does not (its records from
  // there to last_seq exist nowhere else), or nullopt when this log is a
  // prefix of the one `newer` describes. An empty history (a node from
  // before epochs) is assumed to be a prefix.
  std::optional<uint64_t> DivergesFrom(const EpochHistory& newer, uint64_t last_seq) const;

  // "epoch 2 (slave1, from #1041)".
  static std::string Describe(const EpochStart& start);

 private:
  std::vector<EpochStart> starts_;  // by epoch, ascending
};

}  // namespace ddb
