// Every slave keeps the records it applied (ddb_meta.applied_records), the
// same rows as the master's ddb_meta.replication_log: seq, committed_at and
// the body byte for byte, with no gap and no duplicate even when the slave is
// killed -9 mid-stream; and it deletes them after its log_retention_seconds.
#include <gtest/gtest.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kMasterRows =
    "SELECT seq, committed_at, HEX(body) FROM ddb_meta.replication_log WHERE state = 'done' ORDER BY seq";
constexpr const char* kSlaveRows =
    "SELECT seq, committed_at, HEX(body) FROM ddb_meta.applied_records ORDER BY seq";

// Autocommit writes (batched on the slave), with a DDL (applied alone) in
// the middle of every hundred.
std::string Writes(int first, int count) {
  std::string sql;
  for (int i = first; i < first + count; ++i) {
    sql += "INSERT INTO r.t (id, v) VALUES (" + std::to_string(i) + ", 'v" + std::to_string(i) + "');\n";
    if (i % 10 == 0) sql += "UPDATE r.t SET v = CONCAT(v, '+') WHERE id = " + std::to_string(i - 5) + ";\n";
    if (i % 100 == 50) sql += "CREATE TABLE r.t" + std::to_string(i) + " (id INT PRIMARY KEY);\n";
  }
  return sql;
}

class AppliedRecordsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Cluster> cluster_ = std::make_unique<Cluster>();

  void CreateTable() {
    cluster_->SqlAndWait("CREATE DATABASE r;\nCREATE TABLE r.t (id INT PRIMARY KEY, v VARCHAR(200));");
  }

  void ExpectCaughtUp() {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(180)))
        << "master #" << cluster_->MasterLastSeq() << " slaves #" << cluster_->SlaveSeq(0) << " #"
        << cluster_->SlaveSeq(1) << "\n"
        << cluster_->SlaveLog(0);
  }
};

TEST_F(AppliedRecordsTest, EverySlaveStoresTheMastersRecordsAcrossAKill9) {
  cluster_->StartAll();
  CreateTable();
  cluster_->SqlInBackground(Writes(1, 1500));
  for (int round = 0; round < 3; ++round) {
    const uint64_t before = cluster_->SlaveSeq(0);
    // Killed while records arrive: after its own progress, before the end.
    ASSERT_TRUE(WaitFor([&] { return cluster_->SlaveSeq(0) > before + 50; }, seconds(60)))
        << cluster_->SlaveLog(0);
    cluster_->KillSlave(0);
    cluster_->StartSlave(0);
  }
  cluster_->SqlAndWait("", seconds(240));
  // Records that cannot travel in one multi-statement text (ANSI_QUOTES) are
  // applied statement by statement, and stored on that path too.
  cluster_->SqlAndWait(
      "SET sql_mode = 'ANSI_QUOTES';\nINSERT INTO \"r\".\"t\" (id, v) VALUES (100001, 'ansi');\n"
      "INSERT INTO r.t (id, v) VALUES (100002, 'ansi');");
  ExpectCaughtUp();
  cluster_->ExpectTableEqualEverywhere("r", "t");

  const auto master_rows = cluster_->master_db().Query(kMasterRows);
  ASSERT_GT(master_rows.size(), 1500u);
  // The log has a row for every number up to the last (no gap was needed):
  // so equal rows mean no record is missing or stored twice.
  EXPECT_EQ(master_rows.back()[0], std::to_string(cluster_->MasterLastSeq()));
  for (int i = 0; i < 2; ++i) {
    const auto slave_rows = cluster_->slave_db(i).Query(kSlaveRows);
    ASSERT_EQ(slave_rows.size(), master_rows.size()) << "slave " << i;
    for (size_t row = 0; row < master_rows.size(); ++row) {
      ASSERT_EQ(slave_rows[row], master_rows[row]) << "slave " << i << ", row " << row;
    }
  }
}

TEST_F(AppliedRecordsTest, RecordsOlderThanTheRetentionArePurged) {
  cluster_->StartMaster();
  cluster_->StartSlave(0, {"--log_retention_seconds", "1"});
  cluster_->StartSlave(1);
  CreateTable();
  cluster_->SqlAndWait(Writes(1, 300));
  ExpectCaughtUp();
  const std::string master_count =
      cluster_->master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.replication_log WHERE state = 'done'");
  // Slave 1 keeps the default week: every record.
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT COUNT(*) FROM ddb_meta.applied_records"), master_count);
  // Slave 0 deletes them (1000 per pass, a pass every 5 s) once a second old.
  EXPECT_TRUE(WaitFor(
      [&] {
        return cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM ddb_meta.applied_records") == "0";
      },
      seconds(30)))
      << cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM ddb_meta.applied_records") << " rows left\n"
      << cluster_->SlaveLog(0);
  // Purging did not disturb applying.
  cluster_->SqlAndWait(Writes(301, 20));
  ExpectCaughtUp();
  cluster_->ExpectTableEqualEverywhere("r", "t");
}

}  // namespace
}  // namespace ddb::testing
