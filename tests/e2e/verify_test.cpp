// \verify: every table checksummed on every node, differences named.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

TEST(VerifyTest, EqualNodesAreReportedEqualAndADriftedChunkIsNamed) {
  Cluster cluster;
  cluster.StartMaster();
  cluster.StartSlave(0);
  cluster.StartSlave(1);
  std::string sql =
      "CREATE DATABASE v;\nCREATE TABLE v.big (id INT PRIMARY KEY, name VARCHAR(20), note TEXT);\n"
      "CREATE TABLE v.nokey (a INT, b VARCHAR(5));\nINSERT INTO v.nokey VALUES (1, NULL), (1, '');\n";
  for (int i = 0; i < 25; ++i) {
    sql += "INSERT INTO v.big VALUES ";
    for (int j = 1; j <= 100; ++j) {
      const int id = i * 100 + j;
      sql += std::string(j > 1 ? ", " : "") + "(" + std::to_string(id) + ", 'n" + std::to_string(id) + "', " +
             (id % 7 == 0 ? "NULL" : "'text'") + ")";
    }
    sql += ";\n";
  }
  cluster.SqlAndWait(sql);
  // Both slaves hold every row before anything is compared or drifted: a
  // slave that started slowly (under the sanitizers, say) would otherwise be
  // "never connected", and an UPDATE behind its back could find no row yet.
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60)));
  cluster.SqlAndWait("\\verify");
  std::string out = cluster.MasterConsoleOutput();
  EXPECT_NE(out.find("| v.big   |        2500 | ok     | ok     |"), std::string::npos) << out;
  EXPECT_NE(out.find("| v.nokey |           2 | ok     | ok     |"), std::string::npos) << out;
  EXPECT_NE(out.find("all nodes equal"), std::string::npos) << out;

  // Drift behind ddb's back on slave2: row 1500 lies in the second chunk.
  cluster.slave_db(1).Execute("UPDATE v.big SET note = NULL WHERE id = 1500");
  cluster.SqlAndWait("\\verify json");
  out = cluster.MasterConsoleOutput();
  const std::string json_line = out.substr(
      out.rfind("{\"all_equal\""), out.find('\n', out.rfind("{\"all_equal\"")) - out.rfind("{\"all_equal\""));
  const nlohmann::json report = nlohmann::json::parse(json_line);
  EXPECT_FALSE(report["all_equal"].get<bool>());
  for (const auto& table : report["tables"]) {
    if (table["table"] == "v.big") {
      EXPECT_EQ(table["slaves"]["slave1"], "ok");
      EXPECT_EQ(table["slaves"]["slave2"],
                "DIFFERS: chunk 2 of 3, 1000 < id <= 2000 (1000 rows vs 1000 on the master)");
    }
  }
  // A scripted console reports the failed check in its exit status.
  cluster.StopSlave(0);
  // The master marks the slave offline once it sees the link close; until
  // then \verify would ask the closing link and report an error instead.
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string log = cluster.MasterLog();
        return log.find("slave 'slave1' (") != std::string::npos &&
               log.find(") disconnected") != std::string::npos;
      },
      seconds(30)))
      << cluster.MasterLog();
  cluster.SqlAndWait("\\verify");
  out = cluster.MasterConsoleOutput();
  EXPECT_NE(out.find("offline: not checked"), std::string::npos) << out;
}

}  // namespace
}  // namespace ddb::testing
