// Planned switchover (issue 19, docs/failover.md): while 8 clients write
// through the MySQL endpoint, `\switchover slave1` at the master console
// hands the master role to slave1 -- writes stop, slave1 catches up and
// starts a new epoch, the old master becomes its slave, slave2 follows --
// and POST /api/switchover on slave1 hands it back. No acknowledged write is
// lost, and every node ends equal. A target that cannot take over is refused
// before writes stop, or refuses the hand-over itself: writes resume.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <mutex>
#include <regex>
#include <set>

#include "cluster.h"
#include "endpoint_clients.h"
#include "file_text.h"
#include "ha_configs.h"
#include "http_client.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// Writers that follow the master: each inserts rows with ids of its own
// through whichever node answers as the master, and keeps the ids whose
// INSERT was acknowledged.
class FollowingWriters {
 public:
  FollowingWriters(const HaConfigs& ha, int count)
      : ha_(ha),
        acknowledged_(count),
        threads_(count, [this](int index, const std::atomic<bool>& stop) { Write(index, stop); }) {}

  void Stop() { threads_.Stop(); }
  std::set<int64_t> Acknowledged() const {
    std::set<int64_t> all;
    for (const auto& ids : acknowledged_) all.insert(ids.begin(), ids.end());
    return all;
  }
  int64_t refused() const { return refused_.load(); }

 private:
  void Write(int index, const std::atomic<bool>& stop) {
    std::unique_ptr<MySqlConnection> connection;
    int64_t id = int64_t{index} * 1000000;
    while (!stop) {
      if (!connection) {
        const int master = ha_.CurrentMaster();
        if (master < 0) {
          std::this_thread::sleep_for(milliseconds(20));
          continue;
        }
        MySqlEndpoint endpoint;
        endpoint.host = "127.0.0.1";
        endpoint.port = ha_.node(master).client_port;
        endpoint.user = kClientUser;
        endpoint.password = kClientPassword;
        if (!MySqlConnection::Open(endpoint, &connection).ok()) {
          connection.reset();
          std::this_thread::sleep_for(milliseconds(20));
          continue;
        }
      }
      const Status s = connection->Execute("INSERT INTO s.t VALUES (" + std::to_string(id) + ", " +
                                           std::to_string(index) + ")");
      if (s.ok()) {
        acknowledged_[index].push_back(id++);
        continue;
      }
      // Refused (a switchover holds writes, or this node is no longer the
      // master): nothing committed, the same id again at the master. Lost
      // connection: unknown, so a new id.
      if (IsConnectionLost(s)) {
        ++id;
      } else {
        ++refused_;
      }
      connection.reset();
      std::this_thread::sleep_for(milliseconds(10));
    }
  }

  const HaConfigs& ha_;
  std::vector<std::vector<int64_t>> acknowledged_;  // one per thread
  std::atomic<int64_t> refused_{0};
  ClientThreads threads_;
};

class SwitchoverTest : public ::testing::Test {
 protected:
  // `tls`: TLS everywhere, client certificates too; the master checks the
  // target's HTTPS certificate when it watches it take over.
  void Start(bool tls) {
    ClusterOptions options;
    options.mysql_endpoint = true;
    options.tls = tls;
    options.tls_client_certs = tls;
    cluster_ = std::make_unique<Cluster>(options);
    ha_ = std::make_unique<HaConfigs>(*cluster_);
    cluster_->StartAll();
    cluster_->SqlAndWait("CREATE DATABASE s;\nCREATE TABLE s.t (id BIGINT PRIMARY KEY, writer INT);");
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  }

