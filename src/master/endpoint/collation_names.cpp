#include "collation_names.h"

#include <utility>

namespace ddb {

std::optional<CollationNames::Names> CollationNames::Find(uint8_t id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = known_.find(id);
  if (found == known_.end()) return std::nullopt;
  return found->second;
}

void CollationNames::Remember(uint8_t id, Names names) {
  std::lock_guard<std::mutex> lock(mutex_);
  known_[id] = std::move(names);
}

}  // namespace ddb
