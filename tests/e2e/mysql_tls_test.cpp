// TLS between each daemon and its own MariaDB (mysql_ssl_ca, ...): every
// node's MariaDB offers TLS, and the daemons' account requires it (REQUIRE
// SSL), so a cluster that replicates proves every connection ddb makes to
// MariaDB -- sessions, the log, the applier, status reads -- is TLS. Without
// the key the account is refused, and a CA that did not sign the server's
// certificate makes ddb refuse the server.
#include <gtest/gtest.h>

#include "cluster.h"
#include "file_text.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

struct Ran {
  int code = -1;
  std::string output;
};

// ddb-master on `cluster`'s config, headless, with `extra` flags, until it
// exits: each case here must end at its MySQL connection.
Ran RunMaster(Cluster& cluster, const std::string& name, std::vector<std::string> extra) {
  std::vector<std::string> args = {DDB_MASTER_BINARY, "--config", cluster.master_config().string(),
                                   "--console", "off"};
  args.insert(args.end(), extra.begin(), extra.end());
  const std::filesystem::path log = cluster.dir() / (name + ".out");
  ChildProcess master(args, log);
  Ran ran;
  EXPECT_TRUE(master.WaitForExit(seconds(30), &ran.code)) << "still running: " << ReadFile(log);
  ran.output = ReadFile(log) + ReadFile(cluster.dir() / "master.log");
  return ran;
}

TEST(MySqlTlsTest, EveryDaemonReachesItsMariaDbOverVerifiedTls) {
  ClusterOptions options;
  options.mysql_tls = true;
  Cluster cluster(options);
  cluster.StartAll();
  cluster.SqlAndWait(
      "CREATE DATABASE tls_db;\n"
      "CREATE TABLE tls_db.t (id INT PRIMARY KEY, v VARCHAR(20));\n"
      "INSERT INTO tls_db.t VALUES (1, 'over'), (2, 'tls');\n"
      "BEGIN;\n"
      "UPDATE tls_db.t SET v = 'TLS' WHERE id = 2;\n"
      "COMMIT;");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30))) << cluster.SlaveLog(0);
  cluster.ExpectTableEqualEverywhere("tls_db", "t");
  EXPECT_EQ(cluster.slave_db(1).QueryValue("SELECT v FROM tls_db.t WHERE id = 2"), "TLS");
  // The applier's log line names its connection as TLS.
  EXPECT_NE(cluster.SlaveLog(0).find("applier connected to MySQL at ddb_tls@127.0.0.1:"), std::string::npos)
      << cluster.SlaveLog(0);
  EXPECT_NE(cluster.SlaveLog(0).find("(TLS)"), std::string::npos) << cluster.SlaveLog(0);
}

TEST(MySqlTlsTest, WithoutTheCaOrWithAnotherCaTheMasterDoesNotConnect) {
  ClusterOptions options;
  options.mysql_tls = true;
  options.slaves = 1;
  Cluster cluster(options);

  // Plain text: the account requires TLS, so MariaDB refuses it.
  const Ran plain = RunMaster(cluster, "plain", {"--mysql_ssl_ca", ""});
  EXPECT_EQ(plain.code, 1) << plain.output;
  EXPECT_NE(plain.output.find("cannot connect to the master's MySQL"), std::string::npos) << plain.output;
  EXPECT_NE(plain.output.find("Access denied for user 'ddb_tls'"), std::string::npos) << plain.output;

  // A server whose certificate this CA did not sign is not trusted.
  TestCa other(cluster.dir() / "other-ca", "another CA");
  const Ran foreign = RunMaster(cluster, "foreign", {"--mysql_ssl_ca", other.ca_file().string()});
  EXPECT_EQ(foreign.code, 1) << foreign.output;
  EXPECT_NE(foreign.output.find("cannot connect to the master's MySQL at ddb_tls@127.0.0.1:"),
            std::string::npos)
      << foreign.output;
  EXPECT_NE(foreign.output.find("SSL"), std::string::npos) << foreign.output;
}

}  // namespace
}  // namespace ddb::testing
