// Replay gives the master's result: auto-increment values, the clock, RAND(),
// user variables and LAST_INSERT_ID() travel with each statement, and
// statements that cannot replay the same way are refused.
#include <gtest/gtest.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class DeterminismTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster();
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
    cluster_->SqlAndWait(
        "CREATE DATABASE d;\n"
        "USE d;\n"
        "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64), r DOUBLE, "
        "at DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6), parent INT);");
  }

  void ExpectEqualEverywhere() {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)))
        << cluster_->SlaveLog(0) << cluster_->SlaveLog(1);
    cluster_->ExpectTableEqualEverywhere("d", "t");
  }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(DeterminismTest, AutoIncrementValuesSurviveRolledBackInsertsOnTheMaster) {
  cluster_->SqlAndWait(
      "BEGIN;\n"
      "INSERT INTO t (v) VALUES ('rolled back 1'), ('rolled back 2');\n"
      "ROLLBACK;\n"
      "INSERT INTO t (v) VALUES ('kept'), ('kept too');\n"
      "INSERT INTO t (v) VALUES ('last');");
  ASSERT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM d.t"), "3,4,5");
  ExpectEqualEverywhere();
}

TEST_F(DeterminismTest, RandUserVariablesAndLastInsertIdReplayToTheMastersValues) {
  cluster_->SqlAndWait(
      "SET @name = 'from a user variable', @n = 42;\n"
      "INSERT INTO t (v, r) VALUES (@name, @n);\n"
      "INSERT INTO t (v, r) VALUES ('random', RAND());\n"
      "INSERT INTO t (v, r) VALUES ('random twice', RAND() + RAND());\n"
      "INSERT INTO t (v, parent) VALUES ('child', LAST_INSERT_ID());");
  ASSERT_EQ(cluster_->master_db().QueryValue("SELECT parent FROM d.t WHERE v = 'child'"), "3");
  ExpectEqualEverywhere();
}

TEST_F(DeterminismTest, UserVariablesKeepTheirTypeOnReplay) {
  // Integer, DECIMAL (with its scale), DOUBLE and string variables: the
  // arithmetic on each gives the master's type and digits on the slaves
  // (as strings, @i / 8 would give the DOUBLE 5.25 there).
  cluster_->SqlAndWait(
      "SET @i = 42, @d = 5.2500, @f = 1.5e0, @s = '7';\n"
      "INSERT INTO t (v) VALUES (CONCAT(@i / 8)), (CONCAT(@d / 3)), (CONCAT(@f / 3)), (CONCAT(@s / 3)), "
      "(CONCAT(@i DIV 5));");
  const std::string values = "SELECT GROUP_CONCAT(v ORDER BY id SEPARATOR ' | ') FROM d.t";
  const std::string on_master = cluster_->master_db().QueryValue(values);
  ASSERT_EQ(on_master.substr(0, on_master.find(" | ")), "5.2500");
  ExpectEqualEverywhere();
  for (int i = 0; i < cluster_->slave_count(); ++i)
    EXPECT_EQ(cluster_->slave_db(i).QueryValue(values), on_master);
}

TEST_F(DeterminismTest, ADropThatFailsPartWayReplaysWhatItDropped) {
  cluster_->SqlAndWait("CREATE TABLE gone (id INT);\nCREATE TABLE kept (id INT);");
  // MariaDB drops `gone`, then reports the missing table: the user sees the
  // error, and the slaves drop `gone` too.
  const std::string out = cluster_->SqlOutput("DROP TABLE gone, no_such_table;");
  EXPECT_NE(out.find("ERROR 1051 (42S02): Unknown table 'd.no_such_table'"), std::string::npos) << out;
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  const std::string tables =
      "SELECT GROUP_CONCAT(table_name ORDER BY table_name) FROM information_schema.tables WHERE table_schema "
      "= 'd'";
  EXPECT_EQ(cluster_->master_db().QueryValue(tables), "kept,t");
  for (int i = 0; i < cluster_->slave_count(); ++i)
    EXPECT_EQ(cluster_->slave_db(i).QueryValue(tables), "kept,t");
  // A failed single-object DROP changed nothing and is not logged.
  const uint64_t seq = cluster_->MasterLastSeq();
  EXPECT_NE(cluster_->SqlOutput("DROP TABLE no_such_table;").find("ERROR 1051"), std::string::npos);
  EXPECT_EQ(cluster_->MasterLastSeq(), seq);
}

