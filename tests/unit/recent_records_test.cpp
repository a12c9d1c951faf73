// RecentRecords: a bounded window of contiguous records for live slaves; a
// slave behind the window is told to read the table.
#include "recent_records.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

EncodedRecordPtr Encoded(uint64_t seq) {
  auto record = std::make_shared<EncodedRecord>();
  record->seq = seq;
  record->committed_at_micros = static_cast<int64_t>(seq) * 1000;
  return record;
}

std::vector<uint64_t> Seqs(const std::vector<EncodedRecordPtr>& records) {
  std::vector<uint64_t> seqs;
  for (const EncodedRecordPtr& record : records) seqs.push_back(record->seq);
  return seqs;
}

TEST(RecentRecordsTest, StartsAfterTheLastCommittedRecord) {
  RecentRecords recent(10, 41);
  EXPECT_EQ(recent.last_seq(), 41u);
  std::vector<EncodedRecordPtr> out;
  EXPECT_TRUE(recent.ReadAfter(41, 10, &out)) << "caught up: nothing to send, not a table read";
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(recent.ReadAfter(40, 10, &out)) << "#41 was never in memory";
}

TEST(RecentRecordsTest, ReadsAfterAPositionUpToTheLimit) {
  RecentRecords recent(10, 0);
  for (uint64_t seq = 1; seq <= 5; ++seq) recent.Append(Encoded(seq));
  std::vector<EncodedRecordPtr> out;
  ASSERT_TRUE(recent.ReadAfter(1, 3, &out));
  EXPECT_EQ(Seqs(out), (std::vector<uint64_t>{2, 3, 4}));
  EXPECT_EQ(recent.last_seq(), 5u);
  EXPECT_EQ(recent.last_committed_at_micros(), 5000);
}

TEST(RecentRecordsTest, ASlaveBehindTheWindowIsSentToTheTable) {
  RecentRecords recent(3, 0);
  for (uint64_t seq = 1; seq <= 6; ++seq) recent.Append(Encoded(seq));
  std::vector<EncodedRecordPtr> out;
  EXPECT_FALSE(recent.ReadAfter(2, 10, &out)) << "#3 has left the window";
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(recent.ReadAfter(3, 10, &out));
  EXPECT_EQ(Seqs(out), (std::vector<uint64_t>{4, 5, 6}));
}

TEST(RecentRecordsTest, CommittedAtOnlyInsideTheWindow) {
  RecentRecords recent(2, 0);
  for (uint64_t seq = 1; seq <= 3; ++seq) recent.Append(Encoded(seq));
  EXPECT_FALSE(recent.CommittedAt(1).has_value());
  EXPECT_EQ(recent.CommittedAt(2), 2000);
  EXPECT_EQ(recent.CommittedAt(3), 3000);
  EXPECT_FALSE(recent.CommittedAt(4).has_value());
}

TEST(RecentRecordsTest, AppendAllWakesEachListenerOnceAndRemovedOnesNever) {
  RecentRecords recent(10, 0);
  int first = 0, second = 0;
  recent.AddListener([&first] { ++first; });
  const int id = recent.AddListener([&second] { ++second; });
  recent.AppendAll({Encoded(1), Encoded(2), Encoded(3)});
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
  recent.RemoveListener(id);
  recent.Append(Encoded(4));
  EXPECT_EQ(first, 2);
  EXPECT_EQ(second, 1);
  recent.AppendAll({});
  EXPECT_EQ(first, 2) << "nothing appended, nobody woken";
}

TEST(RecentRecordsTest, AListenerMayReadTheWindowItIsWokenFor) {
  RecentRecords recent(10, 0);
  std::vector<EncodedRecordPtr> seen;
  // Listeners run outside the lock: reading from one must not deadlock.
  recent.AddListener([&] {
    seen.clear();
    EXPECT_TRUE(recent.ReadAfter(0, 10, &seen));
  });
  recent.AppendAll({Encoded(1), Encoded(2)});
  EXPECT_EQ(Seqs(seen), (std::vector<uint64_t>{1, 2}));
}

}  // namespace
}  // namespace ddb
