// A real HAProxy, configured by `ddb-master --haproxy-config`, in front of
// the cluster: the mariadb client reaches the slaves through its read
// frontend, and a slave that stops or lags past its max_lag_seconds leaves
// the rotation and comes back once it has caught up; reads go on when the
// master dies. Its write frontend reaches the master's MySQL endpoint and
// no node whose /health?role=master answers 503.
#include <gtest/gtest.h>

#include <cppconn/connection.h>
#include <cppconn/statement.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

#include "cluster.h"
#include "ha_configs.h"
#include "http_client.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

struct ClientRun {
  bool ok = false;
  std::string output;  // stdout and stderr, trailing newlines dropped
};

class HaproxyTest : public ::testing::Test {
 protected:
  // `tls`: the cluster has its own CA and the slaves' /health is HTTPS.
  // `write_frontend`: the master's MySQL endpoint runs, and HAProxy gets a
  // write frontend (write_port_) whose servers are the master's endpoint,
  // slave1's plain MariaDB (a node that must never get writes: its
  // /health?role=master answers 503) and, for slave2, a port where nothing
  // listens.
  // `roles`: every node can become the master (HaConfigs), and the write
  // frontend lists each node's own endpoint.
  void StartClusterAndHaproxy(bool tls, bool write_frontend = false, bool roles = false) {
    ClusterOptions options;
    options.tls = tls;
    options.mysql_endpoint = write_frontend;
    options.slave_max_lag_seconds = 1;  // a slave lags out of rotation after 1 s
    cluster_ = std::make_unique<Cluster>(options);
    if (roles) ha_ = std::make_unique<HaConfigs>(*cluster_);
    cluster_->StartAll();
    cluster_->SqlAndWait(
        "CREATE DATABASE hp;\nCREATE TABLE hp.t (id INT PRIMARY KEY);\nINSERT INTO hp.t VALUES (1);");
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));

    // The frontends' ports were free when picked, but a connection's
    // ephemeral port or another test's server may take one before HAProxy
    // binds it: HAProxy then exits at once, and new ports fix it.
    for (int attempt = 1;; ++attempt) {
      ASSERT_NO_FATAL_FAILURE(GenerateConfigAndStartHaproxy(write_frontend));
      const bool answering =
          WaitFor([&] { return !ReadPort().empty() || !haproxy_->Running(); }, seconds(20));
      if (answering && haproxy_->Running()) return;
      const bool port_taken = haproxy_->ReadLog().find("cannot bind socket") != std::string::npos;
      ASSERT_TRUE(port_taken && attempt < 3) << "HAProxy does not answer:\n" << haproxy_->ReadLog();
    }
  }

  // Picks the frontends' ports, writes haproxy.cfg with `ddb-master
  // --haproxy-config` and starts HAProxy on it.
  void GenerateConfigAndStartHaproxy(bool write_frontend) {
    haproxy_port_ = FreeLoopbackPort();
    std::vector<std::string> generate_args{
        DDB_MASTER_BINARY,  "--config",       cluster_->master_config().string(),
        "--haproxy-config", "--haproxy_bind", "127.0.0.1:" + std::to_string(haproxy_port_)};
    if (write_frontend) {
      write_port_ = FreeLoopbackPort();
      const auto at = [](uint16_t port) { return "127.0.0.1:" + std::to_string(port); };
      const std::string nodes =
          ha_ ? "master=" + at(cluster_->client_port()) + ",slave1=" + at(ha_->node(1).client_port) +
                    ",slave2=" + at(ha_->node(2).client_port)
              : "master=" + at(cluster_->client_port()) + ",slave1=" + at(SlaveDbPort(0)) +
                    ",slave2=" + at(FreeLoopbackPort());
      generate_args.insert(generate_args.end(),
                           {"--haproxy_write_bind", at(write_port_), "--node_client_addresses", nodes});
    }
    const auto cfg = cluster_->dir() / "haproxy.cfg";
    {
      ChildProcess generate(generate_args, cfg);
      int code = -1;
      ASSERT_TRUE(generate.WaitForExit(seconds(10), &code));
      ASSERT_EQ(code, 0) << generate.ReadLog();
    }
    haproxy_.reset();
    haproxy_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"haproxy", "-db", "-f", cfg.string()},
        cluster_->dir() / ("haproxy-" + std::to_string(++haproxy_starts_) + ".log"));
  }

  void TearDown() override {
    haproxy_.reset();  // by pid, before the cluster it points at
  }

  // `sql` through HAProxy's `port` with the mariadb client; `flags`: more of
  // its options (TLS).
  ClientRun Client(uint16_t port, const std::string& user, const std::string& password,
                   const std::string& sql, const std::vector<std::string>& flags = {}) {
    const auto log = cluster_->dir() / ("client-" + std::to_string(++clients_) + ".log");
    std::vector<std::string> argv{"mariadb", "--no-defaults", "--protocol=TCP", "--connect-timeout=3", "-N",
                                  "-B"};
    argv.insert(argv.end(), {"-h", "127.0.0.1", "-P", std::to_string(port), "-u", user});
    if (!password.empty()) argv.push_back("-p" + password);
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"-e", sql});
    ChildProcess client(argv, log);
    int code = -1;
    ClientRun run;
    run.ok = client.WaitForExit(seconds(15), &code) && code == 0;
    run.output = client.ReadLog();
    while (!run.output.empty() && (run.output.back() == '\n' || run.output.back() == '\r'))
      run.output.pop_back();
    return run;
  }

  // `SELECT @@port` through the read frontend: which slave's MariaDB
  // answered ("" when the connection failed).
  std::string ReadPort() {
    const ClientRun run = Client(haproxy_port_, "root", "", "SELECT @@port FROM hp.t LIMIT 1");
    return run.ok ? run.output : "";
  }

  // A write through the write frontend as the master endpoint's user (over
  // TLS, trusting the cluster's CA, when the cluster has one: the endpoint
  // then requires it).
  ClientRun Write(const std::string& sql) {
    std::vector<std::string> tls;
    if (cluster_->ca())
      tls = {"--ssl", "--ssl-verify-server-cert", "--ssl-ca=" + cluster_->ca_file().string()};
    return Client(write_port_, kClientUser, kClientPassword, sql, tls);
  }

  uint16_t SlaveDbPort(int i) { return cluster_->slave_db(i).port(); }
  std::string SlavePort(int i) { return std::to_string(SlaveDbPort(i)); }

  // The ports that answered `n` consecutive connections.
  std::set<std::string> Answering(int n = 6) {
    std::set<std::string> ports;
    for (int i = 0; i < n; ++i) ports.insert(ReadPort());
    return ports;
  }

  // HAProxy (-db) reports each server it marks down on stderr.
  bool MarkedDown(const std::string& backend_server) {
    return haproxy_->ReadLog().find("Server " + backend_server + " is DOWN") != std::string::npos;
  }

  // Slave i's /api/status (null when it did not answer).
  nlohmann::json SlaveStatus(int i) {
    const HttpReply reply = HttpGet(cluster_->slave_http_port(i), "/api/status");
    if (reply.status != 200) return nullptr;
    return nlohmann::json::parse(reply.body, nullptr, false);
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<HaConfigs> ha_;
  std::unique_ptr<ChildProcess> haproxy_;
  uint16_t haproxy_port_ = 0;
  uint16_t write_port_ = 0;
  int clients_ = 0;
  int haproxy_starts_ = 0;
};

