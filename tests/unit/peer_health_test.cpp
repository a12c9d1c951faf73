// What a node takes from a peer's /health (ddb/daemon/peer_health.h),
// without any peer: the answers the daemons give, and the ones a peer of
// another version or a hostile one might give.
#include "ddb/daemon/peer_health.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(PeerHealthTest, AMasterThatTakesWritesIsMasterOk) {
  const PeerHealth health = ParsePeerHealth(
      200, R"({"status":"ok","role":"master","name":"m1","epoch":{"epoch":3,"first_seq":70,"node":"m1"}})");
  EXPECT_TRUE(health.answered);
  EXPECT_EQ(health.http_status, 200);
  EXPECT_EQ(health.name, "m1");
  EXPECT_TRUE(health.master());
  EXPECT_TRUE(health.master_ok);
  EXPECT_FALSE(health.master_mysql_down);
  EXPECT_EQ(health.epoch, (EpochStart{3, 70, "m1"}));
}

TEST(PeerHealthTest, AFencedMasterIsNotMasterOkEvenWith200) {
  const PeerHealth health = ParsePeerHealth(200, R"({"status":"ok","role":"master","fenced":"epoch 4"})");
  EXPECT_TRUE(health.master());
  EXPECT_FALSE(health.master_ok);
}

TEST(PeerHealthTest, AMasterWithoutItsMySqlIsMySqlDown) {
  const PeerHealth health = ParsePeerHealth(503, R"({"status":"unavailable","role":"master"})");
  EXPECT_TRUE(health.master());
  EXPECT_FALSE(health.master_ok);
  EXPECT_TRUE(health.master_mysql_down);
}

TEST(PeerHealthTest, ASlaveGivesItsPositionAndSilence) {
  const PeerHealth health = ParsePeerHealth(
      200, R"({"status":"ok","role":"slave","name":"s2","applied_seq":41,"received_seq":43,)"
           R"("master_silent_ms":2100,"auto_failover":true,"epoch":{"epoch":1,"first_seq":1,"node":"m1"}})");
  EXPECT_EQ(health.role, "slave");
  EXPECT_FALSE(health.master());
  EXPECT_FALSE(health.master_ok);
  EXPECT_EQ(health.applied_seq, 41u);
  EXPECT_EQ(health.received_seq, 43u);
  EXPECT_EQ(health.master_silent_ms, 2100);
  EXPECT_TRUE(health.auto_failover);
  EXPECT_EQ(health.epoch.epoch, 1u);
}

TEST(PeerHealthTest, AnOlderSlaveWithoutEpochOrSilenceReportsNone) {
  const PeerHealth health = ParsePeerHealth(200, R"({"status":"ok","role":"slave","applied_seq":5})");
  EXPECT_EQ(health.epoch.epoch, 0u);
  EXPECT_FALSE(health.master_silent_ms.has_value());
  EXPECT_EQ(health.applied_seq, 5u);
}

TEST(PeerHealthTest, ABodyThatIsNotJsonIsAnAnswerThatSaysNothing) {
  const PeerHealth health = ParsePeerHealth(200, "<html>not ddb</html>");
  EXPECT_TRUE(health.answered);
  EXPECT_EQ(health.http_status, 200);
  EXPECT_TRUE(health.role.empty());
  EXPECT_EQ(health.epoch.epoch, 0u);
}

TEST(PeerHealthTest, AFieldOfTheWrongTypeLeavesTheRestAtTheirDefaultsAndNeverThrows) {
  const PeerHealth health =
      ParsePeerHealth(200, R"({"name":"s2","role":"slave","applied_seq":"many","auto_failover":true})");
  EXPECT_EQ(health.name, "s2");
  EXPECT_EQ(health.role, "slave");
  EXPECT_EQ(health.applied_seq, 0u);
  EXPECT_FALSE(health.auto_failover);

  const PeerHealth bad_role = ParsePeerHealth(200, R"({"role":7,"epoch":{"epoch":9}})");
  EXPECT_FALSE(bad_role.master());
  EXPECT_EQ(bad_role.epoch.epoch, 9u);
}

TEST(PeerHealthTest, NothingListeningIsNoAnswerWithTheReason) {
  // Port 1 on loopback: nothing listens there.
  const PeerHealth health = AskPeerHealth("127.0.0.1", 1, std::chrono::milliseconds(500), nullptr);
  EXPECT_FALSE(health.answered);
  EXPECT_EQ(health.http_status, 0);
  EXPECT_FALSE(health.failure.empty());
}

TEST(PeerHealthTest, WithoutACaFileNoPeerTlsContext) {
  std::shared_ptr<ssl::context> context;
  ASSERT_TRUE(MakePeerTlsContext("node.ini", {"", "", ""}, &context).ok());
  EXPECT_EQ(context, nullptr);
}

}  // namespace
}  // namespace ddb
