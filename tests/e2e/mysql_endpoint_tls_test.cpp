// TLS on the master's MySQL endpoint, with the mariadb client: a client that
// asks gets TLS (the certificate checked against the cluster's CA) and its
// writes replicate as any; one that does not trust the certificate gets no
// session; with require_tls, a client without TLS is refused with MariaDB's
// own ERR 3159 (require_secure_transport) and nothing of it runs.
#include "mysql_endpoint_fixture.h"
#include "test_certificates.h"

namespace ddb::testing {
namespace {

class MySqlEndpointTlsTest : public MySqlEndpointTest {
 protected:
  void SetUp() override {}  // each test starts its own cluster

  ProgramRun EndpointWith(const std::string& flags, const std::string& sql) {
    return Mariadb(cluster_->client_port(), kClientUser, kClientPassword, sql, flags);
  }
  std::string VerifiedTls() const {
    return "--ssl --ssl-verify-server-cert --ssl-ca=" + cluster_->ca_file().string();
  }
};

TEST_F(MySqlEndpointTlsTest, AClientThatAsksGetsTlsAndItsWritesReplicate) {
  StartCluster({}, /*tls=*/true);
  const ProgramRun run =
      EndpointWith(VerifiedTls(),
                   "CREATE DATABASE s;\nCREATE TABLE s.t (id INT PRIMARY KEY, v VARCHAR(20));\n"
                   "INSERT INTO s.t VALUES (1, 'inside tls');\nstatus\n");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Cipher in use is TLS"), std::string::npos) << run.output;
  ExpectSlavesEqual("s", {"t"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT v FROM s.t WHERE id = 1"), "inside tls");

  // On loopback TLS is offered, not required: a plain client still works.
  const ProgramRun plain = EndpointWith("--skip-ssl", "SELECT COUNT(*) AS n FROM s.t;\nstatus\n");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_NE(plain.output.find("Not in use"), std::string::npos) << plain.output;
}

TEST_F(MySqlEndpointTlsTest, AClientThatDoesNotTrustTheCertificateGetsNoSession) {
  StartCluster({}, /*tls=*/true);
  TestCa stranger(cluster_->dir() / "stranger", "some other CA");
  const ProgramRun run = EndpointWith(
      "--ssl --ssl-verify-server-cert --ssl-ca=" + stranger.ca_file().string(), "CREATE DATABASE never;\n");
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("ERROR 2026"), std::string::npos) << run.output;  // TLS/SSL error
  EXPECT_EQ(cluster_->master_db().QueryValue(
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'never'"),
            "0");
}

TEST_F(MySqlEndpointTlsTest, WithRequireTlsAClientWithoutItIsRefusedWithMariaDbsError) {
  StartCluster({"--require_tls", "true"}, /*tls=*/true);
  const ProgramRun plain = EndpointWith("--skip-ssl", "CREATE DATABASE never;\n");
  EXPECT_NE(plain.exit_code, 0) << plain.output;
  EXPECT_NE(plain.output.find("ERROR 3159 (08004)"), std::string::npos) << plain.output;
  EXPECT_NE(plain.output.find("insecure transport are prohibited"), std::string::npos) << plain.output;
  EXPECT_EQ(cluster_->master_db().QueryValue(
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'never'"),
            "0");
  EXPECT_NE(cluster_->MasterLog().find("connected without TLS, which require_tls asks for"),
            std::string::npos)
      << cluster_->MasterLog();

  const ProgramRun tls = EndpointWith(VerifiedTls(), "CREATE DATABASE yes;\n");
  EXPECT_EQ(tls.exit_code, 0) << tls.output;
}

}  // namespace
}  // namespace ddb::testing
