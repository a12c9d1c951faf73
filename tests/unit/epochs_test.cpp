#include "ddb/base/epochs.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

EpochHistory Original() { return EpochHistory({{1, 1, "master"}}); }

EpochHistory PromotedAfter(uint64_t last_seq, const std::string& node) {
  EpochHistory history = Original();
  history.Begin(last_seq + 1, node);
  return history;
}

TEST(EpochHistoryTest, WriterIsTheNewestEpochStartedAtOrBeforeTheRecord) {
  EpochHistory history = PromotedAfter(100, "slave1");
  EXPECT_FALSE(history.Writer(0));
  EXPECT_EQ(history.Writer(1)->node, "master");
  EXPECT_EQ(history.Writer(100)->epoch, 1u);
  EXPECT_EQ(history.Writer(101)->epoch, 2u);
  EXPECT_EQ(history.Writer(5000)->node, "slave1");
  EXPECT_EQ(history.current_epoch(), 2u);
}

TEST(EpochHistoryTest, ValidateRejectsGapsInEpochsAndFirstSeqGoingBack) {
  EXPECT_TRUE(PromotedAfter(10, "s").Validate().ok());
  EXPECT_FALSE(EpochHistory({{2, 1, "m"}}).Validate().ok());
  EXPECT_FALSE(EpochHistory({{1, 0, "m"}}).Validate().ok());
  EXPECT_FALSE(EpochHistory({{1, 50, "m"}, {2, 10, "s"}}).Validate().ok());
  // An epoch that wrote nothing before the next began is legal.
  EXPECT_TRUE(EpochHistory({{1, 1, "m"}, {2, 10, "s"}, {3, 10, "t"}}).Validate().ok());
}

TEST(EpochHistoryTest, ALogThatEndsAtThePromotionPointIsAPrefix) {
  const EpochHistory newer = PromotedAfter(100, "slave1");
  EXPECT_FALSE(Original().DivergesFrom(newer, 100));
  EXPECT_FALSE(Original().DivergesFrom(newer, 40));
  EXPECT_FALSE(Original().DivergesFrom(newer, 0));
  EXPECT_FALSE(newer.DivergesFrom(newer, 250));
}

TEST(EpochHistoryTest, RecordsAFormerMasterWroteAfterThePromotionPointAreItsOwn) {
  const EpochHistory newer = PromotedAfter(100, "slave1");
  EXPECT_EQ(Original().DivergesFrom(newer, 101), 101u);
  EXPECT_EQ(Original().DivergesFrom(newer, 130), 101u);
}

TEST(EpochHistoryTest, TwoNodesPromotedToTheSameEpochDivergeWhereItStarted) {
  const EpochHistory a = PromotedAfter(100, "slave1");
  const EpochHistory b = PromotedAfter(90, "slave2");
  EXPECT_EQ(a.DivergesFrom(b, 120), 91u);
  EXPECT_FALSE(a.DivergesFrom(b, 90));
}

TEST(EpochHistoryTest, AnEmptyHistoryIsAssumedToBeAPrefix) {
  EXPECT_FALSE(EpochHistory().DivergesFrom(PromotedAfter(5, "s"), 9));
}

TEST(EpochHistoryTest, DescribeNamesEpochNodeAndFirstRecord) {
  EXPECT_EQ(EpochHistory::Describe({2, 1041, "slave1"}), "epoch 2 (slave1, from #1041)");
}

}  // namespace
}  // namespace ddb
