// Failover by hand (issue 19, docs/failover.md): the master's daemon and its
// MariaDB are killed; the most advanced slave is promoted with
// `ddb-slave --promote`, the other slave follows it (master_candidates),
// and the former master, started again, finds itself replaced (fenced) and
// rejoins as a slave of the new master (slave_config). With sync_slaves = 1
// no acknowledged write is lost, and every node ends equal; without, the
// records only the former master got are reported as diverged, never
// merged or dropped.
#include <gtest/gtest.h>

#include "cluster.h"
#include "file_text.h"
#include "ha_configs.h"
#include "http_client.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class FailoverTest : public ::testing::Test {
 protected:
  void StartCluster(int sync_slaves) {
    cluster_ = std::make_unique<Cluster>();
    Cluster& c = *cluster_;
    HaOptions options;
    options.sync_slaves = sync_slaves;
    ha_ = std::make_unique<HaConfigs>(c, options);
    c.StartAll();
    c.SqlAndWait("CREATE DATABASE f;\nCREATE TABLE f.t (id INT PRIMARY KEY, v VARCHAR(20));");
    ASSERT_TRUE(c.WaitForSlavesCaughtUp(seconds(30)));
  }

  void TearDown() override {
    for (auto& process : extra_) process.reset();
    cluster_.reset();
  }

  // A statement run on the node `port`'s master API; true when it committed.
  bool WriteThrough(uint16_t http_port, const std::string& sql) {
    const HttpReply reply =
        HttpPost(http_port, "/api/query", "{\"sql\": \"" + sql + "\"}", cluster_->options().http_token);
    return reply.status == 200 && reply.body.find("\"error\"") == std::string::npos;
  }

  ChildProcess* Run(std::vector<std::string> argv, const std::string& log) {
    extra_.push_back(std::make_unique<ChildProcess>(std::move(argv), cluster_->dir() / log,
                                                    ChildProcess::StdinMode::kDevNull));
    return extra_.back().get();
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<HaConfigs> ha_;
  std::vector<std::unique_ptr<ChildProcess>> extra_;
};

TEST_F(FailoverTest, PromotingAfterTheMasterAndItsMariaDbDieLosesNoAcknowledgedWriteAndTheOldMasterRejoins) {
  StartCluster(1);
  Cluster& c = *cluster_;
  // Acknowledged (sync_slaves = 1): on at least one slave when the console
  // returned.
  std::string inserts;
  for (int i = 1; i <= 50; ++i) inserts += "INSERT INTO f.t VALUES (" + std::to_string(i) + ", 'before');\n";
  c.SqlAndWait(inserts);
  c.KillMaster();
  c.master_db().Kill9();

  // \promote at slave1's console: it asks the others, stops, and comes
  // back as the master (the same process).
  c.StopSlave(0);
  c.StartSlave(0, {}, /*console=*/true);
  c.SlaveSql(0, "\\promote");
  ASSERT_TRUE(WaitFor([&] { return HttpGet(c.slave_http_port(0), "/health?role=master").status == 200; },
                      seconds(30)))
      << c.SlaveConsoleOutput(0) << ReadFile(c.dir() / "slave1-as-master.log")
      << ReadFile(c.dir() / "slave1-stdout.log");
  EXPECT_NE(c.SlaveConsoleOutput(0).find("becomes the master now"), std::string::npos)
      << c.SlaveConsoleOutput(0);
  const HttpReply health = HttpGet(c.slave_http_port(0), "/health");
  EXPECT_NE(health.body.find("\"epoch\":2"), std::string::npos) << health.body;
  EXPECT_EQ(c.slave_db(0).QueryValue("SELECT COUNT(*) FROM f.t"), "50");

  // Writes go on at the new master; slave2 follows it (sync_slaves = 1:
  // each returns once slave2 applied it).
  for (int i = 51; i <= 60; ++i) {
    ASSERT_TRUE(
        WriteThrough(c.slave_http_port(0), "INSERT INTO f.t VALUES (" + std::to_string(i) + ", 'after')"))
        << ReadFile(c.dir() / "slave1-as-master.log");
  }
  ASSERT_TRUE(
      WaitFor([&] { return c.slave_db(1).QueryValue("SELECT COUNT(*) FROM f.t") == "60"; }, seconds(30)))
      << ReadFile(c.dir() / "slave2.log");

  // The former master comes back: fenced at start, it restarts as a slave
  // of slave1 and catches up.
  c.master_db().Restart();
  ChildProcess* former =
      Run({DDB_MASTER_BINARY, "--config", c.master_config().string()}, "former-master.log");
  ASSERT_TRUE(
      WaitFor([&] { return c.master_db().QueryValue("SELECT COUNT(*) FROM f.t") == "60"; }, seconds(60)))
      << ReadFile(former->log_path()) << ReadFile(c.dir() / "master-as-slave.log");
  EXPECT_NE(ReadFile(c.dir() / "master.log").find("no longer the master"), std::string::npos);
  // It takes no writes as a master any more: its HTTP is a slave's.
  EXPECT_EQ(HttpGet(c.master_http_port(), "/health?role=master").status, 503);
  const std::string expected = c.slave_db(0).TableChecksum("f", "t");
  EXPECT_EQ(c.slave_db(1).TableChecksum("f", "t"), expected);
  EXPECT_EQ(c.master_db().TableChecksum("f", "t"), expected);
}