TEST_F(DeterminismTest, GeneratedIdsTravelEvenWhenTheyEqualTheSessionsLastInsertId) {
  // b's counter is ahead on the master (a rolled-back insert used 1..3), and
  // the id b generates next (4) is the LAST_INSERT_ID() a left behind: the
  // statement must still ship insert_id, with or without reading
  // LAST_INSERT_ID() itself.
  cluster_->SqlAndWait(
      "CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT = 4;\n"
      "CREATE TABLE b (id INT AUTO_INCREMENT PRIMARY KEY, parent INT);\n"
      "BEGIN;\nINSERT INTO b (parent) VALUES (0), (0), (0);\nROLLBACK;\n"
      "INSERT INTO a VALUES (NULL);\n"
      "INSERT INTO b (parent) VALUES (LAST_INSERT_ID());\n"
      "INSERT INTO a VALUES (NULL);\n"
      "INSERT INTO b (parent) VALUES (-1);");
  ASSERT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(id, ':', parent ORDER BY id) FROM d.b"),
            "4:4,5:-1");
  ExpectEqualEverywhere();
  cluster_->ExpectTableEqualEverywhere("d", "b");
}

TEST_F(DeterminismTest, SessionStateThatChangesMeaningTravelsWithEachStatement) {
  cluster_->SqlAndWait(
      "CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB;\n"
      "CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT, note VARCHAR(8),\n"
      "  FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;\n"
      // time_zone: NOW() into a DATETIME is local time.
      "SET time_zone = '+05:30';\n"
      "INSERT INTO t (v, at) VALUES ('time zone', NOW());\n"
      "SET time_zone = '-08:00';\n"
      "INSERT INTO t (v, at) VALUES ('other zone', NOW());\n"
      // sql_mode: without strict mode the value is cut, not refused.
      "SET sql_mode = '';\n"
      "INSERT INTO child (note) VALUES ('longer than eight');\n"
      "SET sql_mode = DEFAULT;\n"
      // auto_increment_increment/offset: the ids a multi-row insert takes.
      "SET auto_increment_increment = 5, auto_increment_offset = 3;\n"
      "INSERT INTO child (note) VALUES ('a'), ('b'), ('c');\n"
      "SET auto_increment_increment = 1, auto_increment_offset = 1;\n"
      // foreign_key_checks: an orphan the master accepted.
      "SET foreign_key_checks = 0;\n"
      "INSERT INTO child (parent_id, note) VALUES (999, 'orphan');\n"
      "SET foreign_key_checks = 1;\n"
      // character_set_client: the same bytes mean other characters.
      "SET NAMES latin1;\n"
      "INSERT INTO t (v) VALUES ('caf\xc3\xa9');\n"
      "SET NAMES utf8mb4;\n"
      // unique_checks is shipped too (it only changes how InnoDB checks).
      "SET unique_checks = 0;\n"
      "INSERT INTO parent VALUES (1), (2);\n"
      "SET unique_checks = 1;");
  ASSERT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM d.child"), "5");
  ASSERT_EQ(cluster_->master_db().QueryValue("SELECT note FROM d.child WHERE parent_id = 999"), "orphan");
  ASSERT_EQ(cluster_->master_db().QueryValue(
                "SELECT TIMESTAMPDIFF(MINUTE, (SELECT at FROM d.t WHERE v = 'other zone'), "
                "(SELECT at FROM d.t WHERE v = 'time zone')) BETWEEN 809 AND 811"),
            "1");
  ExpectEqualEverywhere();
  cluster_->ExpectTableEqualEverywhere("d", "child");
  cluster_->ExpectTableEqualEverywhere("d", "parent");
}

TEST_F(DeterminismTest, AnOfflineSlaveReplaysTheMastersClockLater) {
  cluster_->StopSlave(1);
  cluster_->SqlAndWait("INSERT INTO t (v) VALUES ('stamped');\nUPDATE t SET v = CONCAT(v, ' at ', NOW(6));");
  // The slave replays after the clock has moved on.
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster_->master_db().QueryValue(
                   "SELECT TIMESTAMPDIFF(MICROSECOND, MAX(at), NOW(6)) > 200000 "
                   "FROM d.t") == "1";
      },
      seconds(10)));
  cluster_->StartSlave(1);
  ExpectEqualEverywhere();
}

TEST_F(DeterminismTest, StatementsThatCannotReplayTheSameAreRefusedWithTheReason) {
  cluster_->SqlAndWait(
      "INSERT INTO t (v) VALUES ('a'), ('b'), ('c');\n"
      "INSERT INTO t (v) VALUES (UUID());\n"
      "UPDATE t SET v = 'x' LIMIT 1;\n"
      "UPDATE t SET v = 'y' ORDER BY id LIMIT 1;");
  const std::string out = cluster_->MasterConsoleOutput();
  EXPECT_NE(out.find("unsafe for replication: UUID() gives a different value"), std::string::npos) << out;
  EXPECT_NE(out.find("UPDATE with LIMIT but no ORDER BY"), std::string::npos) << out;
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM d.t"), "3");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(v ORDER BY id) FROM d.t"), "y,b,c");
  ExpectEqualEverywhere();
}

}  // namespace
}  // namespace ddb::testing