TEST_F(HaproxyTest, ReadsReachBothSlavesAndAStoppedOrLaggingSlaveLeavesTheRotation) {
  ASSERT_NO_FATAL_FAILURE(StartClusterAndHaproxy(false));
  const std::set<std::string> both{SlavePort(0), SlavePort(1)};
  ASSERT_TRUE(WaitFor([&] { return Answering() == both; }, seconds(30))) << haproxy_->ReadLog();

  // slave2 stops: only slave1 answers, nothing fails.
  cluster_->StopSlave(1);
  EXPECT_TRUE(WaitFor([&] { return Answering() == std::set<std::string>{SlavePort(0)}; }, seconds(20)))
      << haproxy_->ReadLog();
  cluster_->StartSlave(1);
  EXPECT_TRUE(WaitFor([&] { return Answering() == both; }, seconds(30))) << haproxy_->ReadLog();

  // slave1's applier is held back (a lock on the table it must write): once
  // it is more than 1 s behind, its /health fails and HAProxy drops it.
  std::unique_ptr<sql::Connection> blocker = cluster_->slave_db(0).Connect("hp");
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  lock->execute("LOCK TABLES t WRITE");
  cluster_->SqlAndWait("INSERT INTO hp.t VALUES (2);");
  EXPECT_TRUE(WaitFor([&] { return Answering() == std::set<std::string>{SlavePort(1)}; }, seconds(20)))
      << haproxy_->ReadLog();
  lock->execute("UNLOCK TABLES");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  EXPECT_TRUE(WaitFor([&] { return Answering() == both; }, seconds(30))) << haproxy_->ReadLog();
}

