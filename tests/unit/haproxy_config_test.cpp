#include "haproxy_config.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

MasterConfig TwoSlaves() {
  MasterConfig config;
  config.config_path = "master.ini";
  config.slaves = {"s1", "s2"};
  config.slave_mysql_addresses = {"s1=10.0.0.1:3306", "s2=10.0.0.2:3307"};
  config.slave_http_addresses = {"s1=10.0.0.1:8081", "s2=10.0.0.2:8082"};
  config.haproxy_bind = "127.0.0.1:3306";
  return config;
}

TEST(HaproxyConfigTest, ChecksEachSlaveThroughItsHealthPort) {
  std::string cfg;
  ASSERT_TRUE(BuildHaproxyConfig(TwoSlaves(), &cfg).ok());
  EXPECT_NE(cfg.find("    bind 127.0.0.1:3306\n"), std::string::npos) << cfg;
  EXPECT_NE(cfg.find("option httpchk GET /health"), std::string::npos);
  EXPECT_NE(cfg.find("    server s1 10.0.0.1:3306 check addr 10.0.0.1 port 8081\n"), std::string::npos)
      << cfg;
  EXPECT_NE(cfg.find("    server s2 10.0.0.2:3307 check addr 10.0.0.2 port 8082\n"), std::string::npos)
      << cfg;
}

TEST(HaproxyConfigTest, WithTheClustersCaTheHealthChecksAreHttpsVerifiedAgainstIt) {
  MasterConfig config = TwoSlaves();
  config.tls.files.ca_file = "/etc/ddb/ca.pem";
  std::string cfg;
  ASSERT_TRUE(BuildHaproxyConfig(config, &cfg).ok());
  EXPECT_NE(cfg.find("    server s1 10.0.0.1:3306 check addr 10.0.0.1 port 8081 check-ssl verify required "
                     "ca-file /etc/ddb/ca.pem\n"),
            std::string::npos)
      << cfg;
}

