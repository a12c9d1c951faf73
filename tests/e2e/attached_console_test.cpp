// A console attached to a running slave daemon (`ddb-slave --attach`, what
// the demo tells users to open) does what the daemon's own console does:
// reads here, writes forwarded to the master and read back at once, live
// \status, \retry and \skip. Each attached console is a session of its own
// on the master, ended when it leaves; the socket is the daemon's alone.
#include <gtest/gtest.h>

#include <cppconn/connection.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <filesystem>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class AttachedConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartAll();
    cluster_->SqlAndWait(
        "CREATE DATABASE f;\nCREATE TABLE f.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(50));\n"
        "INSERT INTO f.t (v) VALUES ('from master');");
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  }

  // Attaches to slave2 and waits until its link is up (writes need it).
  std::unique_ptr<ConsoleProcess> AttachOnline(const std::string& name) {
    auto console = cluster_->AttachConsole(1, name);
    EXPECT_TRUE(
        WaitFor([&] { return console->Run("\\status").find("state:       online") != std::string::npos; },
                seconds(20), milliseconds(200)))
        << console->Output();
    return console;
  }

  // For a console whose daemon is (re)starting: types \status until the
  // output after `from` shows the daemon online. Typing goes on while the
  // console waits, so whichever \status first reaches a daemon attaches.
  bool StatusUntilOnline(ConsoleProcess& console, size_t from) {
    return WaitFor(
        [&] {
          console.Type("\\status");
          return console.Output().find("state:       online", from) != std::string::npos;
        },
        seconds(30), milliseconds(500));
  }

  std::string MasterValue(const std::string& sql) { return cluster_->master_db().QueryValue(sql); }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(AttachedConsoleTest, WritesRunOnTheMasterAndTheNextSelectSeesThem) {
  auto console = AttachOnline("attached");
  const uint64_t seq_before = cluster_->MasterLastSeq();
  const std::string out =
      console->Run("USE f;\nINSERT INTO t (v) VALUES ('attached');\nSELECT v FROM t ORDER BY id;");
  EXPECT_NE(out.find("Query OK, 1 row affected (master, "), std::string::npos) << out;
  EXPECT_NE(out.find("| attached    |"), std::string::npos) << out;
  EXPECT_NE(out.find("2 rows in set"), std::string::npos) << out;
  // Logged on the master as one record and replicated everywhere.
  EXPECT_EQ(cluster_->MasterLastSeq(), seq_before + 1);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  cluster_->ExpectTableEqualEverywhere("f", "t");

  // Read-your-writes while slave2's applier is held by a table lock: the
  // write returns only once slave2 applied it, so the SELECT typed after it
  // finds the row.
  auto blocker = cluster_->slave_db(1).Connect();
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  lock->execute("LOCK TABLES f.t READ");
  const size_t before = console->Output().size();
  console->Type("INSERT INTO t (v) VALUES ('slow apply');\nSELECT v FROM t WHERE v = 'slow apply';");
  ASSERT_TRUE(WaitFor([&] { return MasterValue("SELECT COUNT(*) FROM f.t WHERE v = 'slow apply'") == "1"; },
                      seconds(10)));
  EXPECT_EQ(console->Output().find("| slow apply |", before), std::string::npos)
      << "answered before applying";
  lock->execute("UNLOCK TABLES");
  EXPECT_TRUE(WaitFor([&] { return console->Output().find("| slow apply |", before) != std::string::npos; },
                      seconds(10)))
      << console->Output().substr(before);

  // SET at the console reaches the master's session with the next write.
  const std::string set = console->Run("SET @origin = 'set here';\nINSERT INTO t (v) VALUES (@origin);");
  EXPECT_NE(set.find("1 row affected (master"), std::string::npos) << set;
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t WHERE v = 'set here'"), "1");

  // DDL stays refused, naming the master.
  const std::string ddl = console->Run("DROP TABLE f.t;");
  EXPECT_NE(ddl.find("DROP is refused on slave 'slave2'"), std::string::npos) << ddl;
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t"), "4");
  // The refused DROP counts as a failed statement, as in the mariadb client.
  EXPECT_EQ(console->Close(), 1) << console->Output();
  EXPECT_NE(cluster_->MasterLog().find("slave 'slave2' opened forwarding session 2"), std::string::npos)
      << cluster_->MasterLog();
}

