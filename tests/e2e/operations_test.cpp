// Operating a cluster: log retention and purging, a slave whose position was
// purged, adding a slave with \reload or SIGHUP, and an applier stopped on a
// failing record that the operator retries or skips.
#include <gtest/gtest.h>
#include <signal.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string Inserts(int first, int count) {
  std::string sql;
  for (int i = first; i < first + count; ++i) sql += "INSERT INTO o.t VALUES (" + std::to_string(i) + ");\n";
  return sql;
}

std::string OldestLogSeq(Cluster& cluster) {
  return cluster.master_db().QueryValue("SELECT COALESCE(MIN(seq), 'empty') FROM ddb_meta.replication_log");
}

TEST(OperationsTest, LogIsPurgedOnlyOnceEverySlaveAcknowledgedIt) {
  Cluster cluster;
  cluster.StartMaster({"--log_retention_seconds", "0", "--purge_interval_ms", "200"});
  cluster.StartSlave(0);
  cluster.StartSlave(1);
  cluster.SqlAndWait("CREATE DATABASE o;\nCREATE TABLE o.t (id INT PRIMARY KEY);");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  // Acks are asynchronous: stop slave2 only once the master has its ack of #2.
  ASSERT_TRUE(WaitFor(
      [&] {
        cluster.SqlAndWait("\\slaves");
        const std::string out = cluster.MasterConsoleOutput();
        return out.substr(out.rfind("| slave ")).find("| slave2 | online |         2 |") != std::string::npos;
      },
      seconds(20), milliseconds(200)));
  cluster.StopSlave(1);
  cluster.SqlAndWait(Inserts(1, 100));
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30), {0}));
  // slave2 acknowledged #2 only: records 3.. must stay, however old.
  ASSERT_TRUE(WaitFor([&] { return OldestLogSeq(cluster) == "3"; }, seconds(20))) << OldestLogSeq(cluster);
  std::this_thread::sleep_for(
      milliseconds(1000));  // several purge passes; the point is that nothing more goes
  EXPECT_EQ(OldestLogSeq(cluster), "3");

  cluster.StartSlave(1);
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60)));
  cluster.ExpectTableEqualEverywhere("o", "t");
  // Everything both acknowledged goes, except the newest record, which the
  // sequence continues from.
  const std::string last = std::to_string(cluster.MasterLastSeq());
  ASSERT_TRUE(WaitFor([&] { return OldestLogSeq(cluster) == last; }, seconds(20))) << OldestLogSeq(cluster);
  cluster.SqlAndWait("\\status");
  EXPECT_NE(cluster.MasterConsoleOutput().find("retained #" + last + " to #" + last + " (1 records"),
            std::string::npos)
      << cluster.MasterConsoleOutput();
  // New writes flow after the purge, and after a restart the sequence goes on.
  cluster.StopMaster();
  cluster.StartMaster({"--log_retention_seconds", "0", "--purge_interval_ms", "200"});
  cluster.SqlAndWait(Inserts(101, 5));
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  cluster.ExpectTableEqualEverywhere("o", "t");
}

TEST(OperationsTest, SlaveWhosePositionWasPurgedIsToldToReseedNeverSkipped) {
  Cluster cluster;
  cluster.StartMaster({"--log_retention_seconds", "0", "--purge_interval_ms", "200"});
  cluster.StartSlave(0);
  cluster.StartSlave(1);
  cluster.SqlAndWait("CREATE DATABASE o;\nCREATE TABLE o.t (id INT PRIMARY KEY);\n" + Inserts(1, 20));
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  ASSERT_TRUE(WaitFor([&] { return OldestLogSeq(cluster) == "22"; }, seconds(20)));
  // As if slave2 were restored from an old backup: it asks for purged records.
  cluster.StopSlave(1);
  cluster.slave_db(1).Execute("UPDATE ddb_meta.applied_position SET seq = 5 WHERE id = 1");
  // A master still holding #6.. in memory would send them from there; after
  // a restart its window starts after #22, and the table is all there is.
  cluster.StopMaster();
  cluster.StartMaster({"--log_retention_seconds", "0", "--purge_interval_ms", "200"});
  cluster.StartSlave(1);
  ASSERT_TRUE(WaitFor([&] { return cluster.SlaveLog(1).find("re-seed this slave") != std::string::npos; },
                      seconds(20)))
      << cluster.SlaveLog(1);
  EXPECT_NE(cluster.MasterLog().find("the log now starts at #22"), std::string::npos) << cluster.MasterLog();
  EXPECT_EQ(cluster.SlaveSeq(1), 5u) << "a slave must never be moved past records it did not apply";
}

