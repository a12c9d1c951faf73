// \verify while eight clients write: every chunk's checksum is taken at one
// point of the log, so equal nodes are always reported equal however busy
// the master is, a row changed behind ddb's back is named by table and key
// range, and \repair makes the slave equal again while the writers go on.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>

#include "cluster.h"
#include "endpoint_clients.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

constexpr int kTables = 5;
constexpr int kRows = 2500;  // three chunks of at most 1000 rows per table
constexpr int kClients = 8;

std::string Table(int t) { return "w.t" + std::to_string(t); }

// Updates, inserts and deletes on every table, in autocommit statements and
// small transactions, until `stop`. Only columns n and ts change on the
// first kRows rows, so a test can drift column s there unseen by the load.
void Write(Cluster& cluster, int client, const std::atomic<bool>& stop, ClientTally* tally) {
  std::mt19937 random(9100 + client);
  Status error;
  std::unique_ptr<MySqlConnection> connection =
      ConnectWithin(ClientEndpoint(cluster, "w"), seconds(30), &error);
  if (!connection) return tally->Count(error, "connect");
  int64_t next_id = 1000000 * (client + 1);
  std::vector<int64_t> mine;
  while (!stop) {
    const std::string table = Table(std::uniform_int_distribution<int>(1, kTables)(random));
    const std::string id = std::to_string(std::uniform_int_distribution<int>(1, kRows)(random));
    std::vector<std::string> statements;
    switch (std::uniform_int_distribution<int>(0, 3)(random)) {
      case 0: statements = {"UPDATE " + table + " SET n = n + 1, ts = NOW(6) WHERE id = " + id}; break;
      case 1:
        mine.push_back(next_id);
        statements = {"INSERT INTO " + table + " (id, n, s) VALUES (" + std::to_string(next_id++) + ", " +
                      id + ", 'new')"};
        break;
      case 2:
        if (mine.empty()) continue;
        statements = {"DELETE FROM " + table + " WHERE id = " + std::to_string(mine.back())};
        mine.pop_back();
        break;
      default:
        statements = {
            "BEGIN", "UPDATE " + table + " SET n = n - 1 WHERE id = " + id,
            "UPDATE " + table + " SET n = n + 2 WHERE id = " + std::to_string(kRows + 1 - std::stoi(id)),
            "COMMIT"};
        break;
    }
    if (Status s = ExecuteEach(*connection, statements); s.ok()) {
      ++tally->commits;
    } else {
      tally->Count(s, statements.back());
      static_cast<void>(connection->Execute("ROLLBACK"));  // ends whatever the failure left open
    }
  }
}

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
  std::vector<std::string> setup = {"CREATE DATABASE w", "USE w"};
  for (int t = 1; t <= kTables; ++t) {
    setup.push_back("CREATE TABLE " + Table(t) +
                    " (id BIGINT PRIMARY KEY, n INT NOT NULL, s VARCHAR(40), ts TIMESTAMP(6) NULL)");
    setup.push_back("INSERT INTO " + Table(t) +
                    " SELECT seq, seq % 97, CONCAT('row ', seq), NULL FROM seq_1_to_" +
                    std::to_string(kRows));
  }
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
    Write(cluster, client, stop, &tallies[client]);
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
