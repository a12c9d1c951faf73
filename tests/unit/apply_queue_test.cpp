// ApplyQueue: bounded, hands runs of transactions or one DDL alone to the
// applier, and tells the link when room appears.
#include "apply_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace ddb {
namespace {

using std::chrono::milliseconds;

LogRecord Record(uint64_t seq, RecordKind kind = RecordKind::kTransaction) {
  LogRecord record;
  record.seq = seq;
  record.kind = kind;
  return record;
}

std::vector<uint64_t> Seqs(const std::vector<LogRecord>& records) {
  std::vector<uint64_t> seqs;
  for (const LogRecord& record : records) seqs.push_back(record.seq);
  return seqs;
}

TEST(ApplyQueueTest, RefusesPastCapacityAndLeavesTheRecordForTheRetry) {
  ApplyQueue queue(2);
  LogRecord first = Record(1), second = Record(2), third = Record(3);
  third.statements.push_back(LoggedStatement{});
  EXPECT_TRUE(queue.TryPush(first));
  EXPECT_TRUE(queue.TryPush(second));
  EXPECT_FALSE(queue.TryPush(third));
  EXPECT_EQ(third.seq, 3u);
  EXPECT_EQ(third.statements.size(), 1u) << "a refused record must not be moved from";
}

TEST(ApplyQueueTest, PopsConsecutiveTransactionsUpToTheBatchSize) {
  ApplyQueue queue(10);
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    LogRecord record = Record(seq);
    ASSERT_TRUE(queue.TryPush(record));
  }
  std::vector<LogRecord> batch;
  ASSERT_TRUE(queue.PopBatch(3, milliseconds(0), &batch));
  EXPECT_EQ(Seqs(batch), (std::vector<uint64_t>{1, 2, 3}));
  batch.clear();
  ASSERT_TRUE(queue.PopBatch(3, milliseconds(0), &batch));
  EXPECT_EQ(Seqs(batch), (std::vector<uint64_t>{4, 5}));
}

TEST(ApplyQueueTest, ADdlRecordIsAlwaysABatchOfItsOwn) {
  ApplyQueue queue(10);
  for (LogRecord record : {Record(1), Record(2), Record(3, RecordKind::kDdl), Record(4)}) {
    ASSERT_TRUE(queue.TryPush(record));
  }
  std::vector<LogRecord> batch;
  ASSERT_TRUE(queue.PopBatch(10, milliseconds(0), &batch));
  EXPECT_EQ(Seqs(batch), (std::vector<uint64_t>{1, 2})) << "a run stops before a DDL";
  batch.clear();
  ASSERT_TRUE(queue.PopBatch(10, milliseconds(0), &batch));
  EXPECT_EQ(Seqs(batch), (std::vector<uint64_t>{3}));
  batch.clear();
  ASSERT_TRUE(queue.PopBatch(10, milliseconds(0), &batch));
  EXPECT_EQ(Seqs(batch), (std::vector<uint64_t>{4}));
}

TEST(ApplyQueueTest, EmptyQueueWaitsThenReturnsFalse) {
  ApplyQueue queue(1);
  std::vector<LogRecord> batch;
  EXPECT_FALSE(queue.PopBatch(10, milliseconds(20), &batch));
  EXPECT_TRUE(batch.empty());
}

TEST(ApplyQueueTest, APushWakesAWaitingPop) {
  ApplyQueue queue(1);
  std::vector<LogRecord> batch;
  std::thread pusher([&queue] {
    std::this_thread::sleep_for(milliseconds(20));  // let the pop start waiting
    LogRecord record = Record(7);
    EXPECT_TRUE(queue.TryPush(record));
  });
  const bool popped = queue.PopBatch(10, std::chrono::seconds(10), &batch);
  pusher.join();
  ASSERT_TRUE(popped);
  EXPECT_EQ(Seqs(batch), (std::vector<uint64_t>{7}));
}

TEST(ApplyQueueTest, CloseWakesAWaitingPopWithNothing) {
  ApplyQueue queue(1);
  std::vector<LogRecord> batch;
  std::thread closer([&queue] {
    std::this_thread::sleep_for(milliseconds(20));
    queue.Close();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(queue.PopBatch(10, std::chrono::seconds(10), &batch));
  closer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ApplyQueueTest, PoppingCallsTheSpaceListenerSoTheLinkReadsAgain) {
  ApplyQueue queue(1);
  std::atomic<int> calls{0};
  queue.SetSpaceListener([&calls] { ++calls; });
  LogRecord first = Record(1), second = Record(2);
  ASSERT_TRUE(queue.TryPush(first));
  ASSERT_FALSE(queue.TryPush(second));
  std::vector<LogRecord> batch;
  ASSERT_TRUE(queue.PopBatch(10, milliseconds(0), &batch));
  EXPECT_EQ(calls.load(), 1);
  EXPECT_TRUE(queue.TryPush(second)) << "room after the pop";
}

}  // namespace
}  // namespace ddb