// With TLS the health checks are HTTPS, checked against the cluster's CA.
TEST_F(HaproxyTest, HealthChecksOverHttpsKeepTheRotation) {
  ASSERT_NO_FATAL_FAILURE(StartClusterAndHaproxy(true));
  const std::set<std::string> both{SlavePort(0), SlavePort(1)};
  ASSERT_TRUE(WaitFor([&] { return Answering() == both; }, seconds(30))) << haproxy_->ReadLog();
  cluster_->StopSlave(1);
  EXPECT_TRUE(WaitFor([&] { return Answering() == std::set<std::string>{SlavePort(0)}; }, seconds(20)))
      << haproxy_->ReadLog();
}

// The master daemon is killed (kill -9): the slaves lose their link but, well
// within their reads_without_master_seconds (default 300) and with all they
// received applied, keep answering 200, so the read frontend keeps both.
TEST_F(HaproxyTest, ReadsThroughHaproxySurviveTheMastersLoss) {
  ASSERT_NO_FATAL_FAILURE(StartClusterAndHaproxy(false));
  const std::set<std::string> both{SlavePort(0), SlavePort(1)};
  ASSERT_TRUE(WaitFor([&] { return Answering() == both; }, seconds(30))) << haproxy_->ReadLog();

  cluster_->KillMaster();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(WaitFor(
        [&] {
          const nlohmann::json status = SlaveStatus(i);
          return status.is_object() && status.value("master_reachable", true) == false;
        },
        seconds(20)))
        << SlaveStatus(i).dump();
    const nlohmann::json status = SlaveStatus(i);
    EXPECT_EQ(status["healthy"], true) << status.dump();
    EXPECT_NE(status["health"].get<std::string>().find("master unreachable"), std::string::npos)
        << status.dump();
  }
  // HAProxy marks a server down after 2 failed checks 1 s apart: over 4 s,
  // a slave whose /health failed would have left. Both answer throughout.
  const auto until = std::chrono::steady_clock::now() + seconds(4);
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_EQ(Answering(2), both) << haproxy_->ReadLog();
  }
  EXPECT_FALSE(MarkedDown("ddb_reads/slave1")) << haproxy_->ReadLog();
  EXPECT_FALSE(MarkedDown("ddb_reads/slave2")) << haproxy_->ReadLog();
}

