// Continuous verification (verify_interval_seconds) while eight clients
// write: passes report every table equal, a row changed behind ddb's back on
// one slave is found within one pass, named by table, key range and slave in
// GET /api/verify, /metrics and \status, and POST /api/repair makes the slave
// equal again while the writers go on; with a slave down, tables are unknown.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "cluster.h"
#include "endpoint_clients.h"
#include "http_client.h"
#include "verify_load.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

constexpr int kClients = 8;

class ContinuousVerifyTest : public ::testing::Test {
 protected:
  nlohmann::json Results() {
    const HttpReply reply = HttpGet(cluster_.master_http_port(), "/api/verify", token());
    EXPECT_EQ(reply.status, 200) << reply.error << reply.body;
    return reply.status == 200 ? nlohmann::json::parse(reply.body) : nlohmann::json::object();
  }
  static uint64_t Passes(const nlohmann::json& results) { return results.value("passes_completed", 0ull); }
  static nlohmann::json TableIn(const nlohmann::json& results, const std::string& name) {
    for (const auto& table : results.value("tables", nlohmann::json::array())) {
      if (table["table"] == name) return table;
    }
    return nlohmann::json::object();
  }
  // Polls until `count` more passes than now have completed.
  nlohmann::json AfterPasses(uint64_t count) {
    const uint64_t target = Passes(Results()) + count;
    nlohmann::json results;
    EXPECT_TRUE(WaitFor(
        [&] {
          results = Results();
          return Passes(results) >= target;
        },
        seconds(60), std::chrono::milliseconds(200)))
        << results.dump(1);
    return results;
  }
  const std::string& token() const { return cluster_.options().http_token; }

  Cluster cluster_{[] {
    ClusterOptions options;
    options.mysql_endpoint = true;
    return options;
  }()};
};

