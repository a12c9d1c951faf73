// TLS on the replication link and on HTTPS, with real daemons and MariaDB:
// data arrives over TLS and nothing of it is readable on the wire; a slave
// that does not trust the master's certificate, a plain slave at a TLS
// master and a slave without the client certificate the master asks for are
// each refused with the reason in both logs and nothing applied; a byte
// changed inside the TLS stream closes the link and nothing of it is
// applied; curl reaches /health with the cluster's CA and fails without it;
// a new slave seeds over HTTPS from the master and from another slave.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "child_process.h"
#include "cluster.h"
#include "endpoint_clients.h"
#include "file_text.h"
#include "tcp_relay.h"
#include "test_certificates.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

struct CurlResult {
  int exit_code = -1;  // curl's: 0 ok, 60 certificate not trusted, ...
  std::string output;  // body, then "\nHTTP <code>" (-w), and curl's error text
};

// Runs curl (installed by scripts/setup) with `args` against 127.0.0.1.
CurlResult Curl(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  static int calls = 0;
  const std::filesystem::path log = dir / ("curl-" + std::to_string(++calls) + ".log");
  std::vector<std::string> argv = {"curl", "-sS", "--max-time", "10", "-w", "\nHTTP %{http_code}\n"};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess curl(argv, log);
  CurlResult result;
  EXPECT_TRUE(curl.WaitForExit(seconds(20), &result.exit_code)) << "curl did not finish";
  result.output = ReadFile(log);
  return result;
}

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(TlsTest, ReplicationOverTlsDeliversEverythingAndTheWireShowsNoneOfIt) {
  ClusterOptions options;
  options.tls = true;
  Cluster cluster(options);
  cluster.StartMaster();
  cluster.StartSlave(0);
  // The second slave dials through a relay that records the wire.
  TcpRelay relay(cluster.replication_port());
  cluster.StartSlave(1, {"--master_port", std::to_string(relay.port())});
  cluster.SqlAndWait(
      "CREATE DATABASE t;\n"
      "CREATE TABLE t.secrets (id INT PRIMARY KEY, v VARCHAR(100));\n"
      "INSERT INTO t.secrets VALUES (1, 'plaintext-marker-4711'), (2, 'another-marker-0815');");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60))) << cluster.SlaveLog(0) << cluster.SlaveLog(1);
  cluster.ExpectTableEqualEverywhere("t", "secrets");
  EXPECT_EQ(cluster.slave_db(1).QueryValue("SELECT v FROM t.secrets WHERE id = 1"), "plaintext-marker-4711");

  EXPECT_TRUE(Contains(cluster.MasterLog(), "(TLS)")) << cluster.MasterLog();
  EXPECT_TRUE(Contains(cluster.SlaveLog(0), "(TLS)")) << cluster.SlaveLog(0);
  const std::string wire = relay.Captured();
  ASSERT_GT(wire.size(), 1000u);
  EXPECT_FALSE(Contains(wire, "plaintext-marker-4711"));
  EXPECT_FALSE(Contains(wire, "CREATE TABLE"));
  EXPECT_FALSE(Contains(wire, "slave2"));  // not even the Hello's node name
  EXPECT_FALSE(Contains(wire, "DDB!"));    // no frame header in the clear
}

