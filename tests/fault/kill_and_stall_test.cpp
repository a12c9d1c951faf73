// Processes killed at random moments and stalled past the heartbeat timeout:
// every table ends equal on all nodes and every slave at the master's position.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>
#include <thread>

#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string Writes(int first, int count) {
  std::string sql;
  for (int i = first; i < first + count; ++i) {
    sql += "INSERT INTO f.t (id, v) VALUES (" + std::to_string(i) + ", 'v" + std::to_string(i) + "');\n";
    if (i % 10 == 0) sql += "UPDATE f.t SET v = CONCAT(v, '+') WHERE id = " + std::to_string(i - 5) + ";\n";
    if (i % 25 == 0) sql += "DELETE FROM f.t WHERE id = " + std::to_string(i - 20) + ";\n";
  }
  return sql;
}

class KillAndStallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster({"--recent_records", "500"});
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
    cluster_->SqlAndWait("CREATE DATABASE f;\nCREATE TABLE f.t (id INT PRIMARY KEY, v VARCHAR(200));");
  }

  void ExpectConverged() {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(180)))
        << "master #" << cluster_->MasterLastSeq() << " slaves #" << cluster_->SlaveSeq(0) << " #"
        << cluster_->SlaveSeq(1) << "\n"
        << cluster_->SlaveLog(0);
    cluster_->ExpectTableEqualEverywhere("f", "t");
  }

  void ExpectColumnAddedEverywhere() {
    const std::string rows = cluster_->master_db().QueryValue("SELECT COUNT(*) FROM f.t");
    EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM f.t WHERE added = 7"), rows);
    for (int i = 0; i < cluster_->slave_count(); ++i) {
      EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT COUNT(*) FROM f.t WHERE added = 7"), rows) << "slave " << i;
    }
  }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(KillAndStallTest, SlaveKilledAtRandomMomentsFiveTimesDuringTwentyThousandWrites) {
  std::mt19937 random(20261122);  // fixed seed: a failure replays the same way
  cluster_->SqlInBackground(Writes(1, 20000));
  for (int round = 0; round < 5; ++round) {
    std::uniform_int_distribution<int> delay_ms(100, 1200);
    std::this_thread::sleep_for(milliseconds(delay_ms(random)));  // the random moment itself is the point
    cluster_->KillSlave(0);
    cluster_->StartSlave(0);
  }
  cluster_->SqlAndWait("", seconds(240));
  ExpectConverged();
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM f.t"),
            cluster_->master_db().QueryValue("SELECT COUNT(*) FROM f.t"));
}

TEST_F(KillAndStallTest, SlavesMySqlKilledMidStreamRecoversOnItsOwn) {
  cluster_->SqlInBackground(Writes(1, 3000));
  ASSERT_TRUE(WaitFor([&] { return cluster_->SlaveSeq(1) > 200; }, seconds(60)));
  cluster_->slave_db(1).Kill9();
  cluster_->slave_db(1).Restart();
  cluster_->SqlAndWait("", seconds(120));
  ExpectConverged();
}

TEST_F(KillAndStallTest, StalledSlaveIsMarkedOfflineOthersKeepServingThenItCatchesUp) {
  ChildProcess* slave = cluster_->slave_process(1);
  ASSERT_TRUE(slave->Signal(SIGSTOP));
  const auto stopped_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return cluster_->MasterLog().find("slave 'slave2'") != std::string::npos &&
                                   cluster_->MasterLog().find("no heartbeat for") != std::string::npos; },
                      seconds(10)))
      << cluster_->MasterLog();
  // Detected within the timeout (1.5 s in tests), with slack for a loaded machine.
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at,
            milliseconds(cluster_->options().heartbeat_timeout_ms + 2000));
  cluster_->SqlAndWait(Writes(1, 500));
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60), {0}));
  ASSERT_TRUE(slave->Signal(SIGCONT));
  ExpectConverged();
}

TEST_F(KillAndStallTest, MasterKilledMidStreamAndRestartedLosesNothing) {
  cluster_->SqlInBackground(Writes(1, 4000));
  ASSERT_TRUE(WaitFor([&] { return cluster_->MasterLastSeq() > 1000; }, seconds(60)));
  cluster_->KillMaster();
  cluster_->StartMaster({"--recent_records", "500"});
  cluster_->SqlAndWait(Writes(5001, 200));
  ExpectConverged();
}

// A DDL waits for a metadata lock another session holds, so it is 'pending'
// in the log when the master is killed. Then either MariaDB runs the dead
// client's queued ALTER once the lock is released, or the ALTER is killed
// and never runs. Either way the restarted master resolves the pending
// record (found applied, or re-executed) and the slaves end with the
// master's columns.
void KillMasterWithAPendingDdl(Cluster& cluster, bool ddl_runs_after_the_kill, const std::string& expected_resolution) {
  auto blocker = cluster.master_db().Connect();
  std::unique_ptr<sql::Statement> statement(blocker->createStatement());
  statement->execute("BEGIN");
  // Holds a shared metadata lock on f.t until the transaction ends.
  std::unique_ptr<sql::ResultSet>(statement->executeQuery("SELECT COUNT(*) FROM f.t"));

  cluster.SqlInBackground("ALTER TABLE f.t ADD COLUMN added INT NOT NULL DEFAULT 7;");
  auto pending = [&] {
    return cluster.master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.replication_log WHERE state = 'pending'") ==
           "1";
  };
  ASSERT_TRUE(WaitFor(pending, seconds(30))) << cluster.MasterLog();
  cluster.KillMaster();
  const std::string alter_query_id = cluster.master_db().QueryValue(
      "SELECT COALESCE(MAX(id), 0) FROM information_schema.processlist WHERE info LIKE 'ALTER TABLE f.t%'");
  ASSERT_NE(alter_query_id, "0") << "the ALTER should still wait for the lock";
  if (!ddl_runs_after_the_kill) cluster.master_db().Execute("KILL QUERY " + alter_query_id);
  statement->execute("ROLLBACK");
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster.master_db().QueryValue(
                   "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'ALTER TABLE f.t%'") == "0";
      },
      seconds(30)));
  EXPECT_EQ(cluster.master_db().QueryValue("SELECT COUNT(*) FROM information_schema.columns "
                                           "WHERE table_schema = 'f' AND column_name = 'added'"),
            ddl_runs_after_the_kill ? "1" : "0");

  cluster.StartMaster({"--recent_records", "500"});
  EXPECT_EQ(cluster.master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.replication_log WHERE state = 'pending'"),
            "0");
  EXPECT_NE(cluster.MasterLog().find(expected_resolution), std::string::npos) << cluster.MasterLog();
}

TEST_F(KillAndStallTest, MasterKilledWithAPendingDdlThatMariaDbRanAnywayMarksItDone) {
  cluster_->SqlAndWait(Writes(1, 50));
  KillMasterWithAPendingDdl(*cluster_, /*ddl_runs_after_the_kill=*/true, "is applied; marking it done (ERROR 1060");
  cluster_->SqlAndWait(Writes(5001, 50));
  ExpectConverged();
  ExpectColumnAddedEverywhere();
}

TEST_F(KillAndStallTest, MasterKilledWithAPendingDdlThatNeverRanReExecutesIt) {
  cluster_->SqlAndWait(Writes(1, 50));
  KillMasterWithAPendingDdl(*cluster_, /*ddl_runs_after_the_kill=*/false, "is applied; marking it done (re-executed)");
  cluster_->SqlAndWait(Writes(5001, 50));
  ExpectConverged();
  ExpectColumnAddedEverywhere();
}

}  // namespace
}  // namespace ddb::testing
