// Config files: every key parsed, and every mistake named by file and key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config_files_fixture.h"
#include "ddb/daemon/config_check.h"

namespace ddb {
namespace {

class ConfigTest : public ConfigFilesTest {};

TEST_F(ConfigTest, MasterFileIsParsedWithCommentsAndLists) {
  const std::string path = Write("master.ini",
                                 "# the master\n"
                                 "node_name = alpha\n"
                                 "cluster_secret = \"a-long-enough-secret\"\n"
                                 "replication_port = 5000  # trailing comment\n"
                                 "mysql_port = 3310\n"
                                 "slaves = one, two,three\n");
  MasterConfig config;
  ParseResult result = LoadMaster(path, &config);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(config.node_name, "alpha");
  EXPECT_EQ(config.replication_port, 5000);
  EXPECT_EQ(config.mysql.port, 3310);
  EXPECT_EQ(config.slaves, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(config.console.mode, ConsoleMode::kAuto);
}

TEST_F(ConfigTest, FlagsOverrideTheFile) {
  const std::string path =
      Write("master.ini", "cluster_secret = \"a-long-enough-secret\"\nmysql_port = 3310\n");
  MasterConfig config;
  ParseResult result = LoadMaster(path, &config, {"--mysql_port", "4000", "--console", "off"});
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(config.mysql.port, 4000);
  EXPECT_EQ(config.console.mode, ConsoleMode::kOff);
}

TEST_F(ConfigTest, MissingSecretNamesFileAndKey) {
  const std::string path = Write("master.ini", "mysql_port = 3310\n");
  MasterConfig config;
  ParseResult result = LoadMaster(path, &config);
  EXPECT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find(path), std::string::npos) << result.status.message();
  EXPECT_NE(result.status.message().find("key 'cluster_secret' is missing"), std::string::npos);
}

TEST_F(ConfigTest, MalformedNumberNamesFileAndKey) {
  const std::string path =
      Write("master.ini", "cluster_secret = \"a-long-enough-secret\"\nmysql_port = many\n");
  MasterConfig config;
  ParseResult result = LoadMaster(path, &config);
  EXPECT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find(path + ": key 'mysql_port'"), std::string::npos)
      << result.status.message();
}

TEST_F(ConfigTest, UnknownKeyIsAnErrorNotIgnored) {
  const std::string path =
      Write("master.ini", "cluster_secret = \"a-long-enough-secret\"\nmysql_prot = 3310\n");
  MasterConfig config;
  ParseResult result = LoadMaster(path, &config);
  EXPECT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find("unknown key 'mysql_prot'"), std::string::npos)
      << result.status.message();
}

TEST_F(ConfigTest, MissingFileIsNamed) {
  MasterConfig config;
  ParseResult result = LoadMaster((dir_ / "absent.ini").string(), &config);
  EXPECT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find("absent.ini"), std::string::npos) << result.status.message();
}

TEST_F(ConfigTest, ShortSecretAndDuplicateSlaveAreRejected) {
  MasterConfig short_secret;
  EXPECT_NE(LoadMaster(Write("a.ini", "cluster_secret = short\n"), &short_secret)
                .status.message()
                .find("too short"),
            std::string::npos);
  MasterConfig duplicate;
  ParseResult result =
      LoadMaster(Write("b.ini", "cluster_secret = \"a-long-enough-secret\"\nslaves = s1, s1\n"), &duplicate);
  EXPECT_NE(result.status.message().find("key 'slaves': 's1' is listed twice"), std::string::npos)
      << result.status.message();
}

TEST_F(ConfigTest, ClientEndpointIsOffByDefaultAndTakesUserPasswordPairs) {
  MasterConfig off;
  ASSERT_TRUE(LoadMaster(Write("off.ini", "cluster_secret = \"a-long-enough-secret\"\n"), &off).status.ok());
  EXPECT_EQ(off.client_port, 0);
  EXPECT_EQ(off.client_address, "127.0.0.1");

  MasterConfig on;
  ParseResult result = LoadMaster(Write("on.ini",
                                        "cluster_secret = \"a-long-enough-secret\"\n"
                                        "client_port = 4406\n"
                                        "client_users = \"app:s3cret, report:with:colon\"\n"
                                        "client_max_connections = 7\n"),
                                  &on);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(on.client_port, 4406);
  ASSERT_EQ(on.client_users.size(), 2u);
  EXPECT_EQ(on.client_users[0].name, "app");
  EXPECT_EQ(on.client_users[0].password, "s3cret");
  EXPECT_EQ(on.client_users[1].name, "report");
  EXPECT_EQ(on.client_users[1].password, "with:colon");
  EXPECT_EQ(on.client_max_connections, 7u);
}

