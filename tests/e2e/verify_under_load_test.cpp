// \verify while eight clients write: every chunk's checksum is taken at one
// point of the log, so equal nodes are always reported equal however busy
// the master is, and a row changed behind ddb's back is named by table and
// key range.
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
    ASSERT_EQ(report["tables"].size(), static_cast<size_t>(kTables)) << report.dump(1);
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
      EXPECT_EQ(verdict.rfind("DIFFERS: chunk 2 of 3, 1000 < id <= 2000", 0), 0u) << verdict;
    } else {
      EXPECT_EQ(table["slaves"]["slave2"], "ok") << name;
    }
  }
  writers.Stop();
  ClientTally total;
  for (const ClientTally& tally : tallies) total += tally;
  EXPECT_GT(total.commits, 100) << total.Describe();
  EXPECT_EQ(total.unexpected, 0) << total.Describe();
}

}  // namespace
}  // namespace ddb::testing
