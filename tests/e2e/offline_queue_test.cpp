// A slave that is offline loses nothing; a master restarted in the middle of
// a stream neither loses nor doubles a record.
#include <gtest/gtest.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

std::string Inserts(int first, int count) {
  std::string sql;
  for (int i = first; i < first + count; ++i) {
    sql += "INSERT INTO q.t (id, v) VALUES (" + std::to_string(i) + ", 'row " + std::to_string(i) + "');\n";
  }
  return sql;
}

class OfflineQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    // A small memory window, so a slave that was away is fed from the log
    // table, the path a real backlog takes.
    cluster_->StartMaster({"--recent_records", "50"});
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
    cluster_->SqlAndWait("CREATE DATABASE q;\nCREATE TABLE q.t (id INT PRIMARY KEY, v VARCHAR(20));");
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(OfflineQueueTest, StoppedSlaveCatchesUpOnThousandWrites) {
  cluster_->StopSlave(1);
  const uint64_t before = cluster_->SlaveSeq(1);
  cluster_->SqlAndWait(Inserts(1, 1000));
  ASSERT_EQ(cluster_->MasterLastSeq(), before + 1000);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60), {0}));
  EXPECT_EQ(cluster_->SlaveSeq(1), before) << "a stopped slave must not move";

  cluster_->StartSlave(1);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(120))) << cluster_->SlaveLog(1);
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT COUNT(*) FROM q.t"), "1000");
  cluster_->ExpectTableEqualEverywhere("q", "t");
}

TEST_F(OfflineQueueTest, MasterRestartedMidStreamLosesAndDoublesNothing) {
  cluster_->StopSlave(0);
  cluster_->StopSlave(1);
  cluster_->SqlAndWait(Inserts(1, 2000));
  const uint64_t last = cluster_->MasterLastSeq();
  cluster_->StartSlave(0);
  cluster_->StartSlave(1);
  // Restart the master while both slaves are part-way through the backlog.
  ASSERT_TRUE(WaitFor([&] { return cluster_->SlaveSeq(0) > 3 || cluster_->SlaveSeq(1) > 3; }, seconds(60)));
  cluster_->KillMaster();
  EXPECT_LT(std::min(cluster_->SlaveSeq(0), cluster_->SlaveSeq(1)), last)
      << "the stream finished before the master was killed; the test proves less than it should";
  cluster_->StartMaster({"--recent_records", "50"});
  cluster_->SqlAndWait(Inserts(2001, 10));
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(120)))
      << cluster_->SlaveLog(0) << cluster_->SlaveLog(1);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT COUNT(*) FROM q.t"), "2010");
  }
  cluster_->ExpectTableEqualEverywhere("q", "t");
}

TEST_F(OfflineQueueTest, MasterKilledWhileWritingKeepsExactlyWhatCommitted) {
  cluster_->SqlInBackground(Inserts(1, 3000));
  ASSERT_TRUE(WaitFor([&] { return cluster_->MasterLastSeq() > 300; }, seconds(60)));
  cluster_->KillMaster();
  // Every row the master committed is in its log, and nothing else is.
  const std::string rows = cluster_->master_db().QueryValue("SELECT COUNT(*) FROM q.t");
  EXPECT_EQ(std::stoull(rows) + 2, cluster_->MasterLastSeq());
  cluster_->StartMaster({"--recent_records", "50"});
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(120)));
  for (int i = 0; i < 2; ++i) EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT COUNT(*) FROM q.t"), rows);
  cluster_->ExpectTableEqualEverywhere("q", "t");
}

TEST_F(OfflineQueueTest, AFullTextSearchInTheBacklogSeesTheRowsWrittenBeforeIt) {
  // InnoDB's full-text index takes rows in at COMMIT: had the slave grouped
  // the search with the inserts before it in one transaction, it would find
  // nothing there, and delete and change other rows than the master did.
  // (A write that searches is refused as unsafe by default: concurrent
  // writers could still make it differ. With one writer it is not.)
  cluster_->StopMaster();
  cluster_->StartMaster({"--recent_records", "50", "--unsafe_statements", "warn"});
  cluster_->SqlAndWait("CREATE TABLE q.ft (id INT PRIMARY KEY, body TEXT, n INT, FULLTEXT (body));");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  cluster_->StopSlave(1);
  cluster_->SqlAndWait(
      "INSERT INTO q.ft VALUES (1, 'hello world', 0), (2, 'goodbye world', 0), (3, 'hello again', 0);\n"
      "DELETE FROM q.ft WHERE MATCH (body) AGAINST ('goodbye');\n"
      "INSERT INTO q.ft VALUES (4, 'hello there', 0);\n"
      "UPDATE q.ft SET n = 1 WHERE MATCH(body) AGAINST ('hello');\n");
  ASSERT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(id, ':', n ORDER BY id) FROM q.ft"),
            "1:1,3:1,4:1");
  cluster_->StartSlave(1);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60))) << cluster_->SlaveLog(1);
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT GROUP_CONCAT(id, ':', n ORDER BY id) FROM q.ft"),
            "1:1,3:1,4:1");
  cluster_->ExpectTableEqualEverywhere("q", "ft");
}

}  // namespace
}  // namespace ddb::testing