TEST_F(ConfigTest, ClientEndpointNeedsUsersWithPasswords) {
  MasterConfig no_users;
  ParseResult result = LoadMaster(
      Write("a.ini", "cluster_secret = \"a-long-enough-secret\"\nclient_port = 4406\n"), &no_users);
  EXPECT_NE(result.status.message().find("key 'client_users'"), std::string::npos) << result.status.message();
  MasterConfig no_password;
  result = LoadMaster(Write("b.ini", "cluster_secret = \"a-long-enough-secret\"\nclient_users = app:\n"),
                      &no_password);
  EXPECT_NE(result.status.message().find("user 'app' has no password"), std::string::npos)
      << result.status.message();
  MasterConfig no_colon;
  result = LoadMaster(
      Write("c.ini", "cluster_secret = \"a-long-enough-secret\"\nclient_users = justapassword\n"), &no_colon);
  EXPECT_FALSE(result.status.ok());
  EXPECT_EQ(result.status.message().find("justapassword"), std::string::npos)
      << "the entry may be a password";
}

TEST_F(ConfigTest, HttpKeysAreParsedAndMistakesNamed) {
  const std::string base = "cluster_secret = \"a-long-enough-secret\"\nslaves = s1, s2\n";
  MasterConfig good;
  ASSERT_TRUE(
      LoadMaster(Write("h.ini", base + "http_address = 0.0.0.0\nhttp_port = 9000\nallow_insecure = true\n"
                                       "http_token = \"0123456789abcdef\"\n"
                                       "slave_mysql_addresses = s1=10.0.0.1:3306, s2=10.0.0.2:3306\n"),
                 &good)
          .status.ok());
  EXPECT_EQ(good.http.address, "0.0.0.0");
  EXPECT_EQ(good.http.port, 9000);
  EXPECT_EQ(good.slave_mysql_addresses, (std::vector<std::string>{"s1=10.0.0.1:3306", "s2=10.0.0.2:3306"}));
  MasterConfig defaults;
  ASSERT_TRUE(LoadMaster(Write("d.ini", base), &defaults).status.ok());
  EXPECT_EQ(defaults.http.address, "127.0.0.1");  // loopback unless configured otherwise
  EXPECT_EQ(defaults.http.port, 8080);

  MasterConfig short_token;
  EXPECT_NE(LoadMaster(Write("t.ini", base + "http_token = short\n"), &short_token)
                .status.message()
                .find("t.ini: key 'http_token'"),
            std::string::npos);
  MasterConfig unknown_slave;
  ParseResult result =
      LoadMaster(Write("u.ini", base + "slave_http_addresses = s3=127.0.0.1:8083\n"), &unknown_slave);
  EXPECT_NE(result.status.message().find("key 'slave_http_addresses': 's3' is not in 'slaves'"),
            std::string::npos)
      << result.status.message();
  MasterConfig bad_address;
  result = LoadMaster(Write("v.ini", base + "slave_mysql_addresses = s1=localhost\n"), &bad_address);
  EXPECT_NE(result.status.message().find("key 'slave_mysql_addresses'"), std::string::npos)
      << result.status.message();
  SlaveConfig slave;
  result = LoadSlave(
      Write("w.ini", "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\nhttp_port = 99999\n"),
      &slave);
  EXPECT_NE(result.status.message().find("http_port"), std::string::npos) << result.status.message();
}

TEST_F(ConfigTest, WriteFrontendAndReadsWithoutMasterKeysAreParsedAndMistakesNamed) {
  const std::string base = "cluster_secret = \"a-long-enough-secret\"\nslaves = s1, s2\n";
  MasterConfig good;
  ASSERT_TRUE(
      LoadMaster(Write("wf.ini", base + "haproxy_write_bind = 127.0.0.1:4400\n"
                                        "node_client_addresses = master=127.0.0.1:4406, s1=10.0.0.1:4406\n"),
                 &good)
          .status.ok());
  EXPECT_EQ(good.haproxy_write_bind, "127.0.0.1:4400");
  EXPECT_EQ(good.node_client_addresses,
            (std::vector<std::string>{"master=127.0.0.1:4406", "s1=10.0.0.1:4406"}));
  MasterConfig stranger;
  ParseResult result =
      LoadMaster(Write("ws.ini", base + "node_client_addresses = s9=10.0.0.9:4406\n"), &stranger);
  EXPECT_NE(result.status.message().find("key 'node_client_addresses': 's9' is neither this node"),
            std::string::npos)
      << result.status.message();
  MasterConfig bad_bind;
  result = LoadMaster(Write("wb.ini", base + "haproxy_write_bind = 4400\n"), &bad_bind);
  EXPECT_NE(result.status.message().find("key 'haproxy_write_bind'"), std::string::npos)
      << result.status.message();

  SlaveConfig slave;
  ASSERT_TRUE(
      LoadSlave(Write("rw.ini", "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\n"), &slave)
          .status.ok());
  EXPECT_EQ(slave.reads_without_master_seconds, 300);
  result = LoadSlave(Write("rx.ini",
                           "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\n"
                           "reads_without_master_seconds = -1\n"),
                     &slave);
  EXPECT_NE(result.status.message().find("reads_without_master_seconds"), std::string::npos)
      << result.status.message();
}

