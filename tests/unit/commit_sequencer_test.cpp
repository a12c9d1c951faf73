#include "commit_sequencer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>

#include "ddb/base/log_record.h"

namespace ddb {
namespace {

EncodedRecordPtr Committed(uint64_t seq) {
  auto record = std::make_shared<EncodedRecord>();
  record->seq = seq;
  record->committed_at_micros = static_cast<int64_t>(seq) * 1000;
  return record;
}

// Everything published so far, in order.
std::vector<EncodedRecordPtr> Published(const RecentRecords& recent, uint64_t after = 0) {
  std::vector<EncodedRecordPtr> out;
  EXPECT_TRUE(recent.ReadAfter(after, 1u << 20, &out));
  return out;
}

bool IsGap(const EncodedRecordPtr& record) {
  LogRecord decoded;
  return DecodeRecordPayload(record->payload, &decoded).ok() && decoded.kind == RecordKind::kGap &&
         decoded.seq == record->seq && decoded.statements.empty();
}

TEST(CommitSequencerTest, NumbersContinueAfterTheLogsNewest) {
  RecentRecords recent(100, 41);
  CommitSequencer sequencer(&recent, 41);
  EXPECT_EQ(sequencer.Allocate(), 42u);
  EXPECT_EQ(sequencer.Allocate(), 43u);
  EXPECT_EQ(sequencer.published(), 41u);
  EXPECT_EQ(sequencer.in_flight(), 2u);
}

TEST(CommitSequencerTest, ALaterCommitWaitsForAnEarlierNumber) {
  RecentRecords recent(100, 0);
  CommitSequencer sequencer(&recent, 0);
  const uint64_t first = sequencer.Allocate();
  const uint64_t second = sequencer.Allocate();
  sequencer.Committed(Committed(second));
  EXPECT_EQ(recent.last_seq(), 0u) << "#2 must not be published while #1 is unresolved";
  EXPECT_TRUE(Published(recent).empty());
  sequencer.Committed(Committed(first));
  const auto published = Published(recent);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0]->seq, 1u);
  EXPECT_EQ(published[1]->seq, 2u);
  EXPECT_EQ(sequencer.in_flight(), 0u);
}

TEST(CommitSequencerTest, AnAbandonedNumberIsPublishedAsAGap) {
  RecentRecords recent(100, 0);
  CommitSequencer sequencer(&recent, 0);
  const uint64_t rolled_back = sequencer.Allocate();
  const uint64_t committed = sequencer.Allocate();
  sequencer.Committed(Committed(committed));
  sequencer.Abandoned(rolled_back);
  const auto published = Published(recent);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_TRUE(IsGap(published[0]));
  EXPECT_EQ(published[1]->seq, committed);
  EXPECT_FALSE(IsGap(published[1]));
}

TEST(CommitSequencerTest, ANumberTakenBackIsHandedOutAgainWithoutAGap) {
  RecentRecords recent(100, 0);
  CommitSequencer sequencer(&recent, 0);
  const uint64_t failed_ddl = sequencer.Allocate();
  sequencer.TakeBack(failed_ddl);
  EXPECT_EQ(sequencer.in_flight(), 0u);
  EXPECT_EQ(sequencer.Allocate(), failed_ddl);
  sequencer.Committed(Committed(failed_ddl));
  const auto published = Published(recent);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_FALSE(IsGap(published[0]));
}

// A gap has no row in the log table: published before a later record's
// row exists, a crash would let the restarted master hand its number out
// again while a slave already moved past it.
TEST(CommitSequencerTest, AGapIsPublishedOnlyWithALaterCommittedRecord) {
  RecentRecords recent(100, 0);
  CommitSequencer sequencer(&recent, 0);
  const uint64_t failed = sequencer.Allocate();
  const uint64_t pending = sequencer.Allocate();
  sequencer.Abandoned(failed);
  EXPECT_TRUE(Published(recent).empty()) << "the gap went out with no committed record after it";
  sequencer.Committed(Committed(pending));
  const auto published = Published(recent);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_TRUE(IsGap(published[0]));
  EXPECT_EQ(published[1]->seq, pending);
}

TEST(CommitSequencerTest, GapsAtTheTopAreTakenBackAndHandedOutAgain) {
  RecentRecords recent(100, 0);
  CommitSequencer sequencer(&recent, 0);
  sequencer.Committed(Committed(sequencer.Allocate()));
  const uint64_t a = sequencer.Allocate();
  const uint64_t b = sequencer.Allocate();
  sequencer.Abandoned(a);  // below b: a gap, not published yet
  sequencer.Abandoned(b);  // the top: b and then a are taken back
  EXPECT_EQ(sequencer.in_flight(), 0u);
  EXPECT_EQ(sequencer.allocated(), 1u);
  EXPECT_EQ(sequencer.Allocate(), a);
  EXPECT_EQ(Published(recent).size(), 1u);
}

