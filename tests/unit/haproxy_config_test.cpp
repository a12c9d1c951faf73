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
