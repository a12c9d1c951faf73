// The TLS and secret keys of both daemons' configs: parsed, defaulted, and
// the insecure starts refused with the key named.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config_files_fixture.h"

namespace ddb {
namespace {

class TlsConfigTest : public ConfigFilesTest {};

TEST_F(TlsConfigTest, MasterKeysAreParsed) {
  MasterConfig config;
  const ParseResult result =
      LoadMaster(Write("m.ini",
                       "cluster_secret = \"a-long-enough-secret\"\n"
                       "tls_cert_file = /etc/ddb/m.pem\ntls_key_file = /etc/ddb/m.key\n"
                       "tls_ca_file = /etc/ddb/ca.pem\ntls_require_client_cert = true\n"
                       "require_tls = true\nclient_port = 0\n"),
                 &config);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(config.tls.files.cert_file, "/etc/ddb/m.pem");
  EXPECT_EQ(config.tls.files.key_file, "/etc/ddb/m.key");
  EXPECT_EQ(config.tls.files.ca_file, "/etc/ddb/ca.pem");
  EXPECT_TRUE(config.tls_require_client_cert);
  EXPECT_EQ(config.tls.require, "true");
  EXPECT_FALSE(config.tls.allow_insecure);

  MasterConfig defaults;
  ASSERT_TRUE(
      LoadMaster(Write("d.ini", "cluster_secret = \"a-long-enough-secret\"\n"), &defaults).status.ok());
  EXPECT_EQ(defaults.tls.require, "auto");
  EXPECT_TRUE(defaults.tls.files.cert_file.empty());

  MasterConfig bad;
  EXPECT_NE(
      LoadMaster(Write("b.ini", "cluster_secret = \"a-long-enough-secret\"\nrequire_tls = maybe\n"), &bad)
          .status.message()
          .find("require_tls"),
      std::string::npos);
  EXPECT_NE(
      LoadMaster(
          Write("c.ini", "cluster_secret = \"a-long-enough-secret\"\ntls_require_client_cert = true\n"), &bad)
          .status.message()
          .find("key 'tls_require_client_cert' needs TLS"),
      std::string::npos);
}

TEST_F(TlsConfigTest, SlaveLinkUsesTlsWithACaOrWhereRequired) {
  const std::string base = "node_name = s1\ncluster_secret = \"a-long-enough-secret\"\n";
  SlaveConfig plain;
  ASSERT_TRUE(LoadSlave(Write("p.ini", base), &plain).status.ok());
  EXPECT_FALSE(LinkUsesTls(plain));
  SlaveConfig with_ca;
  ASSERT_TRUE(
      LoadSlave(Write("c.ini", base + "tls_ca_file = /etc/ddb/ca.pem\ntls_server_name = db1\n"), &with_ca)
          .status.ok());
  EXPECT_TRUE(LinkUsesTls(with_ca));
  EXPECT_EQ(with_ca.tls_server_name, "db1");
  SlaveConfig remote;
  ASSERT_TRUE(LoadSlave(Write("r.ini", base + "master_host = db1.example.com\n"), &remote).status.ok());
  EXPECT_TRUE(LinkUsesTls(remote));  // require_tls = auto, off loopback
  SlaveConfig opted_out;
  ASSERT_TRUE(
      LoadSlave(Write("o.ini", base + "master_host = db1.example.com\nrequire_tls = false\n"), &opted_out)
          .status.ok());
  EXPECT_FALSE(LinkUsesTls(opted_out));
}

TEST_F(TlsConfigTest, SecretsFromAFileOrTheEnvironment) {
  const std::string secret_file = Write("secret", "a-secret-in-a-file-0123\n");
  const std::string token_file = Write("token", "a-token-in-a-file-0123\n");
  MasterConfig from_files;
  const ParseResult result = LoadMaster(
      Write("f.ini", "cluster_secret_file = " + secret_file + "\nhttp_token_file = " + token_file + "\n"),
      &from_files);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(from_files.cluster_secret, "a-secret-in-a-file-0123");
  EXPECT_EQ(from_files.http_token, "a-token-in-a-file-0123");

  ::setenv("DDB_CLUSTER_SECRET", "a-secret-from-the-environment", 1);
  ::setenv("DDB_HTTP_TOKEN", "a-token-from-the-environment", 1);
  MasterConfig from_env;
  EXPECT_TRUE(LoadMaster(Write("e.ini", ""), &from_env).status.ok());
  EXPECT_EQ(from_env.cluster_secret, "a-secret-from-the-environment");
  EXPECT_EQ(from_env.http_token, "a-token-from-the-environment");
  // The config wins over the environment.
  MasterConfig config_wins;
  EXPECT_TRUE(
      LoadMaster(Write("w.ini", "cluster_secret = \"the-config-file-secret\"\n"), &config_wins).status.ok());
  EXPECT_EQ(config_wins.cluster_secret, "the-config-file-secret");
  SlaveConfig slave_env;
  EXPECT_TRUE(LoadSlave(Write("s.ini", "node_name = s1\n"), &slave_env).status.ok());
  EXPECT_EQ(slave_env.cluster_secret, "a-secret-from-the-environment");
  ::unsetenv("DDB_CLUSTER_SECRET");
  ::unsetenv("DDB_HTTP_TOKEN");

  MasterConfig both;
  EXPECT_NE(LoadMaster(Write("b.ini", "cluster_secret = \"the-config-file-secret\"\ncluster_secret_file = " +
                                          secret_file + "\n"),
                       &both)
                .status.message()
                .find("'cluster_secret' and 'cluster_secret_file' are both set"),
            std::string::npos);
}

TEST_F(TlsConfigTest, InsecureStartsAreRefusedNamingTheKey) {
  const std::string base = "cluster_secret = \"a-long-enough-secret\"\n";
  auto load = [&](const std::string& name, const std::string& text) {
    MasterConfig config;  // a fresh one each time: CLI11 keeps what it parsed before
    return LoadMaster(Write(name, text), &config).status;
  };
  Status s = load("a.ini", base + "replication_address = 0.0.0.0\n");
  EXPECT_NE(s.message().find("key 'replication_address'"), std::string::npos) << s.message();
  s = load("b.ini", base + "client_port = 4406\nclient_users = a:b\nclient_address = ::\n");
  EXPECT_NE(s.message().find("key 'client_address'"), std::string::npos) << s.message();
  s = load("c.ini",
           "cluster_secret = \"demo-secret-change-me-0123456789\"\nreplication_address = 10.0.0.1\n"
           "tls_cert_file = m.pem\ntls_key_file = m.key\n");
  EXPECT_NE(s.message().find("key 'cluster_secret' holds a demo value"), std::string::npos) << s.message();
  s = load("d.ini", base + "replication_address = 0.0.0.0\nallow_insecure = true\n");
  EXPECT_TRUE(s.ok()) << s.message();
}

}  // namespace
}  // namespace ddb
