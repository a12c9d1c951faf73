// CommitSequencer: hands out log sequence numbers to transactions that commit
// concurrently, and publishes their records strictly in sequence order.
//
// The rule (docs/architecture.md, "The write path (master)"): a transaction takes its number
// after its statements ran (their row locks are held) and just before its log
// insert, so one that waited for another's locks always gets the larger
// number. COMMITs then run in parallel and may finish in any order; a record
// is published (appended to RecentRecords, which feeds the slave links) only
// once every smaller number is resolved:
//   committed  its log row is durable: publish the record;
//   abandoned  it will never commit (its log insert or COMMIT failed, its
//              session went away): a gap. A gap is published as a record
//              of kind kGap with no statements, so the stream a slave sees
//              stays contiguous and a missing number always means an error.
//              A gap has no row in the log table, so it is published only
//              with a later committed record, whose row outlives a crash:
//              a master restarted after a crash continues after the
//              table's newest row and must never hand out a number a slave
//              already holds as a gap. Gaps at the top, with nothing
//              handed out after them, are taken back instead (the next
//              transaction gets the number).
// A number stays unresolved while its outcome is unknown (a COMMIT whose
// answer was lost); everything after it waits, as it must.
//
// Pure bookkeeping, no MySQL: unit-tested alone. Thread-safe. `recent` is
// appended to under this class's lock (so appends keep sequence order);
// RecentRecords calls its listeners outside its own lock and they only post
// work, so nothing calls back in here.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "recent_records.h"

namespace ddb {

class CommitSequencer {
 public:
  // `last_seq`: the newest number already in the log table when the master
  // started. Every number up to it is resolved (missing ones are gaps left by
  // the previous run, read from the table as such). `recent` must outlive
  // the sequencer.
  CommitSequencer(RecentRecords* recent, uint64_t last_seq);
  CommitSequencer(const CommitSequencer&) = delete;
  CommitSequencer& operator=(const CommitSequencer&) = delete;

  // The next number, unresolved until Committed or Abandoned is called
  // for it (exactly once).
  uint64_t Allocate();

  // `record->seq` committed; `record` is published once every smaller
  // number is resolved.
  void Committed(EncodedRecordPtr record);
  // `seq` will never commit: it becomes a gap, published with the next
  // committed record; at the top (no later number handed out) it is taken
  // back, with any unpublished gaps right below it.
  void Abandoned(uint64_t seq);
  // The same, said where the caller knows no number was handed out after
  // `seq` (it holds the DDL barrier exclusively): a DDL that fails, or
  // retries for a busy metadata lock, leaves no gap.
  void TakeBack(uint64_t seq);

  // Every number up to here is resolved and published.
  uint64_t published() const;
  // The newest number handed out.
  uint64_t allocated() const;
  // Numbers handed out and not yet published (unresolved, or resolved
  // behind an unresolved one).
  uint64_t in_flight() const;

 private:
  // Publishes the run of resolved numbers right after published_, up to the
  // last committed one in it.
  void PublishReadyLocked();
  // Takes back the numbers at the top that are unpublished gaps.
  void TakeBackTopGapsLocked();

  RecentRecords* const recent_;
  mutable std::mutex mutex_;
  uint64_t allocated_;  // guarded by mutex_
  uint64_t published_;  // guarded by mutex_
  // Resolved numbers above published_: the record, or null for a gap.
  std::map<uint64_t, EncodedRecordPtr> resolved_;  // guarded by mutex_
};

// The record a gap is published as: kind kGap, no statements.
EncodedRecordPtr MakeGapRecord(uint64_t seq, int64_t resolved_at_micros);

}  // namespace ddb