TEST(CommitSequencerTest, TakingBackANumberWithLaterOnesLeavesAGap) {
  RecentRecords recent(100, 0);
  CommitSequencer sequencer(&recent, 0);
  const uint64_t first = sequencer.Allocate();
  const uint64_t second = sequencer.Allocate();
  sequencer.TakeBack(first);
  sequencer.Committed(Committed(second));
  const auto published = Published(recent);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_TRUE(IsGap(published[0]));
  EXPECT_EQ(published[1]->seq, second);
}

TEST(CommitSequencerTest, AnUnresolvedNumberHoldsBackEverythingAfterIt) {
  RecentRecords recent(100, 0);
  CommitSequencer sequencer(&recent, 0);
  const uint64_t lost = sequencer.Allocate();  // e.g. a COMMIT whose answer was lost
  for (int i = 0; i < 10; ++i) sequencer.Committed(Committed(sequencer.Allocate()));
  EXPECT_EQ(recent.last_seq(), 0u);
  EXPECT_EQ(sequencer.in_flight(), 11u);
  sequencer.Committed(Committed(lost));
  EXPECT_EQ(recent.last_seq(), 11u);
  EXPECT_EQ(Published(recent).size(), 11u);
}

TEST(CommitSequencerTest, ListenersAreWokenOnlyWhenSomethingIsPublished) {
  RecentRecords recent(100, 0);
  CommitSequencer sequencer(&recent, 0);
  int wakeups = 0;
  recent.AddListener([&] { ++wakeups; });
  const uint64_t first = sequencer.Allocate();
  const uint64_t second = sequencer.Allocate();
  sequencer.Committed(Committed(second));
  EXPECT_EQ(wakeups, 0);
  sequencer.Committed(Committed(first));
  EXPECT_EQ(wakeups, 1) << "both records go out in one append";
}

// Many threads allocate and resolve in random order; whatever order they
// finish in, the published stream is every number once, in order, each
// committed record exactly once, the rest gaps of abandoned numbers, and
// it ends with a committed record.
TEST(CommitSequencerTest, ConcurrentResolutionPublishesAContiguousOrderedStream) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 2000;
  RecentRecords recent(kThreads * kPerThread + 10, 0);
  CommitSequencer sequencer(&recent, 0);
  std::vector<std::thread> threads;
  std::vector<std::vector<uint64_t>> abandoned(kThreads), committed(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      for (int i = 0; i < kPerThread; ++i) {
        const uint64_t seq = sequencer.Allocate();
        if (random() % 7 == 0) std::this_thread::yield();  // widen the window between allocation and commit
        if (random() % 10 == 0) {
          sequencer.Abandoned(seq);
          abandoned[t].push_back(seq);
        } else {
          sequencer.Committed(Committed(seq));
          committed[t].push_back(seq);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // One last commit publishes whatever gaps wait for one.
  const uint64_t last = sequencer.Allocate();
  sequencer.Committed(Committed(last));
  committed[0].push_back(last);
  std::vector<uint64_t> all_committed, all_abandoned;
  for (int t = 0; t < kThreads; ++t) {
    all_committed.insert(all_committed.end(), committed[t].begin(), committed[t].end());
    all_abandoned.insert(all_abandoned.end(), abandoned[t].begin(), abandoned[t].end());
  }
  std::sort(all_committed.begin(), all_committed.end());
  std::sort(all_abandoned.begin(), all_abandoned.end());
  const auto published = Published(recent);
  std::vector<uint64_t> records;
  for (size_t i = 0; i < published.size(); ++i) {
    ASSERT_EQ(published[i]->seq, i + 1);
    if (IsGap(published[i])) {
      EXPECT_TRUE(std::binary_search(all_abandoned.begin(), all_abandoned.end(), published[i]->seq))
          << "#" << published[i]->seq << " is a gap but was never abandoned";
    } else {
      records.push_back(published[i]->seq);
    }
  }
  EXPECT_EQ(records, all_committed) << "every commit published once";
  ASSERT_FALSE(published.empty());
  EXPECT_FALSE(IsGap(published.back()));
  EXPECT_EQ(sequencer.in_flight(), 0u);
}

}  // namespace
}  // namespace ddb