TEST(TlsTest, SlaveThatDoesNotTrustTheMastersCertificateRefusesItAndAppliesNothing) {
  ClusterOptions options;
  options.tls = true;
  options.slaves = 1;
  Cluster cluster(options);
  TestCa stranger(cluster.dir() / "stranger", "some other CA");
  cluster.StartMaster();
  cluster.SqlAndWait(
      "CREATE DATABASE w;\nCREATE TABLE w.t (id INT PRIMARY KEY);\nINSERT INTO w.t VALUES (1);");
  cluster.StartSlave(0, {"--tls_ca_file", stranger.ca_file().string()});

  ASSERT_TRUE(
      WaitFor([&] { return Contains(cluster.SlaveLog(0), "the master's certificate was not accepted"); },
              seconds(20)))
      << cluster.SlaveLog(0);
  const std::string slave_log = cluster.SlaveLog(0);
  EXPECT_TRUE(Contains(slave_log, "refused")) << slave_log;
  EXPECT_TRUE(Contains(slave_log, "unable to get local issuer certificate")) << slave_log;
  EXPECT_TRUE(Contains(slave_log, stranger.ca_file().string())) << slave_log;
  // The master saw the slave hang up in the handshake.
  EXPECT_TRUE(WaitFor([&] { return Contains(cluster.MasterLog(), "TLS handshake failed"); }, seconds(10)))
      << cluster.MasterLog();
  // Its status says why (the slave's HTTPS uses its own, good certificate).
  const CurlResult health =
      Curl(cluster.dir(), {"--cacert", cluster.ca_file().string(),
                           "https://127.0.0.1:" + std::to_string(cluster.slave_http_port(0)) + "/health"});
  EXPECT_EQ(health.exit_code, 0) << health.output;
  EXPECT_TRUE(Contains(health.output, "refused")) << health.output;
  EXPECT_TRUE(Contains(health.output, "HTTP 503")) << health.output;
  // Nothing was applied.
  std::this_thread::sleep_for(seconds(2));
  EXPECT_EQ(cluster.SlaveSeq(0), 0u);
  EXPECT_EQ(cluster.slave_db(0).QueryValue(
                "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'w'"),
            "0");
}

TEST(TlsTest, PlainSlaveIsToldTheMasterRequiresTls) {
  ClusterOptions options;
  options.tls = true;
  options.slaves = 1;
  Cluster cluster(options);
  cluster.StartMaster();
  cluster.SqlAndWait("CREATE DATABASE p;");
  cluster.StartSlave(0, {"--tls_ca_file", ""});  // no CA: the slave dials in plain text

  ASSERT_TRUE(WaitFor([&] { return Contains(cluster.SlaveLog(0), "tls_required"); }, seconds(20)))
      << cluster.SlaveLog(0);
  EXPECT_TRUE(Contains(cluster.SlaveLog(0), "plain TCP")) << cluster.SlaveLog(0);
  EXPECT_TRUE(WaitFor(
      [&] { return Contains(cluster.MasterLog(), "plain-text connection on the TLS replication port"); },
      seconds(10)))
      << cluster.MasterLog();
  EXPECT_TRUE(Contains(cluster.MasterLog(), "(slave 'slave1') refused")) << cluster.MasterLog();
  std::this_thread::sleep_for(seconds(1));
  EXPECT_EQ(cluster.SlaveSeq(0), 0u);
}

TEST(TlsTest, TlsSlaveAtAPlainMasterSaysWhatIsWrong) {
  ClusterOptions options;
  options.tls = true;
  options.slaves = 1;
  Cluster cluster(options);
  // The master without its certificate: plain text on loopback.
  cluster.StartMaster({"--tls_cert_file", "", "--tls_key_file", ""});
  cluster.StartSlave(0);
  ASSERT_TRUE(WaitFor([&] { return Contains(cluster.SlaveLog(0), "is TLS on at the master"); }, seconds(20)))
      << cluster.SlaveLog(0);
  EXPECT_TRUE(WaitFor([&] { return Contains(cluster.MasterLog(), "a TLS handshake: the peer has TLS on"); },
                      seconds(10)))
      << cluster.MasterLog();
}