TEST_F(AttachedConsoleTest, StatusRetryAndSkipActOnTheRunningDaemon) {
  auto console = AttachOnline("attached");
  const std::string status = console->Run("\\status");
  EXPECT_NE(
      status.find("master:      127.0.0.1:" + std::to_string(cluster_->replication_port()) + " — connected"),
      std::string::npos)
      << status;
  EXPECT_NE(status.find("applier:     running"), std::string::npos) << status;

  // A row written to slave2 behind ddb's back stops its applier on the
  // master's next insert of the same key; the attached console shows it.
  cluster_->slave_db(1).Execute("INSERT INTO f.t VALUES (7, 'behind ddb')");
  cluster_->SqlAndWait("INSERT INTO f.t VALUES (7, 'from master');");
  const uint64_t failing = cluster_->MasterLastSeq();
  std::string stopped;
  EXPECT_TRUE(WaitFor(
      [&] {
        stopped = console->Run("\\status");
        return stopped.find("applier:     stopped on error at record #" + std::to_string(failing)) !=
               std::string::npos;
      },
      seconds(20), milliseconds(300)))
      << stopped;
  EXPECT_NE(stopped.find("ERROR 1062 (23000)"), std::string::npos) << stopped;

  // The operator fixes the cause and retries from the attached console.
  cluster_->slave_db(1).Execute("DELETE FROM f.t WHERE id = 7");
  const std::string retry = console->Run("\\retry");
  EXPECT_NE(retry.find("OK: retry requested"), std::string::npos) << retry;
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  cluster_->ExpectTableEqualEverywhere("f", "t");
  // Nothing to skip now: the daemon's applier says so.
  const std::string skip = console->Run("\\skip");
  EXPECT_NE(skip.find("ERROR: the applier is not stopped on an error"), std::string::npos) << skip;
  EXPECT_EQ(console->Close(), 1) << "the failed \\skip counts as a failure";
}

TEST_F(AttachedConsoleTest, AConsoleThatLeavesMidTransactionRollsItBackOnTheMaster) {
  auto console = AttachOnline("attached");
  const std::string open = console->Run("BEGIN;\nINSERT INTO f.t (v) VALUES ('never committed');");
  EXPECT_NE(open.find("Query OK, 1 row affected (master"), std::string::npos) << open;
  // The master connection that holds the transaction (and the new row's lock).
  const std::string holder = MasterValue("SELECT trx_mysql_thread_id FROM information_schema.innodb_trx");
  ASSERT_FALSE(holder.empty());
  // End of input: the console leaves with its transaction open.
  EXPECT_EQ(console->Close(), 0) << console->Output();
  // The master ends that session at once, as MySQL does for a client that
  // disconnects: its connection closes, and nothing of it was committed,
  // logged or left locked.
  EXPECT_TRUE(WaitFor(
      [&] {
        return MasterValue("SELECT COUNT(*) FROM information_schema.processlist WHERE id = " + holder) == "0";
      },
      seconds(10)))
      << cluster_->MasterLog();
  EXPECT_NE(cluster_->MasterLog().find("slave 'slave2' ended forwarding session 2"), std::string::npos)
      << cluster_->MasterLog();
  auto connection = cluster_->master_db().Connect();
  std::unique_ptr<sql::Statement> statement(connection->createStatement());
  statement->execute("SET SESSION innodb_lock_wait_timeout = 1");
  std::unique_ptr<sql::ResultSet> locked(statement->executeQuery("SELECT COUNT(*) FROM f.t FOR UPDATE"));
  ASSERT_TRUE(locked->next());
  EXPECT_EQ(locked->getInt(1), 1);
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM ddb_meta.replication_log WHERE body LIKE '%never committed%'"),
            "0");
}

