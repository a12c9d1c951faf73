// Processes killed at random moments and stalled past the heartbeat timeout:
// every table ends equal on all nodes and every slave at the master's position.
#include <gtest/gtest.h>
#include <signal.h>

#include <random>
#include <thread>

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

  // SLEEP() is unsafe for replication; these tests allow it to make a DDL slow.
  void RestartMasterAllowingSlowStatements() {
    cluster_->StopMaster();
    cluster_->StartMaster({"--recent_records", "500", "--unsafe_statements", "warn"});
  }

  void ExpectSlowTableEverywhere() {
    EXPECT_EQ(cluster_->master_db().QueryValue("SELECT added FROM f.slow"), "7");
    cluster_->ExpectTableEqualEverywhere("f", "slow");
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
  // Stopped before it ever connected, the master would have no heartbeat to miss.
  ASSERT_TRUE(
      WaitFor([&] { return cluster_->MasterLog().find("slave 'slave2' connected") != std::string::npos; },
              seconds(30)))
      << cluster_->MasterLog();
  ChildProcess* slave = cluster_->slave_process(1);
  ASSERT_TRUE(slave->Signal(SIGSTOP));
  const auto stopped_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster_->MasterLog().find("slave 'slave2'") != std::string::npos &&
               cluster_->MasterLog().find("no heartbeat for") != std::string::npos;
      },
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

// A slow DDL (SLEEP() in a CREATE ... SELECT, allowed by
// unsafe_statements = warn) is 'pending' in the log when the master is
// killed. Whether MariaDB then finishes the dead client's statement or drops
// it is MariaDB's business (it varies); the test makes each outcome certain
// by doing or undoing the DDL behind ddb's back, then checks that the
// restarted master resolves the pending record (found applied, or
// re-executed) and that the slaves end with the master's table.
void KillMasterWithAPendingDdl(Cluster& cluster, bool ddl_took_effect,
                               const std::string& expected_resolution) {
  cluster.SqlInBackground("CREATE TABLE f.slow AS SELECT 7 AS added, SLEEP(2) AS slept;");
  auto pending = [&] {
    return cluster.master_db().QueryValue(
               "SELECT COUNT(*) FROM ddb_meta.replication_log WHERE state = 'pending'") == "1";
  };
  ASSERT_TRUE(WaitFor(pending, seconds(30))) << cluster.MasterLog();
  cluster.KillMaster();
  const std::string running =
      "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'CREATE TABLE f.slow%'";
  ASSERT_TRUE(WaitFor([&] { return cluster.master_db().QueryValue(running) == "0"; }, seconds(30)));
  const bool exists = cluster.master_db().QueryValue(
                          "SELECT COUNT(*) FROM information_schema.tables "
                          "WHERE table_schema = 'f' AND table_name = 'slow'") == "1";
  if (ddl_took_effect && !exists) {
    cluster.master_db().Execute("CREATE TABLE f.slow AS SELECT 7 AS added, SLEEP(0) AS slept");
  }
  if (!ddl_took_effect && exists) cluster.master_db().Execute("DROP TABLE f.slow");

  cluster.StartMaster({"--recent_records", "500", "--unsafe_statements", "warn"});
  EXPECT_EQ(
      cluster.master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.replication_log WHERE state = 'pending'"),
      "0");
  EXPECT_NE(cluster.MasterLog().find(expected_resolution), std::string::npos) << cluster.MasterLog();
}

TEST_F(KillAndStallTest, MasterKilledWithAPendingDdlThatTookEffectMarksItDone) {
  RestartMasterAllowingSlowStatements();
  cluster_->SqlAndWait(Writes(1, 50));
  KillMasterWithAPendingDdl(*cluster_, /*ddl_took_effect=*/true, "is applied; marking it done (ERROR 1050");
  cluster_->SqlAndWait(Writes(5001, 50));
  ExpectConverged();
  ExpectSlowTableEverywhere();
}

TEST_F(KillAndStallTest, MasterKilledWithAPendingDdlThatNeverTookEffectReExecutesIt) {
  RestartMasterAllowingSlowStatements();
  cluster_->SqlAndWait(Writes(1, 50));
  KillMasterWithAPendingDdl(*cluster_, /*ddl_took_effect=*/false,
                            "is applied; marking it done (re-executed)");
  cluster_->SqlAndWait(Writes(5001, 50));
  ExpectConverged();
  ExpectSlowTableEverywhere();
}

}  // namespace
}  // namespace ddb::testing
