// The daemons refuse to start exposed: a listener (or a slave's master) off
// loopback without the TLS require_tls asks for, or guarded by a demo secret
// shipped in config/*.ini, stops the start with a message naming the key,
// unless allow_insecure = true (then the start goes on, with warnings).
// Secrets may come from a file or the environment; a config file holding a
// secret that every user can read gets a warning. No MariaDB is needed: a
// start that passes these checks stops at the MySQL connection (a port
// nobody listens on), which proves it got that far.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "child_process.h"
#include "file_text.h"
#include "test_certificates.h"
#include "wait.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

const std::string kSource = DDB_SOURCE_DIR;

struct Start {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

class InsecureStartTest : public ::testing::Test {
 protected:
  // Runs `binary` with `args` until it exits (it must, within 30 s).
  Start Run(const std::string& binary, std::vector<std::string> args) {
    const std::filesystem::path log = dir_.path() / ("run-" + std::to_string(++runs_) + ".log");
    args.insert(args.begin(), binary);
    ChildProcess process(args, log);
    Start start;
    EXPECT_TRUE(process.WaitForExit(seconds(30), &start.exit_code)) << "still running: " << ReadFile(log);
    start.output = ReadFile(log);
    return start;
  }

  // The shipped master config, with its files and MySQL moved somewhere
  // harmless: a start that passes the checks fails at the MySQL connection.
  // The shipped config names the demo's certificates under run/demo/tls/;
  // `tls` puts the test's own there instead, or none.
  Start RunMaster(std::vector<std::string> extra, bool tls = false) {
    std::vector<std::string> args = {
        "--config",     kSource + "/config/master.ini", "--console",  "off",
        "--mysql_port", std::to_string(dead_port_),     "--log_file", (dir_.path() / "master.log").string()};
    args = Plus(args, TlsArgs(tls));
    args = Plus(args, {"--tls_require_client_cert", "false"});
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(DDB_MASTER_BINARY, args);
  }

  // A slave waits for its MySQL rather than exit: one that passed the checks
  // is stopped once it says it cannot reach it (exit code 0 then).
  Start RunSlave(std::vector<std::string> extra) {
    const std::filesystem::path slave_log = dir_.path() / ("slave-" + std::to_string(++runs_) + ".log");
    std::vector<std::string> args = {DDB_SLAVE_BINARY,
                                     "--config",
                                     kSource + "/config/slave1.ini",
                                     "--console",
                                     "off",
                                     "--mysql_port",
                                     std::to_string(dead_port_),
                                     "--log_file",
                                     slave_log.string(),
                                     "--console_socket",
                                     "off"};
    args = Plus(args, TlsArgs(false));
    args.insert(args.end(), extra.begin(), extra.end());
    const std::filesystem::path log = dir_.path() / ("run-" + std::to_string(runs_) + ".log");
    ChildProcess process(args, log);
    WaitFor(
        [&] { return !process.Running() || ReadFile(slave_log).find("cannot reach") != std::string::npos; },
        seconds(30));
    Start start;
    if (process.Running()) {
      start.exit_code = process.Terminate();
    } else {
      process.WaitForExit(seconds(1), &start.exit_code);
    }
    start.output = ReadFile(log) + ReadFile(slave_log);
    return start;
  }

  std::vector<std::string> TlsArgs(bool tls) {
    if (!tls) return {"--tls_cert_file", "", "--tls_key_file", "", "--tls_ca_file", ""};
    if (!ca_) {
      ca_ = std::make_unique<TestCa>(dir_.path() / "tls");
      ca_->Issue("node");
    }
    return {"--tls_cert_file", (dir_.path() / "tls" / "node.pem").string(),
            "--tls_key_file",  (dir_.path() / "tls" / "node.key").string(),
            "--tls_ca_file",   ca_->ca_file().string()};
  }

