// Replay gives the master's result: auto-increment values, the clock, RAND(),
// user variables and LAST_INSERT_ID() travel with each statement, and
// statements that cannot replay the same way are refused.
#include <gtest/gtest.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class DeterminismTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster();
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
    cluster_->SqlAndWait(
        "CREATE DATABASE d;\n"
        "USE d;\n"
        "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64), r DOUBLE, "
        "at DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6), parent INT);");
  }

  void ExpectEqualEverywhere() {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60))) << cluster_->SlaveLog(0) << cluster_->SlaveLog(1);
    cluster_->ExpectTableEqualEverywhere("d", "t");
  }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(DeterminismTest, AutoIncrementValuesSurviveRolledBackInsertsOnTheMaster) {
  cluster_->SqlAndWait(
      "BEGIN;\n"
      "INSERT INTO t (v) VALUES ('rolled back 1'), ('rolled back 2');\n"
      "ROLLBACK;\n"
      "INSERT INTO t (v) VALUES ('kept'), ('kept too');\n"
      "INSERT INTO t (v) VALUES ('last');");
  ASSERT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM d.t"), "3,4,5");
  ExpectEqualEverywhere();
}

TEST_F(DeterminismTest, RandUserVariablesAndLastInsertIdReplayToTheMastersValues) {
  cluster_->SqlAndWait(
      "SET @name = 'from a user variable', @n = 42;\n"
      "INSERT INTO t (v, r) VALUES (@name, @n);\n"
      "INSERT INTO t (v, r) VALUES ('random', RAND());\n"
      "INSERT INTO t (v, r) VALUES ('random twice', RAND() + RAND());\n"
      "INSERT INTO t (v, parent) VALUES ('child', LAST_INSERT_ID());");
  ASSERT_EQ(cluster_->master_db().QueryValue("SELECT parent FROM d.t WHERE v = 'child'"), "3");
  ExpectEqualEverywhere();
}

TEST_F(DeterminismTest, AnOfflineSlaveReplaysTheMastersClockLater) {
  cluster_->StopSlave(1);
  cluster_->SqlAndWait("INSERT INTO t (v) VALUES ('stamped');\nUPDATE t SET v = CONCAT(v, ' at ', NOW(6));");
  // The slave replays after the clock has moved on.
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster_->master_db().QueryValue("SELECT TIMESTAMPDIFF(MICROSECOND, MAX(at), NOW(6)) > 200000 "
                                                "FROM d.t") == "1";
      },
      seconds(10)));
  cluster_->StartSlave(1);
  ExpectEqualEverywhere();
}

TEST_F(DeterminismTest, StatementsThatCannotReplayTheSameAreRefusedWithTheReason) {
  cluster_->SqlAndWait(
      "INSERT INTO t (v) VALUES ('a'), ('b'), ('c');\n"
      "INSERT INTO t (v) VALUES (UUID());\n"
      "UPDATE t SET v = 'x' LIMIT 1;\n"
      "UPDATE t SET v = 'y' ORDER BY id LIMIT 1;");
  const std::string out = cluster_->MasterConsoleOutput();
  EXPECT_NE(out.find("unsafe for replication: UUID() gives a different value"), std::string::npos) << out;
  EXPECT_NE(out.find("UPDATE with LIMIT but no ORDER BY"), std::string::npos) << out;
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM d.t"), "3");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(v ORDER BY id) FROM d.t"), "y,b,c");
  ExpectEqualEverywhere();
}

}  // namespace
}  // namespace ddb::testing
