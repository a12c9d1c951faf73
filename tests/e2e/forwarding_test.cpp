// Writes typed at a slave console (forward_writes = true) run on the master,
// are logged and replicated like any write, and the console returns once its
// own slave applied them, so its next SELECT sees them.
#include <gtest/gtest.h>

#include <cppconn/connection.h>
#include <cppconn/statement.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class ForwardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster();
    cluster_->StartSlave(0, {}, /*console=*/true);
    cluster_->StartSlave(1);
    cluster_->SqlAndWait(
        "CREATE DATABASE f;\nCREATE TABLE f.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(50));\n"
        "INSERT INTO f.t (v) VALUES ('from master');");
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
    // The slave console forwards only once its link is up.
    ASSERT_TRUE(
        WaitFor([&] { return cluster_->SlaveSqlOutput(0, "\\status").find("online") != std::string::npos; },
                seconds(20)));
  }

  std::string MasterValue(const std::string& sql) { return cluster_->master_db().QueryValue(sql); }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(ForwardingTest, WriteRunsOnTheMasterAndTheSlaveConsoleReadsItAtOnce) {
  const uint64_t seq_before = cluster_->MasterLastSeq();
  // The SELECT right after the INSERT runs on slave1's own MySQL.
  const std::string out = cluster_->SlaveSqlOutput(
      0, "USE f;\nINSERT INTO t (v) VALUES ('from slave1');\nSELECT v FROM t ORDER BY id;");
  EXPECT_NE(out.find("Query OK, 1 row affected (master, "), std::string::npos) << out;
  EXPECT_NE(out.find("| from slave1 |"), std::string::npos) << out;
  EXPECT_NE(out.find("2 rows in set"), std::string::npos) << out;
  // Logged on the master as one record, and replicated to every slave.
  EXPECT_EQ(MasterValue("SELECT v FROM f.t WHERE id = 2"), "from slave1");
  EXPECT_EQ(cluster_->MasterLastSeq(), seq_before + 1);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  cluster_->ExpectTableEqualEverywhere("f", "t");

  // Read-your-writes even when this slave is slow to apply: with its applier
  // held by a table lock, the console waits, and the SELECT after the write
  // still sees it.
  auto blocker = cluster_->slave_db(0).Connect();
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  lock->execute("LOCK TABLES f.t READ");
  cluster_->SlaveSql(0, "INSERT INTO t (v) VALUES ('slow apply');\nSELECT v FROM t WHERE v = 'slow apply';");
  ASSERT_TRUE(WaitFor([&] { return MasterValue("SELECT COUNT(*) FROM f.t WHERE v = 'slow apply'") == "1"; },
                      seconds(10)));
  lock->execute("UNLOCK TABLES");
  EXPECT_TRUE(
      WaitFor([&] { return cluster_->SlaveConsoleOutput(0).find("| slow apply |") != std::string::npos; },
              seconds(10)))
      << cluster_->SlaveConsoleOutput(0);

  // The slave's own session stays read-only: nothing ran locally.
  EXPECT_NE(cluster_->SlaveSqlOutput(0, "UPDATE f.t SET v = 'changed' WHERE id = 1;")
                .find("1 row affected (master"),
            std::string::npos);
  EXPECT_EQ(MasterValue("SELECT v FROM f.t WHERE id = 1"), "changed");
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT v FROM f.t WHERE id = 1"), "changed");
}

TEST_F(ForwardingTest, MasterErrorsComeBackAsMySqlErrors) {
  const std::string duplicate = cluster_->SlaveSqlOutput(0, "INSERT INTO f.t VALUES (1, 'again');");
  EXPECT_NE(duplicate.find("ERROR 1062 (23000): Duplicate entry '1' for key 'PRIMARY'"), std::string::npos)
      << duplicate;
  const std::string missing = cluster_->SlaveSqlOutput(0, "DELETE FROM f.nope;");
  EXPECT_NE(missing.find("ERROR 1146 (42S02)"), std::string::npos) << missing;
  // Refused by ddb on the master, with the reason.
  const std::string unsafe = cluster_->SlaveSqlOutput(0, "INSERT INTO f.t (v) VALUES (UUID());");
  EXPECT_NE(unsafe.find("UUID()"), std::string::npos) << unsafe;
  // Schema changes stay refused on slaves.
  const std::string ddl = cluster_->SlaveSqlOutput(0, "CREATE TABLE f.u (id INT);");
  EXPECT_NE(ddl.find("schema changes are made at the master"), std::string::npos) << ddl;
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t"), "1");
}

TEST_F(ForwardingTest, TransactionsAndUserVariablesMeanWhatTheyMeanOnTheMaster) {
  // Inside a forwarded transaction reads go to the master and see its writes.
  std::string out = cluster_->SlaveSqlOutput(
      0, "BEGIN;\nINSERT INTO f.t (v) VALUES ('rolled back');\nSELECT COUNT(*) AS n FROM f.t;\nROLLBACK;");
  EXPECT_NE(out.find("| 2 |"), std::string::npos) << out;
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t"), "1");

  const uint64_t seq_before = cluster_->MasterLastSeq();
  out =
      cluster_->SlaveSqlOutput(0,
                               "START TRANSACTION;\nINSERT INTO f.t (v) VALUES ('a');\n"
                               "INSERT INTO f.t (v) VALUES ('b');\nCOMMIT;\nSELECT COUNT(*) AS n FROM f.t;");
  EXPECT_NE(out.find("| 3 |"), std::string::npos) << out;  // applied here before COMMIT returned
  EXPECT_EQ(cluster_->MasterLastSeq(), seq_before + 1) << "one transaction, one record";

  out = cluster_->SlaveSqlOutput(0, "SET @who = 'variable';\nINSERT INTO f.t (v) VALUES (@who);");
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t WHERE v = 'variable'"), "1") << out;
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  cluster_->ExpectTableEqualEverywhere("f", "t");
}

TEST_F(ForwardingTest, ForwardWritesFalseRefusesWritesAndSaysWhy) {
  cluster_->StopSlave(0);
  cluster_->StartSlave(0, {"--forward_writes", "false"}, /*console=*/true);
  const std::string out = cluster_->SlaveSqlOutput(0, "INSERT INTO f.t (v) VALUES ('no');");
  EXPECT_NE(out.find("slaves are read-only"), std::string::npos) << out;
  EXPECT_NE(out.find("forward_writes = false"), std::string::npos) << out;
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t"), "1");
}

}  // namespace
}  // namespace ddb::testing
