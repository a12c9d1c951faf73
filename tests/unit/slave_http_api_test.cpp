#include "slave_http_api.h"

#include <gtest/gtest.h>

#include "ddb/base/clock.h"

namespace ddb {
namespace {

constexpr int64_t kNow = 1'000'000'000'000;

// max_lag_seconds `lag`; reads_without_master_seconds `without_master`.
SlaveHealthLimits Limits(double lag, double without_master = 300) { return {lag, without_master}; }

SlaveStatusSnapshot Healthy() {
  SlaveStatusSnapshot s;
  s.link = LinkState::kConnected;
  s.applier = ApplierState::kRunning;
  s.applied_seq = 10;
  s.received_seq = 10;
  s.master_last_seq = 10;
  s.applied_master_committed_at_micros = kNow - 60'000'000;  // idle for a minute: not lag
  s.master_heard_at_micros = kNow - 200'000;                 // a heartbeat
  return s;
}

// Healthy(), then the master went away `seconds_ago` (its last heartbeat).
SlaveStatusSnapshot MasterGone(double seconds_ago) {
  SlaveStatusSnapshot s = Healthy();
  s.link = LinkState::kConnecting;
  s.link_detail = "127.0.0.1:4407: Connection refused";
  s.master_heard_at_micros = kNow - static_cast<int64_t>(seconds_ago * 1e6);
  return s;
}

TEST(SlaveHealthTest, CaughtUpAndLinkedIsHealthyHoweverOldTheLastRecord) {
  EXPECT_TRUE(CheckSlaveHealth(Healthy(), Limits(5), kNow).healthy);
}

TEST(SlaveHealthTest, LagIsTheAgeOfTheOldestRecordNotApplied) {
  SlaveStatusSnapshot s = Healthy();
  s.master_last_seq = 12;
  s.received_seq = 12;
  s.oldest_pending_committed_at_micros = kNow - 2'000'000;
  EXPECT_TRUE(CheckSlaveHealth(s, Limits(5), kNow).healthy);
  const SlaveHealth late = CheckSlaveHealth(s, Limits(1.5), kNow);
  EXPECT_FALSE(late.healthy);
  EXPECT_EQ(late.reason, "lag 2.0 s exceeds max_lag_seconds 1.5");
}

TEST(SlaveHealthTest, NoLinkSinceStartOrAStoppedApplierIsUnhealthyWithTheReason) {
  SlaveStatusSnapshot s = Healthy();
  s.link = LinkState::kConnecting;
  s.link_detail = "127.0.0.1:4407";
  s.master_heard_at_micros = 0;  // never since this daemon started: how old its data is, nobody knows
  EXPECT_EQ(CheckSlaveHealth(s, Limits(5), kNow).reason,
            "not connected to the master (connecting: 127.0.0.1:4407)");
  s = Healthy();
  s.applier = ApplierState::kError;
  s.apply_error = {11, "INSERT ...", "ERROR 1062"};
  EXPECT_EQ(CheckSlaveHealth(s, Limits(5), kNow).reason, "applier stopped on record #11: ERROR 1062");
}

TEST(SlaveHealthTest, WithoutItsMasterASlaveServesWhatItLastHeardWithinTheBound) {
  const SlaveHealth health = CheckSlaveHealth(MasterGone(4.2), Limits(5, 300), kNow);
  EXPECT_TRUE(health.healthy) << health.reason;
  EXPECT_FALSE(health.master_reachable);
  EXPECT_EQ(health.reason,
            "master unreachable for 4.2 s (connecting: 127.0.0.1:4407: Connection refused); serving what it "
            "last heard, for up to reads_without_master_seconds 300");
  EXPECT_TRUE(CheckSlaveHealth(Healthy(), Limits(5), kNow).master_reachable);
}

TEST(SlaveHealthTest, PastReadsWithoutMasterSecondsTheSlaveLeaves) {
  const SlaveHealth health = CheckSlaveHealth(MasterGone(301), Limits(5, 300), kNow);
  EXPECT_FALSE(health.healthy);
  EXPECT_EQ(health.reason,
            "master unreachable for 301.0 s (connecting: 127.0.0.1:4407: Connection refused), longer than "
            "reads_without_master_seconds 300");
  EXPECT_TRUE(CheckSlaveHealth(MasterGone(299), Limits(5, 300), kNow).healthy);
}

TEST(SlaveHealthTest, ZeroReadsWithoutMasterSecondsLeavesAsSoonAsTheLinkIsDown) {
  const SlaveHealth health = CheckSlaveHealth(MasterGone(0.1), Limits(5, 0), kNow);
  EXPECT_FALSE(health.healthy);
  EXPECT_EQ(health.reason, "not connected to the master (connecting: 127.0.0.1:4407: Connection refused)");
}

TEST(SlaveHealthTest, ARefusedLinkGetsNoGrace) {
  SlaveStatusSnapshot s = MasterGone(1);
  s.link = LinkState::kRefused;
  s.link_detail = "cluster id differs";
  EXPECT_EQ(CheckSlaveHealth(s, Limits(5, 300), kNow).reason,
            "not connected to the master (refused: cluster id differs)");
}

TEST(SlaveHealthTest, WithoutItsMasterRecordsReceivedButNotAppliedKeepItOut) {
  SlaveStatusSnapshot s = MasterGone(2);
  s.received_seq = 12;
  s.master_last_seq = 12;
  s.oldest_pending_committed_at_micros = kNow - 2'500'000;  // within max_lag: connected, it would be in
  const SlaveHealth health = CheckSlaveHealth(s, Limits(5, 300), kNow);
  EXPECT_FALSE(health.healthy);
  EXPECT_EQ(health.reason,
            "master unreachable for 2.0 s (connecting: 127.0.0.1:4407: Connection refused), records up to "
            "#12 received but not applied yet");
  s.link = LinkState::kConnected;
  EXPECT_TRUE(CheckSlaveHealth(s, Limits(5, 300), kNow).healthy);
}

TEST(SlaveHealthTest, WithoutItsMasterTheLagBoundAppliesToWhatItLastHeard) {
  // The master reported #12 before it went; this slave never received 11
  // and 12, and applied #10 three seconds ago: at least that far behind.
  SlaveStatusSnapshot s = MasterGone(1);
  s.master_last_seq = 12;
  s.applied_master_committed_at_micros = kNow - 3'000'000;
  EXPECT_TRUE(CheckSlaveHealth(s, Limits(5, 300), kNow).healthy);
  const SlaveHealth late = CheckSlaveHealth(s, Limits(2, 300), kNow);
  EXPECT_FALSE(late.healthy);
  EXPECT_EQ(late.reason, "lag 3.0 s exceeds max_lag_seconds 2.0");
}

TEST(SlaveHealthTest, AStoppedApplierIsUnhealthyWithOrWithoutTheMaster) {
  SlaveStatusSnapshot s = MasterGone(1);
  s.applier = ApplierState::kError;
  s.apply_error = {11, "INSERT ...", "ERROR 1062"};
  EXPECT_EQ(CheckSlaveHealth(s, Limits(5, 300), kNow).reason, "applier stopped on record #11: ERROR 1062");
}

TEST(SlaveHealthTest, TheStatusSaysTheMasterIsUnreachableAndSinceWhen) {
  const nlohmann::json json = SlaveStatusJson("slave1", MasterGone(4), Limits(5, 60), kNow);
  EXPECT_EQ(json["master_reachable"], false);
  EXPECT_EQ(json["healthy"], true);
  EXPECT_DOUBLE_EQ(json["master_heard_seconds_ago"].get<double>(), 4.0);
  EXPECT_EQ(json["reads_without_master_seconds"], 60);
  EXPECT_NE(json["health"].get<std::string>().find("master unreachable for 4.0 s"), std::string::npos)
      << json.dump();
}

TEST(SlaveHealthTest, TheStatusSaysHowLongTheMasterIsSilentAndWhatAutomaticFailoverDecided) {
  SlaveStatusSnapshot s = MasterGone(4);
  s.failover_decision = "no majority: 1 of 3 configured nodes lost the master (slave1 at #10), 2 needed";
  const nlohmann::json json = SlaveStatusJson("slave1", s, Limits(5, 60), kNow);
  EXPECT_EQ(json["master_silent_ms"], 4000);
  EXPECT_EQ(json["failover_decision"], s.failover_decision);
  // Never heard from: silent since the daemon started.
  SlaveStatusSnapshot fresh;
  fresh.started_at_micros = kNow - 2'500'000;
  EXPECT_EQ(SlaveStatusJson("slave1", fresh, Limits(5), kNow)["master_silent_ms"], 2500);
  EXPECT_FALSE(SlaveStatusJson("slave1", fresh, Limits(5), kNow).contains("failover_decision"));
}

TEST(SlaveHealthTest, TheMetricsSayHowLongTheMasterHasBeenSilent) {
  const std::string metrics = SlaveMetrics(MasterGone(4), Limits(5, 60), kNow);
  EXPECT_NE(metrics.find("ddb_slave_master_silent_seconds 4\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("ddb_slave_healthy 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("ddb_slave_link_up 0\n"), std::string::npos) << metrics;
}

TEST(SlaveHealthTest, ThePublicStatusNamesTheFailedRecordButNotItsStatement) {
  SlaveStatusSnapshot s = Healthy();
  s.applier = ApplierState::kError;
  s.apply_error = {11, "INSERT INTO pay.cards VALUES ('4111111111111111')", "ERROR 1062: Duplicate entry"};
  const nlohmann::json json = SlaveStatusJson("slave1", s, Limits(5), kNow);
  EXPECT_EQ(json["apply_error"]["seq"], 11);
  EXPECT_EQ(json["apply_error"]["error"], "ERROR 1062: Duplicate entry");
  EXPECT_EQ(json.dump().find("4111"), std::string::npos) << json.dump();
}

TEST(SlaveStatusBoardTest, RemembersWhenTheMasterWasLastHeardFrom) {
  SlaveStatusBoard board;
  EXPECT_EQ(board.Snapshot().master_heard_at_micros, 0);
  const int64_t before = NowMicros();
  board.SetLink(LinkState::kConnected, "127.0.0.1:4407");
  const int64_t linked = board.Snapshot().master_heard_at_micros;
  EXPECT_GE(linked, before);
  // Losing the link keeps the time: it is how old what the slave holds may be.
  board.SetLink(LinkState::kConnecting, "127.0.0.1:4407: Connection refused");
  EXPECT_EQ(board.Snapshot().master_heard_at_micros, linked);
  board.SetMasterLastSeq(3);  // a heartbeat
  EXPECT_GE(board.Snapshot().master_heard_at_micros, linked);
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
