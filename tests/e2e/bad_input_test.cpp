// Bad input gets a clear answer and loses nothing: a wrong secret, an
// unreachable MySQL, an unknown console command, a slave whose MySQL dies.
#include <gtest/gtest.h>

#include <fstream>

#include "cluster.h"
#include "file_text.h"
#include "mariadb_instance.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

TEST(BadInputTest, SlaveWithWrongSecretIsRefusedAndClusterKeepsWorking) {
  Cluster cluster;
  cluster.StartMaster();
  cluster.StartSlave(0);
  const auto config = cluster.WriteSlaveConfig("impostor.ini", "slave2", cluster.slave_db(1).port(),
                                               "not-the-cluster-secret-at-all");
  ChildProcess impostor({DDB_SLAVE_BINARY, "--config", config.string(), "--console", "off"},
                        cluster.dir() / "impostor-stdout.log");
  const auto impostor_log = cluster.dir() / "slave2.log";
  ASSERT_TRUE(WaitFor(
      [&] { return ReadFile(impostor_log).find("authentication failed") != std::string::npos; }, seconds(20)))
      << ReadFile(impostor_log);
  EXPECT_TRUE(WaitFor(
      [&] {
        const std::string log = cluster.MasterLog();
        return log.find("(slave 'slave2') refused") != std::string::npos &&
               log.find("cluster_secret does not match") != std::string::npos;
      },
      seconds(20)))
      << cluster.MasterLog();
  cluster.SqlAndWait(
      "CREATE DATABASE ok;\nCREATE TABLE ok.t (id INT PRIMARY KEY);\nINSERT INTO ok.t VALUES (1);");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30), {0}));
  cluster.ExpectTableEqualEverywhere("ok", "t", {0});
  EXPECT_EQ(cluster.slave_db(1).QueryValue(
                "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='ok'"),
            "0")
      << "the refused slave must receive nothing";
  EXPECT_TRUE(impostor.Running()) << "a refused slave keeps retrying (slowly) until an operator fixes it";
}

