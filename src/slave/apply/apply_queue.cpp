#include "apply_queue.h"

namespace ddb {

ApplyQueue::ApplyQueue(size_t capacity) : capacity_(capacity) {}

bool ApplyQueue::TryPush(LogRecord& record) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (records_.size() >= capacity_) return false;
    records_.push_back(std::move(record));
  }
  not_empty_.notify_one();
  return true;
}

bool ApplyQueue::PopBatch(size_t max, std::chrono::milliseconds wait, std::vector<LogRecord>* out) {
  std::function<void()> listener;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!not_empty_.wait_for(lock, wait, [this] { return !records_.empty() || closed_; })) return false;
    if (records_.empty()) return false;
    if (records_.front().kind == RecordKind::kDdl) {
      out->push_back(std::move(records_.front()));
      records_.pop_front();
    } else {
      while (!records_.empty() && out->size() < max && records_.front().kind != RecordKind::kDdl) {
        out->push_back(std::move(records_.front()));
        records_.pop_front();
      }
    }
    listener = space_listener_;
  }
  if (listener) listener();
  return true;
}

void ApplyQueue::SetSpaceListener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  space_listener_ = std::move(listener);
}

void ApplyQueue::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  not_empty_.notify_all();
}

}  // namespace ddb