TEST_F(ConfigTest, HeartbeatTimeoutMustExceedInterval) {
  MasterConfig config;
  ParseResult result = LoadMaster(Write("m.ini",
                                        "cluster_secret = \"a-long-enough-secret\"\n"
                                        "heartbeat_interval_ms = 1000\nheartbeat_timeout_ms = 500\n"),
                                  &config);
  EXPECT_NE(result.status.message().find("heartbeat_timeout_ms"), std::string::npos)
      << result.status.message();
}

TEST_F(ConfigTest, SlaveNeedsItsNameAndAValidConsoleMode) {
  SlaveConfig nameless;
  EXPECT_NE(LoadSlave(Write("s.ini", "cluster_secret = \"a-long-enough-secret\"\n"), &nameless)
                .status.message()
                .find("key 'node_name' is missing"),
            std::string::npos);
  SlaveConfig bad_console;
  ParseResult result = LoadSlave(
      Write("t.ini", "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\nconsole = maybe\n"),
      &bad_console);
  EXPECT_NE(result.status.message().find("key 'console'"), std::string::npos) << result.status.message();
  SlaveConfig good;
  ASSERT_TRUE(LoadSlave(Write("u.ini",
                              "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\n"
                              "master_host = 10.0.0.5\nmaster_port = 4500\n"),
                        &good)
                  .status.ok());
  EXPECT_EQ(good.master_host, "10.0.0.5");
  EXPECT_EQ(good.master_port, 4500);
}

TEST_F(ConfigTest, ConsoleSocketDefaultsPerNodeAndCanBeTurnedOff) {
  const std::string base = "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\n";
  SlaveConfig defaulted;
  ASSERT_TRUE(LoadSlave(Write("a.ini", base), &defaulted).status.ok());
  EXPECT_EQ(defaulted.console_socket, "/tmp/ddb-slave-s1.sock");
  SlaveConfig set;
  ASSERT_TRUE(LoadSlave(Write("b.ini", base + "console_socket = run/s1.sock\n"), &set).status.ok());
  EXPECT_EQ(set.console_socket, "run/s1.sock");
  SlaveConfig off;
  ASSERT_TRUE(LoadSlave(Write("c.ini", base + "console_socket = off\n"), &off).status.ok());
  EXPECT_TRUE(off.console_socket.empty());
  SlaveConfig too_long;
  ParseResult result =
      LoadSlave(Write("d.ini", base + "console_socket = /" + std::string(120, 'x') + "\n"), &too_long);
  EXPECT_NE(result.status.message().find("d.ini: key 'console_socket'"), std::string::npos)
      << result.status.message();
  EXPECT_NE(result.status.message().find("at most 107"), std::string::npos) << result.status.message();
}

TEST_F(ConfigTest, EveryProblemIsListedNotOnlyTheFirst) {
  const std::string path = Write("m.ini",
                                 "cluster_secret = short\n"
                                 "mysql_port = many\n"
                                 "mysql_prot = 3310\n"
                                 "heartbeat_interval_ms = 1000\nheartbeat_timeout_ms = 500\n"
                                 "log_level = loud\n"
                                 "mysql_user = a\nmysql_user = b\n");
  MasterConfig config;
  ParseResult result = LoadMaster(path, &config);
  const std::string message = result.status.message();
  for (const std::string& expected : std::vector<std::string>{
           path + ": key 'mysql_port'", path + ": unknown key 'mysql_prot'",
           "key 'cluster_secret' is too short", "key 'heartbeat_timeout_ms'", "key 'log_level': 'loud'",
           "key 'mysql_user': set twice (lines 7 and 8); keep one"}) {
    EXPECT_NE(message.find(expected), std::string::npos) << expected << " in:\n" << message;
  }
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 5) << message;  // six lines
}

