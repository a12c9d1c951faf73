// TLS on the master's MySQL endpoint, with the mariadb client: a client that
// asks gets TLS (the certificate checked against the cluster's CA) and its
// writes replicate as any; one that does not trust the certificate gets no
// session; with require_tls, a client without TLS is refused with MariaDB's
// own ERR 3159 (require_secure_transport) and nothing of it runs. PyMySQL
// with ssl= and sysbench with --mysql-ssl work over it as well.
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

TEST_F(MySqlEndpointTlsTest, PyMySqlWithSslAndSysbenchWithMysqlSslWorkOverIt) {
  StartCluster({"--require_tls", "true"}, /*tls=*/true);
  const std::string script = WriteFile("tls_client.py", R"py(
import ssl, sys
import pymysql
port, ca = int(sys.argv[1]), sys.argv[2]
c = pymysql.connect(host="127.0.0.1", port=port, user="app", password="app-pw", autocommit=True,
                    ssl_ca=ca, ssl_verify_cert=True, ssl_verify_identity=True)
print("tls:", isinstance(c._sock, ssl.SSLSocket), c._sock.version())
cur = c.cursor()
cur.execute("CREATE DATABASE py")
cur.execute("CREATE TABLE py.t (id INT PRIMARY KEY, v VARBINARY(10))")
cur.execute("INSERT INTO py.t VALUES (%s, %s)", (1, b"\x00tls\xff"))
try:
    pymysql.connect(host="127.0.0.1", port=port, user="app", password="app-pw", ssl_ca=sys.argv[3],
                    ssl_verify_cert=True)
    print("a foreign CA was accepted")
except pymysql.err.OperationalError as e:
    print("foreign CA refused:", e.args[0])
)py");
  TestCa stranger(cluster_->dir() / "stranger", "some other CA");
  const ProgramRun py = Run({kPython, script, std::to_string(cluster_->client_port()),
                             cluster_->ca_file().string(), stranger.ca_file().string()});
  ASSERT_EQ(py.exit_code, 0) << py.output;
  EXPECT_NE(py.output.find("tls: True TLSv1."), std::string::npos) << py.output;
  EXPECT_NE(py.output.find("foreign CA refused: 2003"), std::string::npos) << py.output;

  // sysbench 1.0's --mysql-ssl reads cacert.pem, client-cert.pem and
  // client-key.pem from its working directory; require_tls would refuse it
  // without TLS.
  const std::filesystem::path bench_dir = cluster_->dir() / "sysbench";
  std::filesystem::create_directories(bench_dir);
  const CertificateFiles client = cluster_->ca()->Issue("sysbench");
  std::filesystem::copy_file(cluster_->ca_file(), bench_dir / "cacert.pem");
  std::filesystem::copy_file(client.cert, bench_dir / "client-cert.pem");
  std::filesystem::copy_file(client.key, bench_dir / "client-key.pem");
  const std::string sysbench = "cd '" + bench_dir.string() +
                               "' && exec sysbench oltp_write_only --db-driver=mysql --mysql-host=127.0.0.1"
                               " --mysql-port=" +
                               std::to_string(cluster_->client_port()) +
                               " --mysql-user=app --mysql-password=app-pw --mysql-db=py --mysql-ssl=on"
                               " --tables=1 --table-size=200 ";
  const ProgramRun prepared = Run({"/bin/sh", "-c", sysbench + "prepare"});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.output;
  const ProgramRun ran = Run({"/bin/sh", "-c", sysbench + "--threads=2 --time=3 --report-interval=0 run"});
  ASSERT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_EQ(ran.output.find("FATAL"), std::string::npos) << ran.output;
  ExpectSlavesEqual("py", {"t", "sbtest1"});
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT HEX(v) FROM py.t WHERE id = 1"), "00746C73FF");
}

}  // namespace
}  // namespace ddb::testing
