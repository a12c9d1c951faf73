#include "slave_http_api.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

constexpr int64_t kNow = 1'000'000'000'000;

SlaveStatusSnapshot Healthy() {
  SlaveStatusSnapshot s;
  s.link = LinkState::kConnected;
  s.applier = ApplierState::kRunning;
  s.applied_seq = 10;
  s.received_seq = 10;
  s.master_last_seq = 10;
  s.applied_master_committed_at_micros = kNow - 60'000'000;  // idle for a minute: not lag
  return s;
}

TEST(SlaveHealthTest, CaughtUpAndLinkedIsHealthyHoweverOldTheLastRecord) {
  EXPECT_TRUE(CheckSlaveHealth(Healthy(), 5, kNow).healthy);
}

TEST(SlaveHealthTest, LagIsTheAgeOfTheOldestRecordNotApplied) {
  SlaveStatusSnapshot s = Healthy();
  s.master_last_seq = 12;
  s.received_seq = 12;
  s.oldest_pending_committed_at_micros = kNow - 2'000'000;
  EXPECT_TRUE(CheckSlaveHealth(s, 5, kNow).healthy);
  const SlaveHealth late = CheckSlaveHealth(s, 1.5, kNow);
  EXPECT_FALSE(late.healthy);
  EXPECT_EQ(late.reason, "lag 2.0 s exceeds max_lag_seconds 1.5");
}

TEST(SlaveHealthTest, NoLinkOrAStoppedApplierIsUnhealthyWithTheReason) {
  SlaveStatusSnapshot s = Healthy();
  s.link = LinkState::kConnecting;
  s.link_detail = "127.0.0.1:4407";
  EXPECT_EQ(CheckSlaveHealth(s, 5, kNow).reason, "not connected to the master (connecting: 127.0.0.1:4407)");
  s = Healthy();
  s.applier = ApplierState::kError;
  s.apply_error = {11, "INSERT ...", "ERROR 1062"};
  EXPECT_EQ(CheckSlaveHealth(s, 5, kNow).reason, "applier stopped on record #11: ERROR 1062");
}

TEST(SlaveHealthTest, ThePublicStatusNamesTheFailedRecordButNotItsStatement) {
  SlaveStatusSnapshot s = Healthy();
  s.applier = ApplierState::kError;
  s.apply_error = {11, "INSERT INTO pay.cards VALUES ('4111111111111111')", "ERROR 1062: Duplicate entry"};
  const nlohmann::json json = SlaveStatusJson("slave1", s, 5, kNow);
  EXPECT_EQ(json["apply_error"]["seq"], 11);
  EXPECT_EQ(json["apply_error"]["error"], "ERROR 1062: Duplicate entry");
  EXPECT_EQ(json.dump().find("4111"), std::string::npos) << json.dump();
}

TEST(SlaveStatusBoardTest, TracksTheOldestPendingRecord) {
  SlaveStatusBoard board;
  board.SetApplied(10, kNow - 10, 0);
  board.SetReceived(11, kNow - 5'000'000);
  board.SetReceived(12, kNow - 4'000'000);
  EXPECT_EQ(board.Snapshot().oldest_pending_committed_at_micros, kNow - 5'000'000);
  board.SetApplied(11, kNow - 5'000'000, 1);  // 12 still pending: bounded by 11's time
  EXPECT_EQ(board.Snapshot().oldest_pending_committed_at_micros, kNow - 5'000'000);
  board.SetApplied(12, kNow - 4'000'000, 1);
  EXPECT_EQ(board.Snapshot().oldest_pending_committed_at_micros, 0);
  EXPECT_EQ(board.Snapshot().records_received, 2u);
}

}  // namespace
}  // namespace ddb