TEST_F(AttachedConsoleTest, ConsolesComeAndGoWithoutUsingUpTheMastersSessions) {
  // The master allows 8 forwarding sessions per slave: twice that many
  // consoles in turn each write, because each one's session ends with it.
  for (int round = 1; round <= 16; ++round) {
    auto console = cluster_->AttachConsole(1, "attached-" + std::to_string(round));
    const std::string out =
        console->Run("INSERT INTO f.t (v) VALUES ('round " + std::to_string(round) + "');");
    ASSERT_NE(out.find("Query OK, 1 row affected (master"), std::string::npos) << "round " << round << ":\n"
                                                                               << out;
    ASSERT_EQ(console->Close(), 0);
  }
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t WHERE v LIKE 'round %'"), "16");

  // At most four at once; the fifth is told why and exits non-zero.
  std::vector<std::unique_ptr<ConsoleProcess>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(cluster_->AttachConsole(1, "open-" + std::to_string(i)));
    EXPECT_NE(open.back()->Run("SELECT COUNT(*) AS n FROM f.t;").find("| 17 |"), std::string::npos);
  }
  auto fifth = cluster_->AttachConsole(1, "fifth");
  EXPECT_EQ(fifth->Close(), 1);
  EXPECT_NE(fifth->Output().find("slave 'slave2' has 4 consoles attached already"), std::string::npos)
      << fifth->Output();
  // One leaves: there is room again.
  EXPECT_EQ(open.back()->Close(), 0);
  open.pop_back();
  auto again = cluster_->AttachConsole(1, "again");
  EXPECT_NE(again->Run("SELECT COUNT(*) AS n FROM f.t;").find("| 17 |"), std::string::npos)
      << again->Output();
}

TEST_F(AttachedConsoleTest, AfterTheDaemonRestartsTheNextStatementAttachesAgain) {
  auto console = AttachOnline("attached");
  const std::string before_stop = console->Run("USE f;\nSET @kept = 'session variable';");
  EXPECT_NE(before_stop.find("Database changed"), std::string::npos) << before_stop;

  // Down: each statement says so and fails, and the console stays.
  cluster_->StopSlave(1);
  size_t from = console->Output().size();
  console->Type("SELECT COUNT(*) AS n FROM t;");
  EXPECT_TRUE(WaitFor(
      [&] {
        return console->Output().find(
                   "no ddb-slave daemon answers at " + cluster_->console_socket(1).string(), from) !=
               std::string::npos;
      },
      seconds(10)))
      << console->Output().substr(from);
  EXPECT_TRUE(console->process().Running()) << "the console ended with its daemon";

  // Back: the next statement attaches again, says it is a new session, and
  // runs in the database the console had selected.
  cluster_->StartSlave(1);
  from = console->Output().size();
  EXPECT_TRUE(StatusUntilOnline(*console, from)) << console->Output().substr(from);
  EXPECT_NE(console->Output().find("attached again to the ddb-slave daemon at", from), std::string::npos)
      << console->Output().substr(from);
  const std::string after =
      console->Run("SELECT v FROM t ORDER BY id;\nSELECT COALESCE(@kept, 'reset') AS kept;");
  EXPECT_NE(after.find("| from master |"), std::string::npos) << after;
  EXPECT_NE(after.find("| reset |"), std::string::npos) << "a new session has no variables of the old:\n"
                                                        << after;
  const std::string write = console->Run("INSERT INTO t (v) VALUES ('after the restart');");
  EXPECT_NE(write.find("Query OK, 1 row affected (master"), std::string::npos) << write;
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t WHERE v = 'after the restart'"), "1");
}

