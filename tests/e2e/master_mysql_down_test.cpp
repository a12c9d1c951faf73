// The master without its own MariaDB: /health says so (503 and the cause),
// and a client of the MySQL endpoint gets an error packet naming the cause,
// not a broken handshake; both recover when MariaDB returns.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cluster.h"
#include "endpoint_clients.h"
#include "http_client.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class MasterMySqlDownTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions options;
    options.slaves = 1;
    options.mysql_endpoint = true;
    cluster_ = std::make_unique<Cluster>(options);
    cluster_->StartAll();
  }

  HttpReply Health() { return HttpGet(cluster_->master_http_port(), "/health"); }

  // The real mariadb client through the endpoint: its exit code and what it
  // printed (stdout and stderr).
  std::pair<int, std::string> RunClient(const std::string& sql) {
    const auto log = cluster_->dir() / ("client-" + std::to_string(++clients_) + ".log");
    ChildProcess client({"mariadb", "--no-defaults", "--protocol=TCP", "-h", "127.0.0.1", "-P",
                         std::to_string(cluster_->client_port()), "-u", kClientUser,
                         std::string("-p") + kClientPassword, "--connect-timeout=5", "-N", "-B", "-e", sql},
                        log);
    int code = -1;
    if (!client.WaitForExit(seconds(30), &code))
      return {-1, "the client did not finish: " + client.ReadLog()};
    return {code, client.ReadLog()};
  }

  std::unique_ptr<Cluster> cluster_;
  int clients_ = 0;
};

TEST_F(MasterMySqlDownTest, HealthAndEndpointNameTheUnreachableMySqlAndRecoverWithIt) {
  ASSERT_TRUE(WaitFor([&] { return Health().status == 200; }, seconds(30))) << Health().body;
  ASSERT_EQ(RunClient("SELECT 41 + 1").second, "42\n");

  // A session logged in before MariaDB goes: its next statement fails with
  // the same cause.
  Status error;
  std::unique_ptr<MySqlConnection> session = ConnectWithin(ClientEndpoint(*cluster_), seconds(30), &error);
  ASSERT_NE(session, nullptr) << error.ToString();
  ASSERT_TRUE(session->Execute("SELECT 1").ok());

  const std::string address =
      cluster_->master_db().socket_path().string();  // the Cluster's master uses the socket
  cluster_->master_db().Stop();                      // by its pid

  // A read of session state: the master's to answer (a plain read could go
  // to the slave, which is up).
  const Status lost = session->Execute("SELECT @@session.autocommit");
  EXPECT_EQ(lost.mysql_error_code(), 1429) << lost.ToString();
  EXPECT_NE(lost.message().find("ddb master cannot reach its MySQL at " + address), std::string::npos)
      << lost.ToString();

  HttpReply health;
  ASSERT_TRUE(WaitFor([&] { return (health = Health()).status == 503; }, seconds(30)))
      << health.status << " " << health.body << health.error;
  const nlohmann::json body = nlohmann::json::parse(health.body);
  EXPECT_EQ(body.value("status", ""), "unavailable");
  EXPECT_NE(body.value("cause", "").find("ddb master cannot reach its MySQL at " + address),
            std::string::npos)
      << health.body;

  // Was: ERROR 2027 (HY000): Received malformed packet.
  const auto [code, output] = RunClient("SELECT @@session.autocommit");
  EXPECT_NE(code, 0) << output;
  EXPECT_NE(output.find("ERROR 1429 (HY000): ddb master cannot reach its MySQL at " + address),
            std::string::npos)
      << output;
  EXPECT_EQ(output.find("malformed"), std::string::npos) << output;
  EXPECT_TRUE(cluster_->MasterRunning());

  cluster_->master_db().Restart();
  EXPECT_TRUE(WaitFor([&] { return Health().status == 200; }, seconds(30))) << Health().body;
  EXPECT_EQ(RunClient("SELECT 41 + 1").second, "42\n");
}

}  // namespace
}  // namespace ddb::testing
