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
  PublishReadyLocked();
}

void CommitSequencer::TakeBack(uint64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (seq == allocated_) {
    --allocated_;
    return;
  }
  resolved_[seq] = nullptr;
  PublishReadyLocked();
}

void CommitSequencer::PublishReadyLocked() {
  std::vector<EncodedRecordPtr> ready;
  for (auto it = resolved_.begin(); it != resolved_.end() && it->first == published_ + 1;
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