TEST(OperationsTest, SlaveAddedToTheConfigJoinsAfterReloadWithoutARestart) {
  Cluster cluster;
  cluster.WriteMasterConfig({"slave1"});
  cluster.StartMaster();
  cluster.StartSlave(0);
  cluster.StartSlave(1);
  cluster.SqlAndWait("CREATE DATABASE o;\nCREATE TABLE o.t (id INT PRIMARY KEY);\n" + Inserts(1, 10));
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30), {0}));
  ASSERT_TRUE(WaitFor(
      [&] { return cluster.MasterLog().find("does not know a slave named 'slave2'") != std::string::npos; },
      seconds(20)));
  cluster.WriteMasterConfig({"slave1", "slave2"});
  cluster.SqlAndWait("\\reload");
  EXPECT_NE(cluster.MasterConsoleOutput().find("slaves added: slave2; removed: none"), std::string::npos)
      << cluster.MasterConsoleOutput();
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60))) << cluster.SlaveLog(1);
  cluster.ExpectTableEqualEverywhere("o", "t");

  // SIGHUP does the same: remove slave2 again.
  cluster.WriteMasterConfig({"slave1"});
  ASSERT_TRUE(cluster.SignalMaster(SIGHUP));
  EXPECT_TRUE(
      WaitFor([&] { return cluster.MasterLog().find("removed: slave2") != std::string::npos; }, seconds(10)))
      << cluster.MasterLog();
}

TEST(OperationsTest, FailedRecordStopsTheApplierVisiblyAndTheOperatorRetriesOrSkips) {
  Cluster cluster;
  cluster.StartMaster();
  cluster.StartSlave(0, {}, /*console=*/true);
  cluster.StartSlave(1);
  cluster.SqlAndWait("CREATE DATABASE o;\nCREATE TABLE o.t (id INT PRIMARY KEY);");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  // Someone wrote to slave1 behind ddb's back: the master's next insert
  // collides there.
  cluster.slave_db(0).Execute("INSERT INTO o.t VALUES (7)");
  cluster.SqlAndWait("INSERT INTO o.t VALUES (7);");
  const uint64_t failing = cluster.MasterLastSeq();
  ASSERT_TRUE(WaitFor(
      [&] {
        cluster.SlaveSql(0, "\\status");
        return cluster.SlaveConsoleOutput(0).find("applier:     stopped on error at record #" +
                                                  std::to_string(failing)) != std::string::npos;
      },
      seconds(20), milliseconds(300)))
      << cluster.SlaveConsoleOutput(0);
  const std::string slave_status = cluster.SlaveConsoleOutput(0);
  EXPECT_NE(slave_status.find("statement: INSERT INTO o.t VALUES (7)"), std::string::npos) << slave_status;
  EXPECT_NE(slave_status.find("ERROR 1062 (23000): Duplicate entry '7'"), std::string::npos) << slave_status;
  // The master shows it too.
  EXPECT_TRUE(WaitFor(
      [&] {
        cluster.SqlAndWait("\\slaves");
        const std::string out = cluster.MasterConsoleOutput();
        return out.substr(out.rfind("| slave ")).find("| slave1 | error") != std::string::npos &&
               out.find("applier stopped at #" + std::to_string(failing)) != std::string::npos;
      },
      seconds(20), milliseconds(300)))
      << cluster.MasterConsoleOutput();

  // Fix the cause on the slave and retry: the record applies.
  cluster.slave_db(0).Execute("DELETE FROM o.t WHERE id = 7");
  cluster.SlaveSql(0, "\\retry");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  cluster.ExpectTableEqualEverywhere("o", "t");

  // Collide again and skip: the slave moves on, and says so in its log.
  cluster.slave_db(0).Execute("INSERT INTO o.t VALUES (8)");
  cluster.SqlAndWait("INSERT INTO o.t VALUES (8);\nINSERT INTO o.t VALUES (9);");
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster.SlaveLog(0).find("record #" + std::to_string(failing + 1) + " failed") !=
               std::string::npos;
      },
      seconds(20)))
      << cluster.SlaveLog(0);
  cluster.SlaveSql(0, "\\skip");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  EXPECT_NE(cluster.SlaveLog(0).find("operator skipped record #" + std::to_string(failing + 1)),
            std::string::npos)
      << cluster.SlaveLog(0);
  EXPECT_EQ(cluster.slave_db(0).QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM o.t"), "7,8,9");
}

}  // namespace
}  // namespace ddb::testing
