// sync_slaves = N: a write returns only once N slaves applied it; without
// them it returns after sync_timeout_ms with a warning, and the master stays
// asynchronous (degraded) until enough slaves are back.
#include <gtest/gtest.h>

#include <regex>

#include <cppconn/connection.h>
#include <cppconn/statement.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class SyncReplicationTest : public ::testing::Test {
 protected:
  void StartCluster(std::vector<std::string> master_args) {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster(std::move(master_args));
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
    cluster_->SqlAndWait("CREATE DATABASE s;\nCREATE TABLE s.t (id INT PRIMARY KEY, v VARCHAR(20));");
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  }

  std::string RowsOn(int slave) { return cluster_->slave_db(slave).QueryValue("SELECT COUNT(*) FROM s.t"); }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(SyncReplicationTest, WriteReturnsOnlyOnceBothSlavesAppliedIt) {
  StartCluster({"--sync_slaves", "2"});
  EXPECT_NE(cluster_->SqlOutput("\\sync_slaves").find("wait for 2 slave(s)"), std::string::npos);
  // Checked at once after each write returns: no waiting in the test.
  for (int i = 1; i <= 20; ++i) {
    const std::string out = cluster_->SqlOutput("INSERT INTO s.t VALUES (" + std::to_string(i) + ", 'x');");
    EXPECT_EQ(out.find("Warning"), std::string::npos) << out;
    EXPECT_EQ(RowsOn(0), std::to_string(i)) << "slave1 after write " << i;
    EXPECT_EQ(RowsOn(1), std::to_string(i)) << "slave2 after write " << i;
  }
  // A slave that cannot apply holds the write: committed on the master, but
  // the console does not return until the slave applied it.
  auto blocker = cluster_->slave_db(1).Connect();
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  lock->execute("LOCK TABLES s.t READ");
  cluster_->Sql("INSERT INTO s.t VALUES (100, 'held');\nSELECT 'held-write-returned' AS marker;");
  ASSERT_TRUE(WaitFor([&] { return cluster_->master_db().QueryValue("SELECT COUNT(*) FROM s.t") == "21"; },
                      seconds(10)));
  EXPECT_FALSE(cluster_->WaitForMasterOutput("held-write-returned", std::chrono::milliseconds(1500)))
      << "the write returned before slave2 applied it";
  lock->execute("UNLOCK TABLES");
  ASSERT_TRUE(cluster_->WaitForMasterOutput("held-write-returned", seconds(10)));
  EXPECT_EQ(RowsOn(1), "21");
  cluster_->SqlAndWait("DELETE FROM s.t WHERE id = 100;");

  // A transaction waits at COMMIT; an UPDATE's effect, not just its row count.
  cluster_->SqlOutput(
      "BEGIN;\nUPDATE s.t SET v = 'committed' WHERE id <= 10;\nINSERT INTO s.t VALUES (21, 'y');\nCOMMIT;");
  for (int slave = 0; slave < 2; ++slave) {
    EXPECT_EQ(cluster_->slave_db(slave).QueryValue("SELECT COUNT(*) FROM s.t WHERE v = 'committed'"), "10");
    EXPECT_EQ(RowsOn(slave), "21");
  }
  // DDL waits too.
  cluster_->SqlOutput("ALTER TABLE s.t ADD COLUMN w INT DEFAULT 3;");
  for (int slave = 0; slave < 2; ++slave) {
    EXPECT_EQ(cluster_->slave_db(slave).QueryValue("SELECT SUM(w) FROM s.t"), "63");
  }
}

TEST_F(SyncReplicationTest, MissingSlaveTimesOutToDegradedModeUntilItCatchesUp) {
  StartCluster({"--sync_slaves", "2", "--sync_timeout_ms", "1000"});
  cluster_->StopSlave(1);

  const std::string first = cluster_->SqlOutput("INSERT INTO s.t VALUES (1, 'a');");
  EXPECT_NE(first.find("only 1 slave(s) applied"), std::string::npos) << first;
  EXPECT_NE(first.find("degraded"), std::string::npos) << first;
  EXPECT_NE(cluster_->SqlOutput("\\status").find("DEGRADED (asynchronous)"), std::string::npos);
  // Degraded: writes no longer wait, and say nothing more.
  const std::string second =
      cluster_->SqlOutput("INSERT INTO s.t VALUES (2, 'b');\nINSERT INTO s.t VALUES (3, 'c');");
  EXPECT_EQ(second.find("only 1 slave(s)"), std::string::npos) << second;
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM s.t"), "3");
  EXPECT_NE(cluster_->MasterLog().find("asynchronous until they catch up"), std::string::npos);

  // The slave returns and catches up: the next write is synchronous again.
  cluster_->StartSlave(1);
  // Caught up in the master's eyes: its ack arrived (behind = 0).
  const std::regex slave2_caught_up(R"(\| slave2 +\| online +\| +\d+ \| +0 \|)");
  ASSERT_TRUE(WaitFor([&] { return std::regex_search(cluster_->SqlOutput("\\slaves"), slave2_caught_up); },
                      seconds(30)));
  const std::string back = cluster_->SqlOutput("INSERT INTO s.t VALUES (4, 'd');");
  EXPECT_EQ(back.find("Warning"), std::string::npos) << back;
  EXPECT_EQ(RowsOn(0), "4");
  EXPECT_EQ(RowsOn(1), "4");
  EXPECT_EQ(cluster_->SqlOutput("\\status").find("DEGRADED"), std::string::npos);
  EXPECT_NE(cluster_->MasterLog().find("writes wait for them again"), std::string::npos);

  // The console command changes it; more than the configured slaves is refused.
  EXPECT_NE(cluster_->SqlOutput("\\sync_slaves 3").find("between 0 and the number of configured slaves (2)"),
            std::string::npos);
  EXPECT_NE(cluster_->SqlOutput("\\sync_slaves 0").find("off (asynchronous)"), std::string::npos);
}

}  // namespace
}  // namespace ddb::testing
