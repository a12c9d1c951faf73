// Transactions replay as MySQL ran them: one record per COMMIT, nothing for
// ROLLBACK, savepoints, autocommit=0 sessions and implicit commits.
#include <gtest/gtest.h>

#include <set>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class TransactionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster();
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
    cluster_->SqlAndWait("CREATE DATABASE x;\nUSE x;\nCREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20));");
    // SqlAndWait waits for the master only: a test that reads a slave at once
    // (ASlaveNeverShowsHalfATransaction polls it) needs the table there first.
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)));
    base_ = cluster_->MasterLastSeq();
  }

  void ExpectEqualEverywhere() {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)));
    cluster_->ExpectTableEqualEverywhere("x", "t");
  }

  std::string Ids() {
    return cluster_->slave_db(0).QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM x.t");
  }

  std::unique_ptr<Cluster> cluster_;
  uint64_t base_ = 0;
};

TEST_F(TransactionsTest, SavepointsReplayWhatSurvivedOnTheMaster) {
  cluster_->SqlAndWait(
      "BEGIN;\n"
      "INSERT INTO t VALUES (1, 'kept');\n"
      "SAVEPOINT a;\n"
      "INSERT INTO t VALUES (2, 'undone');\n"
      "ROLLBACK TO SAVEPOINT a;\n"
      "INSERT INTO t VALUES (3, 'kept');\n"
      "RELEASE SAVEPOINT a;\n"
      "COMMIT;");
  EXPECT_EQ(cluster_->MasterLastSeq(), base_ + 1) << "one COMMIT, one record";
  ExpectEqualEverywhere();
  EXPECT_EQ(Ids(), "1,3");
}

TEST_F(TransactionsTest, AProcedureThatFailsPartWayLeavesNothingAndTheTransactionGoesOn) {
  // MariaDB keeps what a failing procedure wrote before its error, and a
  // failed CALL is not logged: ddb undoes those writes (sql_session.h).
  const std::string out = cluster_->SqlOutput(
      "DELIMITER //\n"
      "CREATE PROCEDURE half(IN i INT) BEGIN INSERT INTO t VALUES (i, 'half'); "
      "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'stop halfway'; END//\n"
      "DELIMITER ;\n"
      "BEGIN;\n"
      "INSERT INTO t VALUES (1, 'kept');\n"
      "CALL half(2);\n"
      "INSERT INTO t VALUES (3, 'kept');\n"
      "COMMIT;\n"
      "CALL half(4);");
  EXPECT_NE(out.find("stop halfway"), std::string::npos) << out;
  EXPECT_EQ(out.find("rolled back"), std::string::npos) << "the transaction went on: " << out;
  ExpectEqualEverywhere();
  EXPECT_EQ(Ids(), "1,3");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM x.t"), "1,3");
}

TEST_F(TransactionsTest, AutocommitOffSessionsShipAtCommitAndNothingOnRollback) {
  cluster_->SqlAndWait(
      "SET autocommit = 0;\n"
      "INSERT INTO t VALUES (1, 'a');\n"
      "INSERT INTO t VALUES (2, 'b');\n"
      "COMMIT;\n"
      "INSERT INTO t VALUES (3, 'never');\n"
      "ROLLBACK;\n"
      "UPDATE t SET v = 'c' WHERE id = 2;\n"
      "SET autocommit = 1;\n"  // commits the open transaction, as MySQL does
      "INSERT INTO t VALUES (4, 'd');");
  EXPECT_EQ(cluster_->MasterLastSeq(), base_ + 3);
  ExpectEqualEverywhere();
  EXPECT_EQ(Ids(), "1,2,4");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT v FROM x.t WHERE id = 2"), "c");
}

TEST_F(TransactionsTest, DdlInsideATransactionCommitsItFirstAsMySqlDoes) {
  cluster_->SqlAndWait(
      "BEGIN;\n"
      "INSERT INTO t VALUES (1, 'before ddl');\n"
      "CREATE TABLE u (id INT PRIMARY KEY);\n"    // implicit commit of the insert; the transaction ends
      "INSERT INTO t VALUES (2, 'after ddl');\n"  // autocommit again
      "ROLLBACK;");                               // nothing left to roll back
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM x.t"), "1,2");
  EXPECT_EQ(cluster_->MasterLastSeq(), base_ + 3) << "the implicit commit, the DDL, the autocommit insert";
  ExpectEqualEverywhere();
  EXPECT_EQ(Ids(), "1,2");
  cluster_->ExpectTableEqualEverywhere("x", "u");
}

TEST_F(TransactionsTest, BeginInsideATransactionCommitsTheFirst) {
  cluster_->SqlAndWait(
      "BEGIN;\n"
      "INSERT INTO t VALUES (1, 'first');\n"
      "START TRANSACTION;\n"
      "INSERT INTO t VALUES (2, 'second');\n"
      "ROLLBACK;");
  EXPECT_EQ(cluster_->MasterLastSeq(), base_ + 1);
  ExpectEqualEverywhere();
  EXPECT_EQ(Ids(), "1");
}

TEST_F(TransactionsTest, ASlaveNeverShowsHalfATransaction) {
  // A reader on the slave polls while a 200-row transaction is applied: it
  // sees 0 rows or 200, never a part.
  std::string big = "BEGIN;\n";
  for (int i = 1; i <= 200; ++i) big += "INSERT INTO t VALUES (" + std::to_string(i) + ", 'row');\n";
  big += "COMMIT;";
  cluster_->SqlInBackground(big);
  std::set<std::string> seen;
  WaitFor(
      [&] {
        seen.insert(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM x.t"));
        return seen.count("200") > 0;
      },
      seconds(60), std::chrono::milliseconds(1));
  for (const std::string& count : seen)
    EXPECT_TRUE(count == "0" || count == "200") << "saw " << count << " rows";
  ExpectEqualEverywhere();
}

}  // namespace
}  // namespace ddb::testing