TEST(HaproxyConfigTest, AMissingAddressNamesTheFileKeyAndSlave) {
  MasterConfig config = TwoSlaves();
  config.slave_http_addresses.pop_back();
  std::string cfg;
  const Status s = BuildHaproxyConfig(config, &cfg);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("master.ini"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("slave_http_addresses"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("'s2'"), std::string::npos) << s.message();
}

// TwoSlaves() with a write frontend: every node's MySQL endpoint, this
// master's HTTP on 10.0.0.9:8080.
MasterConfig WithWriteFrontend() {
  MasterConfig config = TwoSlaves();
  config.node_name = "m";
  config.client_port = 4406;
  config.http = {"10.0.0.9", 8080};
  config.haproxy_write_bind = "127.0.0.1:4400";
  config.node_client_addresses = {"m=10.0.0.9:4406", "s1=10.0.0.1:4416", "s2=10.0.0.2:4426"};
  return config;
}

TEST(HaproxyConfigTest, NoWriteFrontendUnlessItHasABindAddress) {
  std::string cfg;
  ASSERT_TRUE(BuildHaproxyConfig(TwoSlaves(), &cfg).ok());
  EXPECT_EQ(cfg.find("ddb_writes"), std::string::npos) << cfg;
}

TEST(HaproxyConfigTest, TheWriteFrontendSendsWritesToTheNodeWhoseHealthSaysMaster) {
  std::string cfg;
  const Status s = BuildHaproxyConfig(WithWriteFrontend(), &cfg);
  ASSERT_TRUE(s.ok()) << s.message();
  const size_t writes = cfg.find("listen ddb_writes\n");
  ASSERT_NE(writes, std::string::npos) << cfg;
  ASSERT_GT(writes, cfg.find("listen ddb_reads\n"));  // the read frontend is unchanged, before it
  // Every node, each checked on its own HTTP port, traffic to its endpoint.
  EXPECT_EQ(cfg.substr(writes),
            "listen ddb_writes\n"
            "    balance first\n"
            "    option httpchk GET /health?role=master\n"
            "    http-check expect status 200\n"
            "    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions\n"
            "    bind 127.0.0.1:4400\n"
            "    server m 10.0.0.9:4406 check addr 10.0.0.9 port 8080\n"
            "    server s1 10.0.0.1:4416 check addr 10.0.0.1 port 8081\n"
            "    server s2 10.0.0.2:4426 check addr 10.0.0.2 port 8082\n");
}

TEST(HaproxyConfigTest, AWildcardHttpAddressIsCheckedAtTheHostOfTheNodesEndpoint) {
  MasterConfig config = WithWriteFrontend();
  config.http.address = "0.0.0.0";
  std::string cfg;
  ASSERT_TRUE(BuildHaproxyConfig(config, &cfg).ok());
  EXPECT_NE(cfg.find("    server m 10.0.0.9:4406 check addr 10.0.0.9 port 8080\n"), std::string::npos) << cfg;
}

TEST(HaproxyConfigTest, WithTheClustersCaTheWriteChecksAreHttpsToo) {
  MasterConfig config = WithWriteFrontend();
  config.tls.files.ca_file = "/etc/ddb/ca.pem";
  std::string cfg;
  ASSERT_TRUE(BuildHaproxyConfig(config, &cfg).ok());
  EXPECT_NE(cfg.find("    server m 10.0.0.9:4406 check addr 10.0.0.9 port 8080 check-ssl verify required "
                     "ca-file /etc/ddb/ca.pem\n"),
            std::string::npos)
      << cfg;
}

// Status message of BuildHaproxyConfig, "" when it succeeds.
std::string BuildError(const MasterConfig& config) {
  std::string cfg;
  const Status s = BuildHaproxyConfig(config, &cfg);
  return s.ok() ? "" : s.message();
}

TEST(HaproxyConfigTest, TheWriteFrontendsMistakesNameTheKey) {
  MasterConfig config = WithWriteFrontend();
  config.node_client_addresses.pop_back();
  std::string error = BuildError(config);
  EXPECT_NE(error.find("node_client_addresses"), std::string::npos) << error;
  EXPECT_NE(error.find("no address for 's2'"), std::string::npos) << error;

  config = WithWriteFrontend();
  config.node_client_addresses.erase(config.node_client_addresses.begin());  // the master itself
  error = BuildError(config);
  EXPECT_NE(error.find("no address for 'm'"), std::string::npos) << error;

  config = WithWriteFrontend();
  config.node_client_addresses[1] = "s1=10.0.0.1";
  error = BuildError(config);
  EXPECT_NE(error.find("node_client_addresses"), std::string::npos) << error;
  EXPECT_NE(error.find("'10.0.0.1' is not host:port"), std::string::npos) << error;

  config = WithWriteFrontend();
  config.haproxy_write_bind = "4400";
  error = BuildError(config);
  EXPECT_NE(error.find("haproxy_write_bind"), std::string::npos) << error;

  config = WithWriteFrontend();
  config.http.port = 0;
  error = BuildError(config);
  EXPECT_NE(error.find("http_port"), std::string::npos) << error;

  config = WithWriteFrontend();
  config.client_port = 0;
  error = BuildError(config);
  EXPECT_NE(error.find("client_port"), std::string::npos) << error;
}

TEST(HaproxyConfigTest, ParsesAddresses) {
  NamedAddress named;
  ASSERT_TRUE(ParseNamedAddress("s1=[::1]:3306", &named).ok());
  EXPECT_EQ(named.name, "s1");
  EXPECT_EQ(named.address.host, "::1");
  EXPECT_EQ(named.address.port, 3306);
  HostPort hp;
  EXPECT_FALSE(ParseHostPort("127.0.0.1", &hp).ok());
  EXPECT_FALSE(ParseHostPort("127.0.0.1:0", &hp).ok());
  EXPECT_FALSE(ParseHostPort("127.0.0.1:70000", &hp).ok());
  EXPECT_FALSE(ParseHostPort("127.0.0.1:33a", &hp).ok());
  EXPECT_FALSE(ParseNamedAddress("127.0.0.1:3306", &named).ok());
}

}  // namespace
}  // namespace ddb