TEST(TlsTest, MasterRequiringClientCertificatesRefusesASlaveWithout) {
  ClusterOptions options;
  options.tls = true;
  options.tls_client_certs = true;
  Cluster cluster(options);
  cluster.StartMaster();
  cluster.StartSlave(0);                                                 // has its certificate
  cluster.StartSlave(1, {"--tls_cert_file", "", "--tls_key_file", ""});  // has none
  cluster.SqlAndWait(
      "CREATE DATABASE c;\nCREATE TABLE c.t (id INT PRIMARY KEY);\nINSERT INTO c.t VALUES (1);");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60), {0})) << cluster.SlaveLog(0);
  cluster.ExpectTableEqualEverywhere("c", "t", {0});
  EXPECT_TRUE(Contains(cluster.MasterLog(), "TLS, client certificates required")) << cluster.MasterLog();

  ASSERT_TRUE(
      WaitFor([&] { return Contains(cluster.SlaveLog(1), "the master refused this slave's TLS connection"); },
              seconds(20)))
      << cluster.SlaveLog(1);
  EXPECT_TRUE(Contains(cluster.SlaveLog(1), "certificate required")) << cluster.SlaveLog(1);
  EXPECT_TRUE(Contains(cluster.MasterLog(), "peer did not return a certificate")) << cluster.MasterLog();
  EXPECT_EQ(cluster.SlaveSeq(1), 0u);
}

// A man in the middle changes one byte inside the first large TLS record
// of each connection after it is up (a record frame): TLS's integrity check
// fails, the slave closes the link naming the reason, and what that record
// carried is never applied. Once the relay behaves, the slave reconnects
// and catches up with the real data.
TEST(TlsTest, ByteChangedInTheTlsStreamClosesTheLinkAndNothingIsApplied) {
  ClusterOptions options;
  options.tls = true;
  options.slaves = 1;
  Cluster cluster(options);
  TcpRelay relay(cluster.replication_port());
  cluster.StartMaster();
  cluster.StartSlave(0, {"--master_port", std::to_string(relay.port())});
  cluster.SqlAndWait("CREATE DATABASE m;\nCREATE TABLE m.t (id INT PRIMARY KEY, v TEXT);");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60))) << cluster.SlaveLog(0);
  const uint64_t before = cluster.SlaveSeq(0);

  // Heartbeats and acks are far smaller than 300 bytes; the record is not.
  relay.TamperTls(true, 300);
  cluster.SqlAndWait("INSERT INTO m.t VALUES (1, REPEAT('x', 1000));");
  ASSERT_TRUE(WaitFor([&] { return relay.records_tampered() >= 1; }, seconds(20)));
  ASSERT_TRUE(WaitFor([&] { return Contains(cluster.SlaveLog(0), "bad record mac"); }, seconds(20)))
      << cluster.SlaveLog(0);
  EXPECT_TRUE(Contains(cluster.SlaveLog(0), "TLS: ")) << cluster.SlaveLog(0);
  EXPECT_TRUE(
      WaitFor([&] { return Contains(cluster.MasterLog(), "slave 'slave1' (127.0.0.1:"); }, seconds(10)))
      << cluster.MasterLog();
  // While every connection through the relay is tampered with, nothing
  // arrives: not the record, not a changed version of it.
  std::this_thread::sleep_for(seconds(3));
  EXPECT_EQ(cluster.SlaveSeq(0), before);
  EXPECT_EQ(cluster.slave_db(0).QueryValue("SELECT COUNT(*) FROM m.t"), "0");

  relay.TamperTls(false);
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60))) << cluster.SlaveLog(0);
  cluster.ExpectTableEqualEverywhere("m", "t");
}