TEST_F(FailoverTest, WithoutSyncWhatOnlyTheFormerMasterGotIsReportedAsDivergedNotMerged) {
  StartCluster(0);
  Cluster& c = *cluster_;
  c.SqlAndWait("INSERT INTO f.t VALUES (1, 'everywhere');");
  ASSERT_TRUE(c.WaitForSlavesCaughtUp(seconds(30)));
  const uint64_t promotion_point = c.SlaveSeq(0);
  // Acknowledged by the master alone: both slaves are down.
  c.StopSlave(0);
  c.StopSlave(1);
  c.SqlAndWait("INSERT INTO f.t VALUES (2, 'master only');\nINSERT INTO f.t VALUES (3, 'master only');");
  c.KillMaster();
  c.master_db().Kill9();

  c.StartSlave(1);
  ChildProcess* promoted =
      Run({DDB_SLAVE_BINARY, "--config", c.slave_config(0).string(), "--promote"}, "promote-slave1.log");
  ASSERT_TRUE(WaitFor([&] { return HttpGet(c.slave_http_port(0), "/health?role=master").status == 200; },
                      seconds(30)))
      << ReadFile(promoted->log_path());
  ASSERT_TRUE(WriteThrough(c.slave_http_port(0), "INSERT INTO f.t VALUES (4, 'new master')"));
  ASSERT_TRUE(
      WaitFor([&] { return c.slave_db(1).QueryValue("SELECT COUNT(*) FROM f.t") == "2"; }, seconds(30)));

  c.master_db().Restart();
  ChildProcess* former =
      Run({DDB_MASTER_BINARY, "--config", c.master_config().string()}, "former-master.log");
  const std::string diverged =
      "#" + std::to_string(promotion_point + 1) + "..#" + std::to_string(promotion_point + 2);
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string status = HttpGet(c.master_http_port(), "/api/status").body;
        return status.find("diverged from master slave1") != std::string::npos &&
               status.find(diverged) != std::string::npos;
      },
      seconds(60)))
      << ReadFile(former->log_path()) << ReadFile(c.dir() / "master-as-slave.log");
  // Its own records stay as they were: nothing merged, nothing dropped.
  EXPECT_EQ(c.master_db().QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM f.t"), "1,2,3");
  EXPECT_EQ(c.slave_db(0).QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM f.t"), "1,4");
  EXPECT_EQ(c.master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.applied_records WHERE seq > " +
                                     std::to_string(promotion_point)),
            "2");
}

}  // namespace
}  // namespace ddb::testing
