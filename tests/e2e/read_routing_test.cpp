// Reads at the master console go to the slaves, round robin, and never miss
// the session's own last write.
#include <gtest/gtest.h>
#include <signal.h>

#include <cppconn/connection.h>
#include <cppconn/statement.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ReadRoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster({"--read_your_writes_wait_ms", "300"});
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
    cluster_->SqlAndWait(
        "CREATE DATABASE r;\nUSE r;\nCREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1);");
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
    // Both slaves online in the master's eyes (acks are asynchronous).
    ASSERT_TRUE(WaitFor(
        [&] {
          cluster_->SqlAndWait("\\slaves");
          const std::string out = cluster_->MasterConsoleOutput();
          const std::string last = out.substr(out.rfind("| slave "));
          return last.find("| slave1 | online") != std::string::npos &&
                 last.find("| slave2 | online") != std::string::npos;
        },
        seconds(20), milliseconds(200)));
  }

  std::string Run(const std::string& sql) { return cluster_->SqlOutput(sql); }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(ReadRoutingTest, ReadsReachBothSlavesAndSayWhichNodeAnswered) {
  // Three reads in a row: round robin over two slaves shows both.
  const std::string out = Run("SELECT COUNT(*) AS n FROM t;\nSELECT COUNT(*) AS n FROM t;\nSELECT 1 AS one;");
  EXPECT_NE(out.find("1 row in set (slave1, "), std::string::npos) << out;
  EXPECT_NE(out.find("1 row in set (slave2, "), std::string::npos) << out;
  EXPECT_NE(Run("SHOW TABLES;").find("(slave"), std::string::npos);
  // Reads that depend on this session stay on the master.
  EXPECT_EQ(Run("SELECT @@session.sql_mode;").find("(slave"), std::string::npos);
  EXPECT_EQ(Run("BEGIN;\nSELECT * FROM t;\nCOMMIT;").find("(slave"), std::string::npos);
  EXPECT_NE(Run("\\read_from master\nSELECT * FROM t;").find("1 row in set (0."), std::string::npos);
}

TEST_F(ReadRoutingTest, LaggingSlaveNeverServesAReadThatMissesTheSessionsWrite) {
  // Hold slave2's applier back: a lock on the table it must write.
  std::unique_ptr<sql::Connection> blocker = cluster_->slave_db(1).Connect("r");
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  lock->execute("LOCK TABLES t WRITE");
  for (int i = 2; i <= 7; ++i) {
    const std::string out =
        Run("INSERT INTO t VALUES (" + std::to_string(i) + ");\nSELECT COUNT(*) AS n FROM t;");
    EXPECT_NE(out.find("| " + std::to_string(i) + " |"), std::string::npos) << "a read missed the write:\n"
                                                                            << out;
    EXPECT_EQ(out.find("(slave2, "), std::string::npos) << "the lagging slave answered:\n" << out;
  }
  // With slave1 gone too, no slave has the write: the master answers.
  cluster_->StopSlave(0);
  const std::string out = Run("INSERT INTO t VALUES (8);\nSELECT COUNT(*) AS n FROM t;");
  EXPECT_NE(out.find("| 8 |"), std::string::npos) << out;
  EXPECT_NE(out.find("(master, "), std::string::npos) << out;
  lock->execute("UNLOCK TABLES");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30), {1}));
}

TEST_F(ReadRoutingTest, StalledSlaveGetsNoReadsAndTheUserSeesOneAnswer) {
  ASSERT_TRUE(cluster_->slave_process(1)->Signal(SIGSTOP));
  // Before and after the master notices, every read has one right answer.
  for (int i = 0; i < 6; ++i) {
    const std::string out = Run("SELECT COUNT(*) AS n FROM t;");
    EXPECT_NE(out.find("| 1 |"), std::string::npos) << out;
    EXPECT_EQ(out.find("ERROR"), std::string::npos) << out;
  }
  ASSERT_TRUE(WaitFor([&] { return cluster_->MasterLog().find("no heartbeat for") != std::string::npos; },
                      seconds(10)));
  std::string out;
  for (int i = 0; i < 4; ++i) out += Run("SELECT COUNT(*) AS n FROM t;");
  EXPECT_EQ(out.find("(slave2, "), std::string::npos) << out;
  ASSERT_TRUE(cluster_->slave_process(1)->Signal(SIGCONT));
}

}  // namespace
}  // namespace ddb::testing
