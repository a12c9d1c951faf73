#include "ddb/daemon/exposure.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(ExposureTest, LoopbackHosts) {
  for (const char* host : {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LocalHost", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host :
       {"0.0.0.0", "::", "10.0.0.1", "192.168.1.5", "db.example.com", "", "::ffff:10.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(ExposureTest, DemoSecretsAreTheShippedChangeMeValues) {
  EXPECT_TRUE(IsDemoSecret("demo-secret-change-me-0123456789"));
  EXPECT_TRUE(IsDemoSecret("app-secret-change-me"));
  EXPECT_TRUE(IsDemoSecret("demo-token-CHANGE-ME-0123456789"));
  EXPECT_FALSE(IsDemoSecret("a-secret-of-our-own-0123456789"));
  EXPECT_FALSE(IsDemoSecret(""));
}

TEST(ExposureTest, RequireTlsAutoAsksForItOffLoopbackOnly) {
  TlsOptions tls;
  EXPECT_FALSE(TlsRequired(tls, "127.0.0.1"));
  EXPECT_TRUE(TlsRequired(tls, "0.0.0.0"));
  tls.require = "true";
  EXPECT_TRUE(TlsRequired(tls, "127.0.0.1"));
  tls.require = "false";
  EXPECT_FALSE(TlsRequired(tls, "0.0.0.0"));
}

Surface Replication(const std::string& address, bool tls, const std::string& secret) {
  return {
      "the replication port",      "replication_address", address, tls, "set tls_cert_file and tls_key_file",
      {{"cluster_secret", secret}}};
}

TEST(ExposureTest, RefusalsNameTheKey) {
  TlsOptions tls;
  Status s = ReviewExposure("m.ini", tls, {Replication("0.0.0.0", false, "own-secret-0123456789")}, nullptr);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("m.ini: key 'replication_address': the replication port has no TLS"),
            std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("set tls_cert_file and tls_key_file"), std::string::npos) << s.message();

  s = ReviewExposure("m.ini", tls, {Replication("0.0.0.0", true, "demo-secret-change-me-0123456789")},
                     nullptr);
  EXPECT_NE(s.message().find("key 'cluster_secret' holds a demo value"), std::string::npos) << s.message();

  // On loopback both are fine.
  EXPECT_TRUE(
      ReviewExposure("m.ini", tls, {Replication("127.0.0.1", false, "demo-secret-change-me-0")}, nullptr)
          .ok());
  // require_tls = false: plain text off loopback is the operator's choice.
  tls.require = "false";
  EXPECT_TRUE(
      ReviewExposure("m.ini", tls, {Replication("0.0.0.0", false, "own-secret-0123456789")}, nullptr).ok());
}

TEST(ExposureTest, AllowInsecureTurnsRefusalsIntoWarnings) {
  TlsOptions tls;
  tls.allow_insecure = true;
  std::vector<std::string> warnings;
  EXPECT_TRUE(
      ReviewExposure("m.ini", tls, {Replication("0.0.0.0", false, "demo-secret-change-me-01234")}, &warnings)
          .ok());
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("has no TLS"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("demo value"), std::string::npos) << warnings[1];
}

}  // namespace
}  // namespace ddb
