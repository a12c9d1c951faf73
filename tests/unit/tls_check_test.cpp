// --check's certificate lines (CheckTlsFiles) with certificates a private
// CA issues on the spot.
#include "ddb/daemon/tls_check.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_certificates.h"
#include "wait.h"

namespace ddb::testing {
namespace {

std::string Checked(const TlsFiles& files, int* problems) {
  CheckReport report;
  CheckTlsFiles("node.ini", files, &report);
  *problems = report.problems();
  return report.Text("ddb-test");
}

TEST(TlsCheckTest, AMatchingPairSignedByTheCaIsWellWithItsExpiry) {
  TempDir dir("ddb-tls-check");
  TestCa ca(dir.path(), "check CA");
  const CertificateFiles node = ca.Issue("node");
  int problems = -1;
  const std::string text = Checked({node.cert.string(), node.key.string(), ca.ca_file().string()}, &problems);
  EXPECT_EQ(problems, 0) << text;
  EXPECT_NE(text.find("and tls_key_file match, valid until 20"), std::string::npos) << text;
  EXPECT_NE(text.find("signed by tls_ca_file's CA"), std::string::npos) << text;
}

TEST(TlsCheckTest, AKeyOfAnotherCertificateIsAProblemNamingTheKey) {
  TempDir dir("ddb-tls-check");
  TestCa ca(dir.path(), "check CA");
  const CertificateFiles node = ca.Issue("node");
  const CertificateFiles other = ca.Issue("other");
  int problems = -1;
  const std::string text = Checked({node.cert.string(), other.key.string(), ""}, &problems);
  EXPECT_EQ(problems, 1) << text;
  EXPECT_NE(text.find("node.ini: key 'tls_key_file'"), std::string::npos) << text;
  // OpenSSL refuses the pair as it loads the key, or the explicit check does.
  EXPECT_TRUE(text.find("key values mismatch") != std::string::npos ||
              text.find("not the private key of tls_cert_file's certificate") != std::string::npos)
      << text;
}

TEST(TlsCheckTest, ACertificateTheCaDoesNotVouchForIsNotedAndAMissingFileIsAProblem) {
  TempDir dir("ddb-tls-check");
  std::filesystem::create_directories(dir.path() / "a");
  std::filesystem::create_directories(dir.path() / "b");
  TestCa ca(dir.path() / "a", "CA one");
  TestCa stranger(dir.path() / "b", "CA two");
  const CertificateFiles node = ca.Issue("node");
  int problems = -1;
  std::string text = Checked({node.cert.string(), node.key.string(), stranger.ca_file().string()}, &problems);
  EXPECT_EQ(problems, 0) << text;
  EXPECT_NE(text.find("note: tls_ca_file's CAs do not vouch for it"), std::string::npos) << text;

  text = Checked({(dir.path() / "nope.pem").string(), node.key.string(), ""}, &problems);
  EXPECT_EQ(problems, 1) << text;
  EXPECT_NE(text.find("tls_cert_file"), std::string::npos) << text;
}

}  // namespace
}  // namespace ddb::testing
