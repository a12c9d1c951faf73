// A real HAProxy, configured by `ddb-master --haproxy-config`, in front of
// the slaves: the mariadb client reaches them through it, and a slave that
// stops or lags past its max_lag_seconds leaves the rotation and comes back
// once it has caught up.
#include <gtest/gtest.h>

#include <cppconn/connection.h>
#include <cppconn/statement.h>

#include <fstream>
#include <set>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class HaproxyTest : public ::testing::Test {
 protected:
  void SetUp() override {}

  // `tls`: the cluster has its own CA and the slaves' /health is HTTPS.
  void StartClusterAndHaproxy(bool tls) {
    ClusterOptions options;
    options.tls = tls;
    options.slave_max_lag_seconds = 1;  // a slave lags out of rotation after 1 s
    cluster_ = std::make_unique<Cluster>(options);
    cluster_->StartAll();
    cluster_->SqlAndWait(
        "CREATE DATABASE hp;\nCREATE TABLE hp.t (id INT PRIMARY KEY);\nINSERT INTO hp.t VALUES (1);");
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));

    haproxy_port_ = FreeLoopbackPort();
    const auto cfg = cluster_->dir() / "haproxy.cfg";
    {
      ChildProcess generate(
          {DDB_MASTER_BINARY, "--config", cluster_->master_config().string(), "--haproxy-config",
           "--haproxy_bind", "127.0.0.1:" + std::to_string(haproxy_port_)},
          cfg);
      int code = -1;
      ASSERT_TRUE(generate.WaitForExit(seconds(10), &code));
      ASSERT_EQ(code, 0) << generate.ReadLog();
    }
    haproxy_ = std::make_unique<ChildProcess>(std::vector<std::string>{"haproxy", "-db", "-f", cfg.string()},
                                              cluster_->dir() / "haproxy.log");
    ASSERT_TRUE(WaitFor([&] { return !ReadPort().empty(); }, seconds(20))) << haproxy_->ReadLog();
  }

  void TearDown() override {
    haproxy_.reset();  // by pid, before the cluster it points at
  }

  // `SELECT @@port` through HAProxy with the mariadb client: which slave's
  // MariaDB answered ("" when the connection failed).
  std::string ReadPort() {
    const auto log = cluster_->dir() / ("client-" + std::to_string(++clients_) + ".log");
    ChildProcess client(
        {"mariadb", "--protocol=TCP", "-h", "127.0.0.1", "-P", std::to_string(haproxy_port_), "-u", "root",
         "--connect-timeout=3", "-N", "-B", "-e", "SELECT @@port FROM hp.t LIMIT 1"},
        log);
    int code = -1;
    if (!client.WaitForExit(seconds(15), &code) || code != 0) return "";
    std::string out = client.ReadLog();
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }

  std::string SlavePort(int i) { return std::to_string(cluster_->slave_db(i).port()); }

  // The ports that answered `n` consecutive connections.
  std::set<std::string> Answering(int n = 6) {
    std::set<std::string> ports;
    for (int i = 0; i < n; ++i) ports.insert(ReadPort());
    return ports;
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<ChildProcess> haproxy_;
  uint16_t haproxy_port_ = 0;
  int clients_ = 0;
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

}  // namespace
}  // namespace ddb::testing