TEST(BadInputTest, MasterWithUnreachableMySqlSaysSoInOneLineAndExits) {
  TempDir dir;
  const uint16_t nothing_listens = FreeLoopbackPort();
  std::ofstream(dir.path() / "master.ini") << "cluster_secret = \"0123456789abcdef-secret\"\n"
                                           << "mysql_port = " << nothing_listens << "\n";
  // Readable by its owner only, as a file holding a secret should be (else
  // a warning about that comes first).
  std::filesystem::permissions(dir.path() / "master.ini",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ChildProcess master(
      {DDB_MASTER_BINARY, "--config", (dir.path() / "master.ini").string(), "--console", "off"},
      dir.path() / "out.log");
  int code = 0;
  ASSERT_TRUE(master.WaitForExit(seconds(30), &code));
  EXPECT_EQ(code, 1);
  const std::string out = master.ReadLog();
  EXPECT_NE(out.find("ddb-master: cannot connect to the master's MySQL at root@127.0.0.1:" +
                     std::to_string(nothing_listens)),
            std::string::npos)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
}

TEST(BadInputTest, MasterOnInterleavedAutoIncrementRefusesToStartAndCheckSaysWhy) {
  TempDir dir;
  auto db = MariaDbInstance::Start(dir.path() / "db", {"--innodb-autoinc-lock-mode=2"});
  const std::filesystem::path config = dir.path() / "master.ini";
  std::ofstream(config) << "cluster_secret = \"0123456789abcdef-secret\"\n"
                        << "mysql_port = " << db->port() << "\n"
                        << "replication_port = " << FreeLoopbackPort() << "\n"
                        << "client_port = 0\nhttp_port = 0\n"
                        << "log_file = " << (dir.path() / "master.log").string() << "\n";
  std::filesystem::permissions(config,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ChildProcess master({DDB_MASTER_BINARY, "--config", config.string(), "--console", "off"},
                      dir.path() / "out.log");
  int code = 0;
  ASSERT_TRUE(master.WaitForExit(seconds(30), &code));
  EXPECT_EQ(code, 1);
  const std::string out = master.ReadLog();
  EXPECT_NE(out.find("innodb_autoinc_lock_mode = 2"), std::string::npos) << out;
  EXPECT_NE(out.find("set innodb_autoinc_lock_mode = 1"), std::string::npos) << out;
  EXPECT_EQ(db->QueryValue("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'ddb_meta'"),
            "0")
      << "refused before it touched the server";

  ChildProcess check({DDB_MASTER_BINARY, "--config", config.string(), "--check"}, dir.path() / "check.log");
  ASSERT_TRUE(check.WaitForExit(seconds(30), &code));
  EXPECT_EQ(code, 1);
  EXPECT_NE(check.ReadLog().find("innodb_autoinc_lock_mode = 2"), std::string::npos) << check.ReadLog();
}

TEST(BadInputTest, BadConfigNamesFileAndKeyAndExitsNonZero) {
  TempDir dir;
  const auto path = dir.path() / "master.ini";
  std::ofstream(path) << "cluster_secret = \"0123456789abcdef-secret\"\nreplication_port = seventy\n";
  ChildProcess master({DDB_MASTER_BINARY, "--config", path.string()}, dir.path() / "out.log");
  int code = 0;
  ASSERT_TRUE(master.WaitForExit(seconds(30), &code));
  EXPECT_NE(code, 0);
  const std::string out = master.ReadLog();
  EXPECT_NE(out.find(path.string()), std::string::npos) << out;
  EXPECT_NE(out.find("replication_port"), std::string::npos) << out;
}

TEST(BadInputTest, UnknownConsoleCommandAndSqlErrorsAreAnsweredLikeTheMariadbClient) {
  Cluster cluster(ClusterOptions{.slaves = 1});
  cluster.StartMaster();
  cluster.SqlAndWait("\\frobnicate\nSELECT * FROM no_db.no_table;\nSELEKT 1;");
  const std::string out = cluster.MasterConsoleOutput();
  EXPECT_NE(out.find("ERROR: unknown command '\\frobnicate'. Type \\help for the list of commands."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("ERROR 1146 (42S02): Table 'no_db.no_table' doesn't exist"), std::string::npos) << out;
  // Text MariaDB cannot parse gets MariaDB's own syntax error.
  EXPECT_NE(out.find("ERROR 1064 (42000): You have an error in your SQL syntax"), std::string::npos) << out;
  EXPECT_NE(out.find("near 'SELEKT 1'"), std::string::npos) << out;
  EXPECT_TRUE(cluster.MasterRunning());
}

TEST(BadInputTest, SlaveWhoseMySqlDiesRetriesSaysSoAndRecovers) {
  Cluster cluster(ClusterOptions{.slaves = 1});
  cluster.StartMaster();
  cluster.StartSlave(0, {}, /*console=*/true);
  cluster.SqlAndWait("CREATE DATABASE m;\nCREATE TABLE m.t (id INT PRIMARY KEY);");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  cluster.slave_db(0).Kill9();
  cluster.SqlAndWait("INSERT INTO m.t VALUES (1), (2);\nINSERT INTO m.t VALUES (3);");
  EXPECT_TRUE(WaitFor(
      [&] {
        cluster.SlaveSql(0, "\\status");
        return cluster.SlaveConsoleOutput(0).find("applier:     waiting for MySQL") != std::string::npos;
      },
      seconds(30), std::chrono::milliseconds(300)))
      << cluster.SlaveConsoleOutput(0);
  cluster.slave_db(0).Restart();
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60))) << cluster.SlaveLog(0);
  cluster.ExpectTableEqualEverywhere("m", "t");
}

}  // namespace
}  // namespace ddb::testing
