#include "recent_records.h"

namespace ddb {

RecentRecords::RecentRecords(size_t capacity, uint64_t last_seq) : capacity_(capacity), last_seq_(last_seq) {}

void RecentRecords::Append(EncodedRecordPtr record) {
  std::vector<EncodedRecordPtr> one;
  one.push_back(std::move(record));
  AppendAll(std::move(one));
}

void RecentRecords::AppendAll(std::vector<EncodedRecordPtr> records) {
  if (records.empty()) return;
  std::vector<Listener> to_notify;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (EncodedRecordPtr& record : records) {
      last_seq_ = record->seq;
      last_committed_at_micros_ = record->committed_at_micros;
      records_.push_back(std::move(record));
    }
    while (records_.size() > capacity_) records_.pop_front();
    for (const auto& [id, listener] : listeners_) to_notify.push_back(listener);
  }
  for (const Listener& listener : to_notify) listener();
}

bool RecentRecords::ReadAfter(uint64_t after_seq, size_t limit, std::vector<EncodedRecordPtr>* out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (after_seq >= last_seq_) return true;  // caught up: nothing to send yet
  if (records_.empty() || records_.front()->seq > after_seq + 1) return false;
  // Seqs are contiguous, so the record after `after_seq` sits at a known index.
  size_t index = static_cast<size_t>(after_seq + 1 - records_.front()->seq);
  for (; index < records_.size() && out->size() < limit; ++index) out->push_back(records_[index]);
  return true;
}

std::optional<int64_t> RecentRecords::CommittedAt(uint64_t seq) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (records_.empty() || seq < records_.front()->seq || seq > records_.back()->seq) return std::nullopt;
  return records_[static_cast<size_t>(seq - records_.front()->seq)]->committed_at_micros;
}

uint64_t RecentRecords::last_seq() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_seq_;
}

int64_t RecentRecords::last_committed_at_micros() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_committed_at_micros_;
}

int RecentRecords::AddListener(Listener listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  const int id = next_listener_id_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void RecentRecords::RemoveListener(int id) {
  std::lock_guard<std::mutex> lock(mutex_);
  listeners_.erase(id);
}

}  // namespace ddb