// Writes through the write frontend reach the master's endpoint (logged and
// replicated); slave1's MariaDB, listed as a write server, gets none: its
// /health?role=master answers 503. Once the master daemon is gone, nothing
// takes writes, although slave1's MariaDB would accept root.
TEST_F(HaproxyTest, WritesGoOnlyToTheNodeWhoseHealthSaysMaster) {
  ASSERT_NO_FATAL_FAILURE(StartClusterAndHaproxy(false, true));
  ASSERT_TRUE(WaitFor([&] { return MarkedDown("ddb_writes/slave1") && MarkedDown("ddb_writes/slave2"); },
                      seconds(20)))
      << haproxy_->ReadLog();
  EXPECT_FALSE(MarkedDown("ddb_writes/master")) << haproxy_->ReadLog();

  for (int id = 10; id < 15; ++id) {
    const ClientRun run = Write("INSERT INTO hp.t VALUES (" + std::to_string(id) + ")");
    ASSERT_TRUE(run.ok) << run.output << "\n" << haproxy_->ReadLog();
  }
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM hp.t"), "6");
  cluster_->ExpectTableEqualEverywhere("hp", "t");

  cluster_->KillMaster();
  ASSERT_TRUE(WaitFor([&] { return MarkedDown("ddb_writes/master"); }, seconds(20))) << haproxy_->ReadLog();
  const ClientRun orphan = Client(write_port_, "root", "", "INSERT INTO hp.t VALUES (99)");
  EXPECT_FALSE(orphan.ok) << orphan.output;
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM hp.t WHERE id = 99"), "0");
}

// The write frontend follows the master role: after \switchover slave1 the
// same HAProxy, not reconfigured, sends writes to slave1's endpoint (its
// /health?role=master answers 200 now, the former master's 503), and they
// replicate to every node.
TEST_F(HaproxyTest, WritesReachTheNewMasterAfterASwitchoverWithoutReconfiguringHaproxy) {
  ASSERT_NO_FATAL_FAILURE(StartClusterAndHaproxy(false, true, true));
  ASSERT_TRUE(WaitFor([&] { return Write("INSERT INTO hp.t VALUES (10)").ok; }, seconds(20)))
      << haproxy_->ReadLog();
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM hp.t"), "2");

  cluster_->Sql("\\switchover slave1");
  ASSERT_TRUE(ha_->WaitForMaster(1, seconds(30))) << cluster_->MasterConsoleOutput() << ha_->Logs();
  ASSERT_TRUE(WaitFor([&] { return Write("INSERT INTO hp.t VALUES (11)").ok; }, seconds(30)))
      << haproxy_->ReadLog();
  EXPECT_TRUE(MarkedDown("ddb_writes/master")) << haproxy_->ReadLog();
  // Written on slave1 (the master now), and replicated to the former master.
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM hp.t WHERE id = 11"), "1");
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string expected = cluster_->slave_db(0).TableChecksum("hp", "t");
        return cluster_->master_db().TableChecksum("hp", "t") == expected &&
               cluster_->slave_db(1).TableChecksum("hp", "t") == expected;
      },
      seconds(30)))
      << ha_->Logs();
}

// With TLS the write frontend checks every node's /health?role=master over
// HTTPS too: the master's passes (it stays up, writes go through), the
// slaves' answer 503.
TEST_F(HaproxyTest, WriteChecksOverHttpsFindTheMaster) {
  ASSERT_NO_FATAL_FAILURE(StartClusterAndHaproxy(true, true));
  ASSERT_TRUE(WaitFor([&] { return MarkedDown("ddb_writes/slave1") && MarkedDown("ddb_writes/slave2"); },
                      seconds(20)))
      << haproxy_->ReadLog();
  // Servers start up in HAProxy and leave after 2 failed checks 1 s apart:
  // writes for 3 s more show the master's checks pass.
  const auto until = std::chrono::steady_clock::now() + seconds(3);
  for (int id = 20; std::chrono::steady_clock::now() < until; ++id) {
    const ClientRun run = Write("INSERT INTO hp.t VALUES (" + std::to_string(id) + ")");
    ASSERT_TRUE(run.ok) << run.output << "\n" << haproxy_->ReadLog();
  }
  EXPECT_FALSE(MarkedDown("ddb_writes/master")) << haproxy_->ReadLog();
}

}  // namespace
}  // namespace ddb::testing