  static std::vector<std::string> Plus(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  static void ExpectSlavePassedTheChecks(const Start& start) {
    EXPECT_EQ(start.exit_code, 0) << start.output;
    EXPECT_NE(start.output.find("cannot reach this slave's MySQL"), std::string::npos) << start.output;
  }

  static void ExpectPassedTheChecks(const Start& start) {
    EXPECT_EQ(start.exit_code, 1) << start.output;
    EXPECT_NE(start.output.find("MySQL"), std::string::npos) << "expected to stop at MySQL:\n"
                                                             << start.output;
  }

  static void ExpectRefused(const Start& start, const std::vector<std::string>& needles) {
    EXPECT_EQ(start.exit_code, 1) << start.output;
    EXPECT_EQ(start.output.find("cannot connect"), std::string::npos) << "got past the checks:\n"
                                                                      << start.output;
    for (const std::string& needle : needles) {
      EXPECT_NE(start.output.find(needle), std::string::npos) << "expected '" << needle << "' in:\n"
                                                              << start.output;
    }
  }

  TempDir dir_{"ddb-insecure-start"};
  uint16_t dead_port_ = FreeLoopbackPort();
  std::unique_ptr<TestCa> ca_;
  int runs_ = 0;
};

TEST_F(InsecureStartTest, ShippedConfigOnLoopbackStarts) { ExpectPassedTheChecks(RunMaster({})); }

TEST_F(InsecureStartTest, ReplicationPortOnAllAddressesWithoutTlsIsRefused) {
  ExpectRefused(
      RunMaster({"--replication_address", "0.0.0.0"}),
      {"key 'replication_address'", "the replication port has no TLS", "tls_cert_file", "allow_insecure"});
}

TEST_F(InsecureStartTest, DemoSecretOffLoopbackIsRefusedEvenWithTls) {
  ExpectRefused(RunMaster({"--replication_address", "0.0.0.0"}, true),
                {"key 'cluster_secret' holds a demo value", "replication_address = 0.0.0.0"});
  // Its own secret, but the dashboard on all addresses with the demo token.
  ExpectRefused(RunMaster({"--replication_address", "0.0.0.0", "--cluster_secret",
                           "a-secret-of-our-own-0123456789", "--http_address", "0.0.0.0"},
                          true),
                {"key 'http_token' holds a demo value", "http_address = 0.0.0.0"});
  // Both its own: it starts.
  ExpectPassedTheChecks(
      RunMaster({"--replication_address", "0.0.0.0", "--cluster_secret", "a-secret-of-our-own-0123456789",
                 "--http_address", "0.0.0.0", "--http_token", "a-token-of-our-own-0123456789"},
                true));
}

TEST_F(InsecureStartTest, MySqlEndpointOffLoopbackIsRefused) {
  ExpectRefused(RunMaster({"--client_address", "0.0.0.0"}), {"key 'client_address'", "the MySQL endpoint"});
}

TEST_F(InsecureStartTest, RequireTlsTrueAsksForItOnLoopbackToo) {
  ExpectRefused(RunMaster({"--require_tls", "true"}), {"key 'replication_address'", "require_tls = true"});
  ExpectPassedTheChecks(RunMaster({"--require_tls", "true", "--client_port", "0"}, true));
}

TEST_F(InsecureStartTest, AllowInsecureStartsWithAWarningForEach) {
  const Start start = RunMaster(
      {"--replication_address", "0.0.0.0", "--http_address", "0.0.0.0", "--allow_insecure", "true"});
  ExpectPassedTheChecks(start);
  const std::string log = ReadFile(dir_.path() / "master.log");
  EXPECT_NE(log.find("the replication port has no TLS"), std::string::npos) << log;
  EXPECT_NE(log.find("key 'cluster_secret' holds a demo value"), std::string::npos) << log;
  EXPECT_NE(log.find("key 'http_token' holds a demo value"), std::string::npos) << log;
}

TEST_F(InsecureStartTest, SlaveRefusesDemoSecretForARemoteMasterAndPlainHttpOffLoopback) {
  // A remote master: the link uses TLS by itself (require_tls = auto), but the
  // demo secret would still be the cluster's.
  ExpectRefused(RunSlave({"--master_host", "10.1.2.3"}),
                {"key 'cluster_secret' holds a demo value", "master_host = 10.1.2.3"});
  ExpectRefused(RunSlave({"--http_address", "0.0.0.0"}), {"key 'http_address'", "HTTP", "tls_cert_file"});
  const Start insecure = RunSlave({"--http_address", "0.0.0.0", "--allow_insecure", "true"});
  ExpectSlavePassedTheChecks(insecure);
  EXPECT_NE(insecure.output.find("HTTP (health, status, metrics) has no TLS"), std::string::npos)
      << insecure.output;
  // Its own secret and a remote master: it starts (and would dial with TLS).
  const Start remote =
      RunSlave({"--master_host", "10.1.2.3", "--cluster_secret", "a-secret-of-our-own-0123456789"});
  ExpectSlavePassedTheChecks(remote);
}

TEST_F(InsecureStartTest, SecretsComeFromAFileOrTheEnvironment) {
  const std::filesystem::path config = dir_.path() / "master.ini";
  {
    std::ofstream out(config);
    out << "slaves = s1\nhttp_port = 0\n";
  }
  ::chmod(config.c_str(), 0600);
  const std::vector<std::string> base = {"--config",     config.string(),
                                         "--console",    "off",
                                         "--mysql_port", std::to_string(dead_port_),
                                         "--log_file",   (dir_.path() / "m.log").string()};
  ExpectRefused(Run(DDB_MASTER_BINARY, base),
                {"key 'cluster_secret' is missing", "cluster_secret_file", "DDB_CLUSTER_SECRET"});

  const std::filesystem::path secret = dir_.path() / "secret";
  {
    std::ofstream out(secret);
    out << "a-secret-from-a-file-0123456789\n";
  }
  ::chmod(secret.c_str(), 0600);
  ExpectPassedTheChecks(Run(DDB_MASTER_BINARY, Plus(base, {"--cluster_secret_file", secret.string()})));
  ExpectRefused(Run(DDB_MASTER_BINARY, Plus(base, {"--cluster_secret_file", secret.string(),
                                                   "--cluster_secret", "another-secret-0123456789"})),
                {"'cluster_secret' and 'cluster_secret_file' are both set"});
  ExpectRefused(
      Run(DDB_MASTER_BINARY, Plus(base, {"--cluster_secret_file", (dir_.path() / "nope").string()})),
      {"key 'cluster_secret_file': cannot read"});
  // A secret that is too short says so, wherever it came from.
  ::setenv("DDB_CLUSTER_SECRET", "short", 1);
  ExpectRefused(Run(DDB_MASTER_BINARY, base), {"key 'cluster_secret' is too short"});
  ::setenv("DDB_CLUSTER_SECRET", "a-secret-from-the-environment-0123", 1);
  ExpectPassedTheChecks(Run(DDB_MASTER_BINARY, base));
  ::unsetenv("DDB_CLUSTER_SECRET");

  // A secret file every user can read gets a warning.
  ::chmod(secret.c_str(), 0644);
  ExpectPassedTheChecks(Run(DDB_MASTER_BINARY, Plus(base, {"--cluster_secret_file", secret.string()})));
  const std::string log = ReadFile(dir_.path() / "m.log");
  EXPECT_NE(log.find("secret file " + secret.string() + " is readable by every user (mode 0644)"),
            std::string::npos)
      << log;
}

TEST_F(InsecureStartTest, ConfigFileWithASecretThatEveryUserCanReadGetsAWarning) {
  const std::filesystem::path config = dir_.path() / "master.ini";
  {
    std::ofstream out(config);
    out << "slaves = s1\nhttp_port = 0\ncluster_secret = \"a-secret-in-the-file-0123456789\"\n";
  }
  ::chmod(config.c_str(), 0644);
  const std::vector<std::string> args = {"--config",     config.string(),
                                         "--console",    "off",
                                         "--mysql_port", std::to_string(dead_port_),
                                         "--log_file",   (dir_.path() / "m.log").string()};
  ExpectPassedTheChecks(Run(DDB_MASTER_BINARY, args));
  std::string log = ReadFile(dir_.path() / "m.log");
  EXPECT_NE(
      log.find(config.string() + " holds secrets (cluster_secret) and is readable by every user (mode 0644)"),
      std::string::npos)
      << log;
  // Readable by its owner only: no warning.
  std::filesystem::remove(dir_.path() / "m.log");
  ::chmod(config.c_str(), 0600);
  ExpectPassedTheChecks(Run(DDB_MASTER_BINARY, args));
  log = ReadFile(dir_.path() / "m.log");
  EXPECT_EQ(log.find("readable by every user"), std::string::npos) << log;
}

}  // namespace
}  // namespace ddb::testing
