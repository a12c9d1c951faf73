// RecentRecords: the newest committed log records, kept in memory so live
// slaves are fed without touching the log table.
//
// Bounded by a record count: a slave that falls further behind than the window
// is fed from the table instead, so memory never grows with a backlog.
// Records are appended in sequence order by the CommitSequencer, gaps
// included (as kGap records), so the window always holds a contiguous run of
// sequence numbers.
//
// Thread-safe. Listeners are called (outside the lock) after each append;
// they must be cheap (post to an io_context, notify a condition).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace ddb {

// A record as it goes on the wire: the kRecord frame payload, shared by every
// slave link that sends it.
struct EncodedRecord {
  uint64_t seq = 0;
  int64_t committed_at_micros = 0;
  std::vector<uint8_t> payload;
};
using EncodedRecordPtr = std::shared_ptr<const EncodedRecord>;

class RecentRecords {
 public:
  // `last_seq` is the newest record already committed before this process
  // started: the window begins right after it.
  RecentRecords(size_t capacity, uint64_t last_seq);

  void Append(EncodedRecordPtr record);
  // Appends consecutive records and wakes the listeners once.
  void AppendAll(std::vector<EncodedRecordPtr> records);

  // Records with seq > after_seq, at most `limit`. Returns false when the
  // window no longer holds the record right after `after_seq` (read the table).
  bool ReadAfter(uint64_t after_seq, size_t limit, std::vector<EncodedRecordPtr>* out) const;

  // Master commit time of `seq` if it is still in the window.
  std::optional<int64_t> CommittedAt(uint64_t seq) const;

  uint64_t last_seq() const;
  int64_t last_committed_at_micros() const;

  using Listener = std::function<void()>;
  int AddListener(Listener listener);
  void RemoveListener(int id);

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<EncodedRecordPtr> records_;  // contiguous seqs, oldest first
  uint64_t last_seq_;
  int64_t last_committed_at_micros_ = 0;
  std::map<int, Listener> listeners_;
  int next_listener_id_ = 1;
};

}  // namespace ddb