TEST_F(ConfigTest, SettingsSayWhereEachValueCameFrom) {
  const std::string path =
      Write("m.ini", "# comment\ncluster_secret = \"a-long-enough-secret\"\nmysql_port = 3310\n");
  MasterConfig config;
  ASSERT_TRUE(LoadMaster(path, &config, {"--node_name", "alpha"}).status.ok());
  const KeySetting* port = FindSetting(config.settings, "mysql_port");
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->value, "3310");
  EXPECT_EQ(port->source, path + ":3");
  EXPECT_EQ(FindSetting(config.settings, "node_name")->source, "flag");
  EXPECT_EQ(FindSetting(config.settings, "replication_port")->source, "default");
  EXPECT_EQ(FindSetting(config.settings, "replication_port")->value, "4407");
  EXPECT_EQ(FindSetting(config.settings, "cluster_secret")->Shown(), "********");
  EXPECT_EQ(FindSetting(config.settings, "max_lag_seconds")->change, KeyChange::kLive);
  EXPECT_EQ(FindSetting(config.settings, "replication_port")->change, KeyChange::kRestart);
}

TEST_F(ConfigTest, ShippedConfigsHaveNoProblem) {
  MasterConfig master;
  ParseResult result = LoadMaster(DDB_SOURCE_DIR "/config/master.ini", &master);
  EXPECT_TRUE(result.status.ok()) << result.status.message();
  for (const char* file : {"/config/slave1.ini", "/config/slave2.ini"}) {
    SlaveConfig slave;
    result = LoadSlave(std::string(DDB_SOURCE_DIR) + file, &slave);
    EXPECT_TRUE(result.status.ok()) << result.status.message();
  }
}

TEST(MissingPrivilegesTest, AllPrivilegesOrTheNeededOnesOnDdbMetaSuffice) {
  EXPECT_TRUE(MissingPrivileges({"GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"},
                                MySqlRole::kSlave)
                  .empty());
  EXPECT_TRUE(
      MissingPrivileges({"GRANT PROCESS, CONNECTION ADMIN ON *.* TO `ddb`@`%`",
                         "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `ddb\\_meta`.* TO `ddb`@`%`"},
                        MySqlRole::kMaster)
          .empty());
  const std::vector<std::string> missing =
      MissingPrivileges({"GRANT SELECT, INSERT ON *.* TO `ro`@`%`"}, MySqlRole::kMaster);
  EXPECT_EQ(missing,
            (std::vector<std::string>{
                "UPDATE on ddb_meta.*", "DELETE on ddb_meta.*", "CREATE on ddb_meta.*",
                "PROCESS on *.* (to end an endpoint session whose COMMIT answer was lost)",
                "CONNECTION ADMIN on *.* (to end an endpoint session whose COMMIT answer was lost)"}));
  EXPECT_FALSE(
      MissingPrivileges({"GRANT ALL PRIVILEGES ON `ddb_meta`.* TO `s`@`%`"}, MySqlRole::kSlave).empty())
      << "a slave replays every statement: it needs more than ddb_meta";
}

TEST_F(ConfigTest, MySqlTlsKeysMustFitTogether) {
  const std::string base = "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\n";
  SlaveConfig good;
  ASSERT_TRUE(LoadSlave(Write("tls-ok.ini", base + "mysql_ssl_ca = /etc/ca.pem\nmysql_ssl_cert = /etc/c.pem\n"
                                                   "mysql_ssl_key = /etc/c.key\n"),
                        &good)
                  .status.ok());
  EXPECT_EQ(good.mysql.ssl_ca, "/etc/ca.pem");
  EXPECT_NE(good.mysql.Describe().find("(TLS)"), std::string::npos) << good.mysql.Describe();
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"mysql_ssl_ca = /etc/ca.pem\nmysql_ssl_cert = /etc/c.pem\n", "key 'mysql_ssl_key'"},
      {"mysql_ssl_cert = /etc/c.pem\nmysql_ssl_key = /etc/c.key\n", "key 'mysql_ssl_ca': needed with"},
      {"mysql_ssl_ca = /etc/ca.pem\nmysql_socket = /run/mysqld.sock\n", "no TLS on it"},
  };
  for (const auto& [lines, needle] : refused) {
    SlaveConfig config;
    const ParseResult result = LoadSlave(Write("tls-bad.ini", base + lines), &config);
    EXPECT_NE(result.status.message().find(needle), std::string::npos) << lines << result.status.message();
  }
}

}  // namespace
}  // namespace ddb
