// Automatic failover's rule (src/slave/failover/auto_failover.h), without
// any daemon: who votes, when a majority is reached, who promotes; and the
// config keys' checks.
#include "auto_failover.h"

#include <gtest/gtest.h>

#include "config_files_fixture.h"

namespace ddb {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kAfter{2000};

PeerHealth Slave(const std::string& name, uint64_t applied, int64_t silent_ms, uint32_t epoch = 1) {
  PeerHealth node;
  node.answered = true;
  node.name = name;
  node.epoch.epoch = epoch;
  node.applied_seq = applied;
  node.received_seq = applied;
  node.master_silent_ms = silent_ms;
  node.auto_failover = true;
  return node;
}

PeerHealth Master(const std::string& name, bool takes_writes, uint32_t epoch = 1) {
  PeerHealth node;
  node.answered = true;
  node.name = name;
  node.role = "master";
  node.master_ok = takes_writes;
  node.epoch.epoch = epoch;
  return node;
}

PeerHealth Silent(const std::string& name) {
  PeerHealth node;
  node.name = name;
  return node;
}

TEST(AutoFailoverDecideTest, TwoSlavesOfThreeNodesThatLostTheMasterPromoteTheMostAdvanced) {
  const PeerHealth self = Slave("slave1", 40, 2500);
  const FailoverDecision behind =
      Decide(self, false, {Silent("master"), Slave("slave2", 41, 2100)}, 3, kAfter);
  EXPECT_FALSE(behind.promote) << behind.reason;
  EXPECT_EQ(behind.votes, 2);
  EXPECT_EQ(behind.needed, 2);
  EXPECT_EQ(behind.chosen, "slave2");

  const FailoverDecision ahead =
      Decide(self, false, {Silent("master"), Slave("slave2", 39, 2100)}, 3, kAfter);
  EXPECT_TRUE(ahead.promote) << ahead.reason;
  EXPECT_NE(ahead.reason.find("2 of 3 configured nodes lost the master"), std::string::npos) << ahead.reason;
}

TEST(AutoFailoverDecideTest, ATieGoesToTheSmallerNameSoBothSlavesPickTheSameOne) {
  const FailoverDecision first =
      Decide(Slave("slave1", 40, 2500), false, {Silent("master"), Slave("slave2", 40, 2500)}, 3, kAfter);
  const FailoverDecision second =
      Decide(Slave("slave2", 40, 2500), false, {Silent("master"), Slave("slave1", 40, 2500)}, 3, kAfter);
  EXPECT_TRUE(first.promote);
  EXPECT_FALSE(second.promote);
  EXPECT_EQ(first.chosen, "slave1");
  EXPECT_EQ(second.chosen, "slave1");
}

TEST(AutoFailoverDecideTest, AnIsolatedSlaveNeverPromotes) {
  // Nobody answers: one vote of three, however long the silence.
  const FailoverDecision decision =
      Decide(Slave("slave1", 40, 60000), false, {Silent("master"), Silent("slave2")}, 3, kAfter);
  EXPECT_FALSE(decision.promote);
  EXPECT_EQ(decision.votes, 1);
  EXPECT_NE(decision.reason.find("no majority"), std::string::npos) << decision.reason;
}

TEST(AutoFailoverDecideTest, ASlaveThatStillHearsTheMasterDoesNotVote) {
  const FailoverDecision decision =
      Decide(Slave("slave1", 40, 3000), false, {Silent("master"), Slave("slave2", 40, 300)}, 3, kAfter);
  EXPECT_FALSE(decision.promote);
  EXPECT_EQ(decision.votes, 1);
}

TEST(AutoFailoverDecideTest, AMasterThatTakesWritesStopsIt) {
  const FailoverDecision alive = Decide(Slave("slave1", 40, 3000), false,
                                        {Master("master", true), Slave("slave2", 40, 3000)}, 3, kAfter);
  EXPECT_FALSE(alive.promote);
  EXPECT_NE(alive.reason.find("master answers as the master"), std::string::npos) << alive.reason;
  // A newer master: follow it.
  const FailoverDecision newer =
      Decide(Slave("slave1", 40, 3000), false, {Silent("master"), Master("slave2", false, 2)}, 3, kAfter);
  EXPECT_FALSE(newer.promote);
  EXPECT_NE(newer.reason.find("newer epoch"), std::string::npos) << newer.reason;
  // A fenced or MySQL-less master of this epoch takes no writes: no vote,
  // no veto.
  const FailoverDecision fenced = Decide(Slave("slave1", 40, 3000), false,
                                         {Master("master", false), Slave("slave2", 30, 3000)}, 3, kAfter);
  EXPECT_TRUE(fenced.promote) << fenced.reason;
}

TEST(AutoFailoverDecideTest, NothingIsAskedOrDecidedWhileLinkedOrBeforeTheSilenceIsLongEnough) {
  const std::vector<PeerHealth> peers{Silent("master"), Slave("slave2", 40, 9000)};
  EXPECT_EQ(Decide(Slave("slave1", 40, 9000), true, peers, 3, kAfter).votes, 0);
  EXPECT_EQ(Decide(Slave("slave1", 40, 1999), false, peers, 3, kAfter).votes, 0);
  EXPECT_TRUE(Decide(Slave("slave1", 40, 2000), false, peers, 3, kAfter).promote);
}

TEST(AutoFailoverDecideTest, SlavesThatNeverFollowedAMasterNeitherPromoteNorVote) {
  // A cluster starting with its master not up yet: silent since the
  // slaves started, but there is no master to replace.
  const FailoverDecision fresh =
      Decide(Slave("slave1", 0, 9000, 0), false, {Silent("master"), Slave("slave2", 0, 9000, 0)}, 3, kAfter);
  EXPECT_FALSE(fresh.promote);
  EXPECT_NE(fresh.reason.find("never followed a master"), std::string::npos) << fresh.reason;
  const FailoverDecision one =
      Decide(Slave("slave1", 5, 9000), false, {Silent("master"), Slave("slave2", 0, 9000, 0)}, 3, kAfter);
  EXPECT_FALSE(one.promote);
  EXPECT_EQ(one.votes, 1);
}

TEST(AutoFailoverDecideTest, AVoterStillApplyingWhatItReceivedIsWaitedFor) {
  PeerHealth applying = Slave("slave2", 30, 3000);
  applying.received_seq = 45;
  const FailoverDecision decision =
      Decide(Slave("slave1", 40, 3000), false, {Silent("master"), applying}, 3, kAfter);
  EXPECT_FALSE(decision.promote);
  EXPECT_NE(decision.reason.find("waiting for slave2 to apply up to #45"), std::string::npos)
      << decision.reason;
}

TEST(AutoFailoverDecideTest, ASlaveWithoutAutoFailoverVotesButIsNotChosen) {
  PeerHealth manual = Slave("slave0", 90, 3000);
  manual.auto_failover = false;
  const FailoverDecision decision =
      Decide(Slave("slave1", 40, 3000), false, {Silent("master"), manual}, 3, kAfter);
  EXPECT_TRUE(decision.promote) << decision.reason;
  EXPECT_EQ(decision.votes, 2);
}

TEST(AutoFailoverDecideTest, FiveNodesNeedThreeVotes) {
  const std::vector<PeerHealth> two{Silent("master"), Slave("slave2", 1, 3000), Silent("slave3"),
                                    Silent("slave4")};
  EXPECT_FALSE(Decide(Slave("slave1", 1, 3000), false, two, 5, kAfter).promote);
  const std::vector<PeerHealth> three{Silent("master"), Slave("slave2", 1, 3000), Slave("slave3", 1, 3000),
                                      Silent("slave4")};
  EXPECT_TRUE(Decide(Slave("slave1", 1, 3000), false, three, 5, kAfter).promote);
}

TEST(AutoFailoverDecideTest, SelfIsSilentSinceTheDaemonStartedWhenItNeverHeardTheMaster) {
  SlaveStatusSnapshot status;
  status.started_at_micros = 1'000'000;
  EXPECT_EQ(SelfAsPeer("slave1", status, 4'000'000).master_silent_ms, 3000);
  status.master_heard_at_micros = 3'500'000;
  EXPECT_EQ(SelfAsPeer("slave1", status, 4'000'000).master_silent_ms, 500);
}

class AutoFailoverConfigTest : public ConfigFilesTest {
 protected:
  std::string Load(const std::string& extra) {
    SlaveConfig config;
    const std::string path = Write("s.ini",
                                   "node_name = slave1\ncluster_secret = \"a-long-enough-secret\"\n"
                                   "heartbeat_timeout_ms = 3000\n" +
                                       extra);
    return LoadSlave(path, &config).status.message();
  }
};

TEST_F(AutoFailoverConfigTest, IsOffByDefaultAndOnNeedsMasterConfigPeersAndASilenceLongerThanTheHeartbeat) {
  SlaveConfig defaults;
  ASSERT_TRUE(
      LoadSlave(Write("d.ini", "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\n"), &defaults)
          .status.ok());
  EXPECT_FALSE(defaults.auto_failover);
  EXPECT_EQ(defaults.failover_after_ms, 5000);

  const std::string bare = Load("auto_failover = on\n");
  EXPECT_NE(bare.find("key 'master_config' is missing"), std::string::npos) << bare;
  EXPECT_NE(bare.find("key 'seed_sources' is missing"), std::string::npos) << bare;

  const std::string peers =
      "master_config = m.ini\nmaster_http_address = 127.0.0.1:8080\nseed_sources = slave2=127.0.0.1:8082\n";
  EXPECT_EQ(Load("auto_failover = on\n" + peers), "");
  const std::string quick = Load("auto_failover = on\nfailover_after_ms = 3000\n" + peers);
  EXPECT_NE(
      quick.find("s.ini: key 'failover_after_ms': 3000 must be larger than heartbeat_timeout_ms (3000)"),
      std::string::npos)
      << quick;
  // Off, the keys are not checked.
  EXPECT_EQ(Load("auto_failover = off\nfailover_after_ms = 3000\n"), "");
}

}  // namespace
}  // namespace ddb
