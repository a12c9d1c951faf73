// \verify while eight clients write: every chunk's checksum is taken at one
// point of the log, so equal nodes are always reported equal however busy
// the master is, a row changed behind ddb's back is named by table and key
// range, and \repair makes the slave equal again while the writers go on.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cluster.h"
#include "endpoint_clients.h"
#include "verify_load.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

constexpr int kTables = 5;
constexpr int kClients = 8;

nlohmann::json VerifyJsonReport(Cluster& cluster) {
  cluster.SqlAndWait("\\verify json", std::chrono::seconds(120));
  const std::string out = cluster.MasterConsoleOutput();
  const size_t start = out.rfind("{\"all_equal\"");
  if (start == std::string::npos) {
    ADD_FAILURE() << "no JSON report in:\n" << out;
    return {};
  }
  return nlohmann::json::parse(out.substr(start, out.find('\n', start) - start));
}

TEST(VerifyUnderLoadTest, EqualNodesAreEqualInEveryRunAndADriftedRangeIsNamed) {
  ClusterOptions options;
  options.mysql_endpoint = true;
  Cluster cluster(options);
  cluster.StartAll();
  const VerifyLoad load;
  std::vector<std::string> setup = load.Setup();
  // Every kind of value a repair must carry exactly; the load leaves it alone.
  setup.push_back(
      "CREATE TABLE w.types (id INT PRIMARY KEY, b VARBINARY(16), f FLOAT, d DOUBLE, x DECIMAL(30,10), "
      "j JSON, t TIME(3), e ENUM('a','b'), bits BIT(5), s VARCHAR(20))");
  setup.push_back(
      "INSERT INTO w.types VALUES (1, X'00275C0A', 0.1, 0.30000000000000004, "
      "-12345678901234567890.0123456789, "
      "'{\"k\": [1, \"two\"]}', '-01:02:03.456', 'b', b'10101', 'it''s \\\\ \xc3\xa9'), "
      "(2, '', 3.40282e38, -1e-300, 0, NULL, NULL, NULL, NULL, NULL), (3, NULL, NULL, NULL, NULL, 'null', "
      "'00:00:00', 'a', b'0', '')");
  const Status prepared = ExecuteThroughEndpoint(cluster, setup);
  ASSERT_TRUE(prepared.ok()) << prepared.ToString();
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60)));

  std::vector<ClientTally> tallies(kClients);
  ClientThreads writers(kClients, [&](int client, const std::atomic<bool>& stop) {
    load.Write(cluster, client, stop, &tallies[client]);
  });
  for (int run = 1; run <= 10; ++run) {
    const nlohmann::json report = VerifyJsonReport(cluster);
    ASSERT_TRUE(report.is_object());
    EXPECT_TRUE(report["all_equal"].get<bool>()) << "run " << run << ": " << report.dump(1);
    ASSERT_EQ(report["tables"].size(), static_cast<size_t>(kTables + 1)) << report.dump(1);
    EXPECT_TRUE(report["skipped"].empty()) << report.dump(1);
  }

  // Behind ddb's back, on slave2 only: column s of row 1500 of w.t3, which
  // the load never writes.
  cluster.slave_db(1).Execute("UPDATE w.t3 SET s = 'drifted' WHERE id = 1500");
  const nlohmann::json report = VerifyJsonReport(cluster);
  EXPECT_FALSE(report["all_equal"].get<bool>());
  for (const auto& table : report["tables"]) {
    const std::string name = table["table"];
    EXPECT_EQ(table["slaves"]["slave1"], "ok") << name;
    if (name == "w.t3") {
      const std::string verdict = table["slaves"]["slave2"];
      // The writers' inserts may have made a fourth chunk by now.
      EXPECT_EQ(verdict.rfind("DIFFERS: chunk 2 of ", 0), 0u) << verdict;
      EXPECT_NE(verdict.find(", 1000 < id <= 2000 (1000 rows vs 1000 on the master)"), std::string::npos)
          << verdict;
    } else {
      EXPECT_EQ(table["slaves"]["slave2"], "ok") << name;
    }
  }
  // Repaired while the writers go on; then w.types, drifted in every way a
  // row can (changed, deleted, one too many), is repaired too.
  cluster.SqlAndWait("\\repair w.t3", seconds(120));
  std::string out = cluster.MasterConsoleOutput();
  EXPECT_NE(out.find("w.t3: rewrote 1 chunk(s)"), std::string::npos) << out;
  EXPECT_NE(out.find("all nodes equal"), std::string::npos) << out;
  cluster.slave_db(1).Execute("UPDATE w.types SET f = 0.2, b = X'00' WHERE id = 1");
  cluster.slave_db(1).Execute("DELETE FROM w.types WHERE id = 2");
  cluster.slave_db(1).Execute("INSERT INTO w.types (id) VALUES (4)");
  cluster.SqlAndWait("\\repair w.types", seconds(120));
  out = cluster.MasterConsoleOutput();
  EXPECT_NE(out.find("w.types: rewrote 1 chunk(s), 3 row(s)"), std::string::npos) << out;
  EXPECT_EQ(out.find("NODES DIFFER"), std::string::npos) << out;
  writers.Stop();
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60))) << cluster.SlaveLog(0) << cluster.SlaveLog(1);
  cluster.ExpectTableEqualEverywhere("w", "types");
  for (int t = 1; t <= kTables; ++t) cluster.ExpectTableEqualEverywhere("w", "t" + std::to_string(t));
  ClientTally total;
  for (const ClientTally& tally : tallies) total += tally;
  EXPECT_GT(total.commits, 100) << total.Describe();
  EXPECT_EQ(total.unexpected, 0) << total.Describe();
}

}  // namespace
}  // namespace ddb::testing
