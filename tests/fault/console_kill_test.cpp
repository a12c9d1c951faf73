// An attached console killed while its forwarded write waits on the master:
// the slave daemon neither crashes nor hangs, the write's fate is the
// master's (as for a MySQL client killed mid-statement), and the next
// console attaches as usual.
#include <gtest/gtest.h>

#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ConsoleKillTest, AConsoleKilledMidWriteLeavesTheDaemonServing) {
  Cluster cluster;
  cluster.StartAll();
  cluster.SqlAndWait(
      "CREATE DATABASE k;\nCREATE TABLE k.t (id INT PRIMARY KEY, v VARCHAR(20));\n"
      "INSERT INTO k.t VALUES (1, 'before');");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));

  // Someone on the master holds row 1, so the forwarded UPDATE waits there.
  auto holder = cluster.master_db().Connect();
  std::unique_ptr<sql::Statement> hold(holder->createStatement());
  hold->execute("BEGIN");
  std::unique_ptr<sql::ResultSet> held(hold->executeQuery("SELECT v FROM k.t WHERE id = 1 FOR UPDATE"));
  ASSERT_TRUE(held->next());
  held.reset();

  auto console = cluster.AttachConsole(1, "killed");
  ASSERT_NE(console->Run("SELECT COUNT(*) AS n FROM k.t;").find("| 1 |"), std::string::npos)
      << console->Output();
  console->Type("UPDATE k.t SET v = 'after' WHERE id = 1;");
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster.master_db().QueryValue(
                   "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'UPDATE k.t%'") ==
               "1";
      },
      seconds(10)))
      << "the forwarded UPDATE never reached the master";
  ASSERT_TRUE(console->process().Kill9());
  console->process().WaitForExit(seconds(10));
  hold->execute("COMMIT");

  // The statement was already running on the master, so it completes there
  // and replicates; the daemon, whose answer found nobody, serves on.
  ASSERT_TRUE(
      WaitFor([&] { return cluster.master_db().QueryValue("SELECT v FROM k.t WHERE id = 1") == "after"; },
              seconds(10)));
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  cluster.ExpectTableEqualEverywhere("k", "t");
  EXPECT_TRUE(cluster.slave_process(1)->Running()) << cluster.SlaveLog(1);
  auto next = cluster.AttachConsole(1, "next");
  std::string out;
  EXPECT_TRUE(WaitFor(
      [&] {
        out = next->Run("INSERT INTO k.t VALUES (2, 'next');");
        return out.find("1 row affected (master") != std::string::npos;
      },
      seconds(20), milliseconds(500)))
      << out << cluster.SlaveLog(1);
  EXPECT_EQ(next->Close(), 0);
  EXPECT_NE(cluster.SlaveLog(1).find("console 2 detached"), std::string::npos) << cluster.SlaveLog(1);
}

}  // namespace
}  // namespace ddb::testing