TEST_F(ContinuousVerifyTest, ADriftedRowIsFoundWithinOnePassAndRepairedOverTheApiUnderLoad) {
  // In the file, not a flag, so that a reload can turn it off below.
  std::ofstream(cluster_.master_config(), std::ios::app) << "verify_interval_seconds = 1\n";
  cluster_.StartMaster();
  for (int i = 0; i < cluster_.slave_count(); ++i) cluster_.StartSlave(i);
  VerifyLoad load;
  load.tables = 3;
  const Status prepared = ExecuteThroughEndpoint(cluster_, load.Setup());
  ASSERT_TRUE(prepared.ok()) << prepared.ToString();
  ASSERT_TRUE(cluster_.WaitForSlavesCaughtUp(seconds(60)));

  std::vector<ClientTally> tallies(kClients);
  ClientThreads writers(kClients, [&](int client, const std::atomic<bool>& stop) {
    load.Write(cluster_, client, stop, &tallies[client]);
  });
  // A whole pass with the writers running: every table equal, none unknown;
  // the walker read chunks about 5% of the time at most (verify_busy_percent).
  const nlohmann::json before = Results();
  const auto started = std::chrono::steady_clock::now();
  nlohmann::json results = AfterPasses(2);
  const double busy = results["busy_seconds"].get<double>() - before["busy_seconds"].get<double>();
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_GT(busy, 0.0);
  // Not exactly 5%: the window may end between a chunk and its pause, and a
  // chunk that waits for a writer's locks on this loaded machine is long.
  // Unpaced, the walker would be busy most of the time.
  EXPECT_LT(busy / elapsed, 0.10) << busy << " s busy in " << elapsed << " s";
  EXPECT_EQ(results["interval_seconds"], 1);
  EXPECT_EQ(results["chunks_differing"], 0) << results.dump(1);
  ASSERT_EQ(results["tables"].size(), static_cast<size_t>(load.tables)) << results.dump(1);
  for (const auto& table : results["tables"]) {
    EXPECT_EQ(table["state"], "equal") << table.dump(1);
    EXPECT_GT(table["checked_at_micros"].get<int64_t>(), 0);
  }

  // Behind ddb's back, on slave2 only: column s of row 1500 of w.t2, which
  // the load never writes. A pass under way may have checked w.t2 already;
  // the pass after it starts after the change and must find it.
  const uint64_t passes_before = Passes(Results());
  cluster_.slave_db(1).Execute("UPDATE w.t2 SET s = 'drifted' WHERE id = 1500");
  nlohmann::json drifted;
  ASSERT_TRUE(WaitFor(
      [&] {
        results = Results();
        drifted = TableIn(results, "w.t2");
        return drifted.value("state", "") == "differs" || Passes(results) >= passes_before + 2;
      },
      seconds(60), std::chrono::milliseconds(100)))
      << results.dump(1);
  ASSERT_EQ(drifted["state"], "differs") << "not found within one pass: " << results.dump(1);
  ASSERT_EQ(drifted["differences"].size(), 1u) << drifted.dump(1);
  EXPECT_EQ(drifted["differences"][0]["chunk"], 2) << drifted.dump(1);
  EXPECT_EQ(drifted["differences"][0]["range"], "1000 < id <= 2000") << drifted.dump(1);
  EXPECT_EQ(drifted["differences"][0]["slaves"], nlohmann::json::array({"slave2"})) << drifted.dump(1);
  EXPECT_EQ(drifted["slaves"]["slave1"], "ok") << drifted.dump(1);
  for (const std::string other : {"w.t1", "w.t3"}) EXPECT_EQ(TableIn(results, other)["state"], "equal");

  const HttpReply metrics = HttpGet(cluster_.master_http_port(), "/metrics");
  EXPECT_NE(metrics.body.find("\nddb_verify_chunks_differing 1\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("ddb_verify_tables{state=\"differs\"} 1"), std::string::npos) << metrics.body;
  const std::string status = cluster_.SqlOutput("\\status");
  EXPECT_NE(status.find("a pass every 1 s"), std::string::npos) << status;
  EXPECT_NE(status.find("chunk 2 (1000 < id <= 2000) on slave2"), std::string::npos) << status;

  // Repair is a data change: the token is required, and the body checked.
  EXPECT_EQ(HttpPost(cluster_.master_http_port(), "/api/repair", R"({"table": "w.t2"})").status, 401);
  EXPECT_EQ(HttpPost(cluster_.master_http_port(), "/api/repair", R"({"table": 2})", token()).status, 400);
  EXPECT_EQ(HttpPost(cluster_.master_http_port(), "/api/repair", R"({"table": "w.nope"})", token()).status,
            404);
  HttpCall repair_call{"POST", "/api/repair", R"({"table": "w.t2", "chunk": 2})", token()};
  repair_call.deadline = std::chrono::milliseconds(120000);
  const HttpReply repaired = Http(cluster_.master_http_port(), repair_call);
  ASSERT_EQ(repaired.status, 200) << repaired.error << repaired.body;
  const nlohmann::json repair = nlohmann::json::parse(repaired.body);
  EXPECT_EQ(repair["chunks_rewritten"], 1) << repair.dump(1);
  EXPECT_TRUE(repair["all_equal"].get<bool>()) << repair.dump(1);
  // The next passes see every table equal again, the writers still running.
  EXPECT_EQ(HttpPost(cluster_.master_http_port(), "/api/verify", "", token()).status, 202);
  results = AfterPasses(2);
  EXPECT_EQ(results["chunks_differing"], 0) << results.dump(1);
  for (const auto& table : results["tables"]) EXPECT_EQ(table["state"], "equal") << table.dump(1);

  writers.Stop();
  ASSERT_TRUE(cluster_.WaitForSlavesCaughtUp(seconds(60))) << cluster_.SlaveLog(0) << cluster_.SlaveLog(1);
  for (int t = 1; t <= load.tables; ++t) cluster_.ExpectTableEqualEverywhere("w", "t" + std::to_string(t));
  ClientTally total;
  for (const ClientTally& tally : tallies) total += tally;
  EXPECT_GT(total.commits, 100) << total.Describe();
  EXPECT_EQ(total.unexpected, 0) << total.Describe();

  // A slave that is down cannot be compared: every table is unknown, and
  // says why.
  cluster_.StopSlave(1);
  results = AfterPasses(2);
  for (const auto& table : results["tables"]) {
    EXPECT_EQ(table["state"], "unknown") << table.dump(1);
    EXPECT_EQ(table["reason"], "slave2: offline: not checked") << table.dump(1);
  }

  // A reload turns continuous mode off; POST /api/verify still runs a pass.
  cluster_.WriteMasterConfig({"slave1", "slave2"});
  const HttpReply reloaded = HttpPost(cluster_.master_http_port(), "/api/reload", "", token());
  ASSERT_EQ(reloaded.status, 200) << reloaded.body;
  EXPECT_NE(reloaded.body.find(R"("key":"verify_interval_seconds")"), std::string::npos) << reloaded.body;
  ASSERT_TRUE(WaitFor(
      [&] {
        results = Results();
        return results["interval_seconds"] == 0 && !results["running"].get<bool>();
      },
      seconds(60), std::chrono::milliseconds(100)))
      << results.dump(1);
  const uint64_t passes_off = Passes(results);
  EXPECT_EQ(HttpPost(cluster_.master_http_port(), "/api/verify", "", token()).status, 202);
  EXPECT_TRUE(WaitFor([&] { return Passes(Results()) == passes_off + 1; }, seconds(60)));

  // A pass under way does not hold the master up when it stops.
  EXPECT_EQ(HttpPost(cluster_.master_http_port(), "/api/verify", "", token()).status, 202);
  const auto stopping = std::chrono::steady_clock::now();
  cluster_.StopMaster();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, seconds(10));
}

}  // namespace
}  // namespace ddb::testing
