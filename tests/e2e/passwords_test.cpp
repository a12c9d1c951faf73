// A password typed in CREATE USER reaches no log, wire or API: the master
// logs its hash, and the account works on every slave with the password.
#include <gtest/gtest.h>

#include "child_process.h"
#include "cluster.h"
#include "endpoint_clients.h"
#include "http_client.h"
#include "tcp_relay.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kPassword = "Sup3r-secret-pw";

TEST(PasswordsTest, PasswordsAreLoggedAsHashesAndTheAccountWorksOnEverySlave) {
  ClusterOptions options;
  options.mysql_endpoint = true;
  options.slaves = 1;
  Cluster cluster(options);
  cluster.StartMaster();
  // The slave dials through a relay that keeps every byte of the link.
  TcpRelay relay(cluster.replication_port());
  const auto config = cluster.WriteSlaveConfig("slave1-via-relay.ini", "slave1", cluster.slave_db(0).port(),
                                               cluster.options().secret);
  ChildProcess slave({DDB_SLAVE_BINARY, "--config", config.string(), "--console", "off", "--master_port",
                      std::to_string(relay.port())},
                     cluster.dir() / "slave1-stdout.log");

  const std::string pw = kPassword;
  ASSERT_TRUE(
      ExecuteThroughEndpoint(cluster, {"CREATE USER 'reader'@'%' IDENTIFIED BY '" + pw + "'",
                                       "GRANT SELECT ON *.* TO 'reader'@'%'", "CREATE USER 'other'@'%'",
                                       "SET PASSWORD FOR 'other'@'%' = PASSWORD('" + pw + "-2')",
                                       "ALTER USER 'other'@'%' IDENTIFIED BY '" + pw + "-3'"})
          .ok());
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60)));

  // Not in the log table, not in /api/log, not on the wire.
  EXPECT_EQ(cluster.master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.replication_log WHERE LOCATE('" +
                                           pw + "', body) > 0"),
            "0");
  EXPECT_NE(cluster.master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.replication_log WHERE LOCATE("
                                           "'IDENTIFIED BY PASSWORD', body) > 0"),
            "0")
      << "the hash form is what is logged";
  const HttpReply log = HttpGet(cluster.master_http_port(), "/api/log?after=0&limit=100", options.http_token);
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(log.body.find(pw), std::string::npos) << log.body;
  EXPECT_NE(log.body.find("reader"), std::string::npos) << "the statements are there, without the password";
  const std::string wire = relay.Captured();
  EXPECT_NE(wire.find("reader"), std::string::npos) << "the relay saw the records";
  EXPECT_EQ(wire.find(pw), std::string::npos) << "a password crossed the replication link";

  // The accounts work on the slave with their passwords.
  for (const auto& [user, password] :
       std::vector<std::pair<std::string, std::string>>{{"reader", pw}, {"other", pw + "-3"}}) {
    MySqlEndpoint on_slave;
    on_slave.port = cluster.slave_db(0).port();
    on_slave.user = user;
    on_slave.password = password;
    std::unique_ptr<MySqlConnection> connection;
    EXPECT_TRUE(MySqlConnection::Open(on_slave, &connection).ok()) << user << " cannot log in on the slave";
  }
  slave.Terminate();
}

TEST(PasswordsTest, APasswordThatCannotBeHashedIsRefusedBeforeItRuns) {
  ClusterOptions options;
  options.mysql_endpoint = true;
  options.slaves = 1;
  Cluster cluster(options);
  cluster.StartAll();
  const Status s = ExecuteThroughEndpoint(
      cluster,
      {"CREATE USER 'ed'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('" + std::string(kPassword) + "')"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("plain-text password"), std::string::npos) << s.ToString();
  EXPECT_EQ(s.message().find(kPassword), std::string::npos) << "the refusal must not echo the password";
  EXPECT_EQ(cluster.master_db().QueryValue("SELECT COUNT(*) FROM mysql.user WHERE user = 'ed'"), "0");
}

}  // namespace
}  // namespace ddb::testing