TEST(TlsTest, HttpsHealthWorksWithTheCaAndFailsWithoutIt) {
  ClusterOptions options;
  options.tls = true;
  options.slaves = 1;
  Cluster cluster(options);
  TestCa stranger(cluster.dir() / "stranger", "some other CA");
  cluster.StartAll();
  ASSERT_TRUE(WaitFor([&] { return cluster.SlaveLog(0).find("connected to master") != std::string::npos; },
                      seconds(30)))
      << cluster.SlaveLog(0);
  for (const uint16_t port : {cluster.master_http_port(), cluster.slave_http_port(0)}) {
    SCOPED_TRACE("port " + std::to_string(port));
    const std::string https = "https://127.0.0.1:" + std::to_string(port) + "/health";
    const std::string by_name = "https://localhost:" + std::to_string(port) + "/health";
    CurlResult ok = Curl(cluster.dir(), {"--cacert", cluster.ca_file().string(), https});
    EXPECT_EQ(ok.exit_code, 0) << ok.output;
    EXPECT_TRUE(Contains(ok.output, "HTTP 200")) << ok.output;
    ok = Curl(cluster.dir(), {"--cacert", cluster.ca_file().string(), by_name});
    EXPECT_EQ(ok.exit_code, 0) << ok.output;
    // A CA that did not sign the certificate: curl refuses (60).
    const CurlResult wrong_ca = Curl(cluster.dir(), {"--cacert", stranger.ca_file().string(), https});
    EXPECT_EQ(wrong_ca.exit_code, 60) << wrong_ca.output;
    // No CA at all: the system's do not know ours either.
    const CurlResult no_ca = Curl(cluster.dir(), {https});
    EXPECT_EQ(no_ca.exit_code, 60) << no_ca.output;
    // Plain HTTP to the HTTPS port: one clear answer, then the close.
    const CurlResult plain = Curl(cluster.dir(), {"http://127.0.0.1:" + std::to_string(port) + "/health"});
    EXPECT_EQ(plain.exit_code, 0) << plain.output;
    EXPECT_TRUE(Contains(plain.output, "HTTP 400")) << plain.output;
    EXPECT_TRUE(Contains(plain.output, "this port speaks HTTPS")) << plain.output;
  }
  // The API with its token, over HTTPS.
  const CurlResult api = Curl(
      cluster.dir(),
      {"--cacert", cluster.ca_file().string(), "-H", "Authorization: Bearer " + cluster.options().http_token,
       "https://127.0.0.1:" + std::to_string(cluster.master_http_port()) + "/api/status"});
  EXPECT_EQ(api.exit_code, 0) << api.output;
  EXPECT_TRUE(Contains(api.output, "HTTP 200")) << api.output;
  EXPECT_TRUE(Contains(api.output, "slave1")) << api.output;
}

// Seeding streams the snapshot from a node's HTTPS port: the new slave
// checks the source's certificate against its tls_ca_file, as its link does.
TEST(TlsTest, ANewSlaveSeedsOverHttpsFromTheMasterAndFromAnotherSlave) {
  ClusterOptions options;
  options.tls = true;
  options.slaves = 3;
  options.mysql_endpoint = true;
  Cluster cluster(options);
  cluster.StartMaster();
  cluster.StartSlave(0);
  const Status wrote = ExecuteThroughEndpoint(
      cluster, {"CREATE DATABASE m", "CREATE TABLE m.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO m.t VALUES (1, 'over'), (2, 'https')"});
  ASSERT_TRUE(wrote.ok()) << wrote.ToString();
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60), {0})) << cluster.SlaveLog(0);

  const std::vector<std::pair<int, std::vector<std::string>>> seeds = {
      {1, {"--seed", "--master_http_address", "127.0.0.1:" + std::to_string(cluster.master_http_port())}},
      {2, {"--seed-from", "127.0.0.1:" + std::to_string(cluster.slave_http_port(0))}}};
  for (const auto& [slave, args] : seeds) {
    SCOPED_TRACE("slave" + std::to_string(slave + 1) + " " + args.front());
    std::vector<std::string> argv = {DDB_SLAVE_BINARY, "--config", cluster.slave_config(slave).string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::filesystem::path log = cluster.dir() / ("seed-" + std::to_string(slave) + ".log");
    ChildProcess seed(argv, log);
    int code = -1;
    ASSERT_TRUE(seed.WaitForExit(seconds(120), &code)) << "the seed did not end within 120 s";
    const std::string output = ReadFile(log);
    ASSERT_EQ(code, 0) << output;
    EXPECT_TRUE(Contains(output, "at https://")) << output;
    cluster.StartSlave(slave);
  }
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60))) << cluster.SlaveLog(1) << cluster.SlaveLog(2);
  cluster.ExpectTableEqualEverywhere("m", "t");
}

}  // namespace
}  // namespace ddb::testing
