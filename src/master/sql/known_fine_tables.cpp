#include "known_fine_tables.h"

namespace ddb {

bool KnownFineTables::Contains(const std::string& account, uint64_t epoch, const Key& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return epoch == epoch_ && known_.count({account, key}) != 0;
}

void KnownFineTables::Add(const std::string& account, uint64_t epoch, const std::vector<Key>& keys) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (epoch < epoch_) return;  // found before a DDL another session has seen since
  if (epoch > epoch_) {
    known_.clear();
    epoch_ = epoch;
  }
  for (const Key& key : keys) known_.insert({account, key});
}

}  // namespace ddb
