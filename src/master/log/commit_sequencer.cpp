#include "commit_sequencer.h"

#include <vector>

#include "ddb/base/clock.h"
#include "ddb/base/log_record.h"

namespace ddb {

EncodedRecordPtr MakeGapRecord(uint64_t seq, int64_t resolved_at_micros) {
  LogRecord gap;
  gap.kind = RecordKind::kGap;
  auto record = std::make_shared<EncodedRecord>();
  record->seq = seq;
  record->committed_at_micros = resolved_at_micros;
  record->payload = EncodeRecordPayload(seq, resolved_at_micros, EncodeRecordBody(gap));
  return record;
}

CommitSequencer::CommitSequencer(RecentRecords* recent, uint64_t last_seq)
    : recent_(recent), allocated_(last_seq), published_(last_seq) {}

uint64_t CommitSequencer::Allocate() {
  std::lock_guard<std::mutex> lock(mutex_);
  return ++allocated_;
}

void CommitSequencer::Committed(EncodedRecordPtr record) {
  std::lock_guard<std::mutex> lock(mutex_);
  const uint64_t seq = record->seq;
  resolved_[seq] = std::move(record);
  PublishReadyLocked();
}

void CommitSequencer::Abandoned(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  resolved_[seq] = nullptr;
  TakeBackTopGapsLocked();
  PublishReadyLocked();
}

void CommitSequencer::TakeBack(uint64_t seq) { Abandoned(seq); }

void CommitSequencer::TakeBackTopGapsLocked() {
  while (allocated_ > published_) {
    const auto it = resolved_.find(allocated_);
    if (it == resolved_.end() || it->second) return;
    resolved_.erase(it);
    --allocated_;
  }
}

void CommitSequencer::PublishReadyLocked() {
  // The resolved run right after published_, up to its last committed
  // record: gaps after that wait for a later record to commit (see the
  // header), so the log table's newest row is never below a published gap.
  uint64_t publish_to = published_;
  uint64_t next = published_ + 1;
  for (auto it = resolved_.find(next); it != resolved_.end() && it->first == next; ++it, ++next) {
    if (it->second) publish_to = it->first;
  }
  std::vector<EncodedRecordPtr> ready;
  for (auto it = resolved_.begin(); it != resolved_.end() && it->first <= publish_to;
       it = resolved_.erase(it)) {
    ++published_;
    ready.push_back(it->second ? it->second : MakeGapRecord(it->first, NowMicros()));
  }
  if (!ready.empty()) recent_->AppendAll(std::move(ready));
}

uint64_t CommitSequencer::published() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return published_;
}

uint64_t CommitSequencer::allocated() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return allocated_;
}

uint64_t CommitSequencer::in_flight() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return allocated_ - published_;
}

}  // namespace ddb