TEST_F(AttachedConsoleTest, WithoutADaemonTheConsoleReadsAndSaysWhy) {
  cluster_->StopSlave(1);
  EXPECT_FALSE(std::filesystem::exists(cluster_->console_socket(1))) << "a stopped daemon removes its socket";
  const std::string out =
      cluster_->RunSlaveConsole(1, "SELECT v FROM f.t;\nINSERT INTO f.t (v) VALUES ('lost?');\n\\status\n");
  EXPECT_NE(out.find("no ddb-slave daemon answers at " + cluster_->console_socket(1).string()),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| from master |"), std::string::npos) << out;
  EXPECT_NE(out.find("INSERT is refused on slave 'slave2'"), std::string::npos) << out;
  EXPECT_NE(out.find("found no daemon at"), std::string::npos) << out;
  EXPECT_NE(out.find("applied:     #3"), std::string::npos) << out;
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t"), "1");
}

TEST_F(AttachedConsoleTest, AConsoleOpenedBeforeItsDaemonAttachesOnceItRuns) {
  cluster_->StopSlave(1);
  auto console = cluster_->AttachConsole(1, "early");
  const std::string local = console->Run("USE f;\nSELECT v FROM t;");
  EXPECT_NE(local.find("| from master |"), std::string::npos) << console->Output();

  // The daemon starts: the next statement attaches, in database f.
  cluster_->StartSlave(1);
  const size_t from = console->Output().size();
  EXPECT_TRUE(StatusUntilOnline(*console, from)) << console->Output().substr(from);
  EXPECT_NE(console->Output().find(
                "attached to the ddb-slave daemon at " + cluster_->console_socket(1).string(), from),
            std::string::npos)
      << console->Output().substr(from);
  const std::string write = console->Run("INSERT INTO t (v) VALUES ('attached late');");
  EXPECT_NE(write.find("Query OK, 1 row affected (master"), std::string::npos) << write;
  EXPECT_EQ(MasterValue("SELECT COUNT(*) FROM f.t WHERE v = 'attached late'"), "1");
  EXPECT_EQ(console->Close(), 0) << console->Output();
}

TEST_F(AttachedConsoleTest, TheSocketBelongsToOneDaemonAndAKilledOnesIsReplaced) {
  // A killed daemon leaves its socket file; the next one replaces it.
  cluster_->KillSlave(1);
  ASSERT_TRUE(std::filesystem::exists(cluster_->console_socket(1)));
  EXPECT_EQ(std::filesystem::status(cluster_->console_socket(1)).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  cluster_->StartSlave(1);
  // Attach once the new daemon listens (its log says so, a second time).
  auto listening = [&] {
    const std::string log = cluster_->SlaveLog(1);
    const size_t first = log.find("consoles attach at");
    return first != std::string::npos && log.find("consoles attach at", first + 1) != std::string::npos;
  };
  ASSERT_TRUE(WaitFor(listening, seconds(20))) << cluster_->SlaveLog(1);
  auto console = AttachOnline("after-kill");
  EXPECT_NE(console->Run("INSERT INTO f.t (v) VALUES ('after kill');").find("1 row affected (master"),
            std::string::npos)
      << console->Output();

  // Another daemon pointed at a socket in use stops at once, naming it.
  cluster_->StopSlave(0);
  ChildProcess second({DDB_SLAVE_BINARY, "--config", cluster_->slave_config(0).string(), "--console", "off",
                       "--console_socket", cluster_->console_socket(1).string()},
                      cluster_->dir() / "second-daemon.log");
  int code = 0;
  ASSERT_TRUE(second.WaitForExit(seconds(30), &code));
  EXPECT_EQ(code, 1);
  EXPECT_NE(second.ReadLog().find("console_socket '" + cluster_->console_socket(1).string() + "'"),
            std::string::npos)
      << second.ReadLog();
  EXPECT_NE(second.ReadLog().find("is in use"), std::string::npos) << second.ReadLog();
  // The running daemon's consoles are unaffected.
  EXPECT_NE(console->Run("SELECT COUNT(*) AS n FROM f.t;").find("| 2 |"), std::string::npos)
      << console->Output();
}

}  // namespace
}  // namespace ddb::testing