  // All nodes end equal, and hold every row acknowledged.
  void ExpectAllEqual(const std::set<int64_t>& acknowledged) {
    ASSERT_TRUE(ha_->WaitForTableEqualEverywhere("s", "t", seconds(60))) << ha_->Logs();
    const std::vector<int64_t> ids(acknowledged.begin(), acknowledged.end());
    EXPECT_EQ(ha_->CountMissing(0, "s", "t", ids), 0u) << "acknowledged writes lost";
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<HaConfigs> ha_;
};

TEST_F(SwitchoverTest, HandsTheMasterRoleOverAndBackWhileEightClientsWriteAndLosesNothing) {
  ASSERT_NO_FATAL_FAILURE(Start(false));
  Cluster& c = *cluster_;
  const HaConfigs& ha = *ha_;
  ASSERT_EQ(ha.CurrentMaster(), 0);
  FollowingWriters writers(ha, 8);
  ASSERT_TRUE(WaitFor([&] { return writers.Acknowledged().size() > 200; }, seconds(30))) << ha.Logs();

  // Over to slave1, at the master console.
  const Clock::time_point started = Clock::now();
  c.Sql("\\switchover slave1");
  ASSERT_TRUE(ha.WaitForMaster(1, seconds(30))) << c.MasterConsoleOutput() << ha.Logs();
  const auto over = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  EXPECT_LT(over, seconds(5)) << "the switchover to slave1 took " << over.count() << " ms";
  EXPECT_TRUE(c.WaitForMasterOutput("slave1 is the master now", seconds(10))) << c.MasterConsoleOutput();
  const HttpReply health = HttpGet(ha.node(1).http_port, "/health");
  EXPECT_NE(health.body.find("\"epoch\":2"), std::string::npos) << health.body;
  // Writes go on at slave1, and reach the former master, now its slave.
  const size_t before = writers.Acknowledged().size();
  ASSERT_TRUE(WaitFor([&] { return writers.Acknowledged().size() > before + 200; }, seconds(30)))
      << ha.Logs();
  // The former master follows slave1 (switching back needs it connected).
  ASSERT_TRUE(
      WaitFor([&] { return HttpGet(ha.node(0).http_port, "/health?role=slave").status == 200; }, seconds(30)))
      << ha.Logs();
  // A client that still dials the former master's endpoint is told where the
  // master is.
  MySqlEndpoint former;
  former.host = "127.0.0.1";
  former.port = ha.node(0).client_port;
  former.user = kClientUser;
  former.password = kClientPassword;
  std::unique_ptr<MySqlConnection> stale;
  const Status told = MySqlConnection::Open(former, &stale);
  EXPECT_FALSE(told.ok());
  EXPECT_NE(told.message().find("is a slave, not the master: write to slave1 at 127.0.0.1:" +
                                std::to_string(ha.node(1).client_port)),
            std::string::npos)
      << told.ToString();

  // Its HTTP API names the master too.
  const HttpReply misdirected =
      HttpPost(ha.node(0).http_port, "/api/query", "{\"sql\": \"SELECT 1\"}", c.options().http_token);
  EXPECT_EQ(misdirected.status, 421) << misdirected.body;
  EXPECT_NE(misdirected.body.find("send SQL to slave1's /api/query"), std::string::npos) << misdirected.body;

  // And back, through slave1's HTTP API.
  std::string why;
  const std::optional<milliseconds> took_back = ha.SwitchOverThroughApi(1, 0, seconds(30), &why);
  ASSERT_TRUE(took_back) << why;
  const milliseconds back = *took_back;
  EXPECT_LT(back, seconds(5)) << "the switchover back took " << back.count() << " ms";
  const size_t after_back = writers.Acknowledged().size();
  ASSERT_TRUE(WaitFor([&] { return writers.Acknowledged().size() > after_back + 200; }, seconds(30)))
      << ha.Logs();
  writers.Stop();
  std::cout << "switchover: over " << over.count() << " ms, back " << back.count() << " ms, "
            << writers.Acknowledged().size() << " writes acknowledged, " << writers.refused()
            << " refused while the role moved\n";
  ExpectAllEqual(writers.Acknowledged());
  EXPECT_NE(HttpGet(ha.node(0).http_port, "/health").body.find("\"epoch\":3"), std::string::npos);
}

TEST_F(SwitchoverTest, OverTlsTheMasterChecksTheTargetsCertificate) {
  ASSERT_NO_FATAL_FAILURE(Start(true));
  Cluster& c = *cluster_;
  const HaConfigs& ha = *ha_;
  c.SqlAndWait("INSERT INTO s.t VALUES (1, 0);");
  c.Sql("\\switchover slave2");
  ASSERT_TRUE(ha.WaitForMaster(2, seconds(30))) << c.MasterConsoleOutput() << ha.Logs();
  EXPECT_TRUE(c.WaitForMasterOutput("slave2 is the master now", seconds(10))) << c.MasterConsoleOutput();
  EXPECT_EQ(c.slave_db(1).QueryValue("SELECT COUNT(*) FROM s.t"), "1");
}

TEST_F(SwitchoverTest, ASlaveThatCannotTakeOverIsRefusedAndWritesResume) {
  ASSERT_NO_FATAL_FAILURE(Start(false));
  Cluster& c = *cluster_;
  const HaConfigs& ha = *ha_;
  // Unknown name, and a slave that is down: refused before writes stop.
  EXPECT_NE(c.SqlOutput("\\switchover nobody").find("no slave named 'nobody'"), std::string::npos);
  const std::regex slave2_gone(R"(slave 'slave2' \([^)]*\) disconnected)");
  const auto slave2_disconnects = [&] {
    const std::string log = c.MasterLog();
    return std::distance(std::sregex_iterator(log.begin(), log.end(), slave2_gone), std::sregex_iterator());
  };
  const auto disconnects_before = slave2_disconnects();
  c.StopSlave(1);
  // The master learns of it from the closed link, a moment after the exit.
  ASSERT_TRUE(WaitFor([&] { return slave2_disconnects() > disconnects_before; }, seconds(10)))
      << c.MasterLog();
  const HttpReply down =
      HttpPost(ha.node(0).http_port, "/api/switchover", "{\"to\": \"slave2\"}", c.options().http_token);
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_NE(down.body.find("not connected"), std::string::npos) << down.body;
  // The master still takes writes.
  c.SqlAndWait("INSERT INTO s.t VALUES (1, 0);");
  EXPECT_EQ(ha.CurrentMaster(), 0);
  EXPECT_EQ(c.slave_db(0).QueryValue("SELECT COUNT(*) FROM s.t"), "1");

  // slave2 without a master_config: handed the log, it refuses, says why,
  // and the master takes writes again.
  std::string config = ReadFile(c.slave_config(1));
  const size_t key = config.find("master_config = ");
  ASSERT_NE(key, std::string::npos);
  config.erase(key, config.find('\n', key) - key + 1);
  std::ofstream(c.slave_config(1)) << config;
  c.StartSlave(1);
  ASSERT_TRUE(c.WaitForSlavesCaughtUp(seconds(30)));
  const std::string refused = c.SqlOutput("\\switchover slave2");
  EXPECT_NE(refused.find("slave2 did not take over: slave2 has no master_config"), std::string::npos)
      << refused;
  EXPECT_NE(refused.find("writes resumed"), std::string::npos) << refused;
  c.SqlAndWait("INSERT INTO s.t VALUES (2, 0);");
  EXPECT_EQ(ha.CurrentMaster(), 0);
  ASSERT_TRUE(c.WaitForSlavesCaughtUp(seconds(30)));
  EXPECT_EQ(c.slave_db(1).QueryValue("SELECT COUNT(*) FROM s.t"), "2");
}

}  // namespace
}  // namespace ddb::testing
