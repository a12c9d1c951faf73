// Temporary tables through the endpoint: a session creates, fills, reads,
// alters and drops them on the master alone (no slave has them, none
// fails for them); one that hides a real table of its name takes that
// name's writes and reads until it is dropped; a write that would carry one
// into replicated data, or a CALL of a procedure that reads one, is refused
// naming it; every node stays equal.
#include <gtest/gtest.h>

#include "endpoint_clients.h"
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class TemporaryTablesTest : public MySqlEndpointTest {
 protected:
  void SetUp() override {
    MySqlEndpointTest::SetUp();
    ASSERT_TRUE(
        ExecuteThroughEndpoint(
            *cluster_, {"CREATE DATABASE tt",
                        "CREATE TABLE tt.orders (id INT AUTO_INCREMENT PRIMARY KEY, "
                        "total INT)",
                        "INSERT INTO tt.orders (total) VALUES (5), (20), (30)",
                        "CREATE TABLE tt.report (id INT PRIMARY KEY, n INT)",
                        "CREATE TABLE tt.scratch (id INT PRIMARY KEY)", "INSERT INTO tt.scratch VALUES (1)",
                        "CREATE PROCEDURE tt.touch() UPDATE tt.report SET n = n + 1",
                        "CREATE PROCEDURE tt.from_picked() INSERT INTO tt.report SELECT id, 1 FROM picked",
                        "CREATE PROCEDURE tt.outer_call() CALL from_picked()"})
            .ok());
  }

  // Runs `sql` through the endpoint in one session; its output.
  std::string Session(const std::string& sql) {
    const ProgramRun run = Endpoint("USE tt;\n" + sql);
    EXPECT_EQ(run.exit_code, 0) << sql << "\n" << run.output;
    return run.output;
  }
  // Runs `sql` through the endpoint in one session whose last statement is
  // refused; the error line.
  std::string Refused(const std::string& sql) {
    const ProgramRun run = Endpoint("USE tt;\n" + sql);
    EXPECT_NE(run.exit_code, 0) << sql << "\n" << run.output;
    return ErrorLine(run.output);
  }
};

TEST_F(TemporaryTablesTest, ASessionsTemporaryTablesLiveOnTheMasterAlone) {
  const std::string output = Session(
      "CREATE TEMPORARY TABLE big AS SELECT id, total FROM orders WHERE total > 10;\n"
      // UUID_SHORT() would be refused in a write that replicates.
      "INSERT INTO big VALUES (100, UUID_SHORT() MOD 7);\n"
      "SELECT CONCAT('in_big=', COUNT(*)) FROM big;\n"
      // It hides the real `scratch` for this session until dropped.
      "CREATE TEMPORARY TABLE scratch (id INT, KEY (id));\n"
      "INSERT INTO scratch VALUES (7), (8);\n"
      "ALTER TABLE scratch ADD COLUMN note VARCHAR(10);\n"
      "SELECT CONCAT('scratch=', COUNT(*)) FROM scratch;\n"
      // A transaction mixing both: only the real table's write replicates.
      "BEGIN;\n"
      "INSERT INTO orders (total) VALUES (55);\n"
      "UPDATE big SET total = 0;\n"
      "INSERT INTO report VALUES (1, 10);\n"
      "COMMIT;\n"
      "SELECT CONCAT('zeroed=', COUNT(*)) FROM big WHERE total = 0;\n"
      // A rolled-back transaction takes its temporary writes with it.
      "BEGIN;\n"
      "DELETE FROM big;\n"
      "ROLLBACK;\n"
      "SELECT CONCAT('kept=', COUNT(*)) FROM big;\n"
      // TRUNCATE of a temporary table commits the open transaction, as
      // MariaDB's does: the insert before it replicates.
      "BEGIN;\n"
      "INSERT INTO orders (total) VALUES (66);\n"
      "TRUNCATE TABLE big;\n"
      "ROLLBACK;\n"
      "DROP TABLE scratch;\n"
      "SELECT CONCAT('real_scratch=', COUNT(*)) FROM scratch;\n"
      "INSERT INTO scratch VALUES (9);\n"
      "DROP TEMPORARY TABLE big;\n"
      "SELECT CONCAT('orders=', COUNT(*)) FROM orders;\n");
  EXPECT_NE(output.find("in_big=3"), std::string::npos) << output;
  EXPECT_NE(output.find("scratch=2"), std::string::npos) << output;
  EXPECT_NE(output.find("zeroed=3"), std::string::npos) << output;
  EXPECT_NE(output.find("kept=3"), std::string::npos) << output;
  EXPECT_NE(output.find("real_scratch=1"), std::string::npos) << output;
  EXPECT_NE(output.find("orders=5"), std::string::npos) << output;
  ExpectSlavesEqual("tt", {"orders", "report", "scratch"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM tt.scratch"), "2");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT COUNT(*) FROM tt.orders WHERE total = 66"), "1");
  for (int i = 0; i < cluster_->slave_count(); ++i) {
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                               "TABLE_SCHEMA = 'tt' AND TABLE_NAME = 'big'"),
              "0");
  }
}

TEST_F(TemporaryTablesTest, LoadDataLocalFillsOneAndLogsNothing) {
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)));
  const uint64_t seq_before = cluster_->MasterLastSeq();
  const std::string csv = WriteFile("rows.csv", "1,one\n2,two\n3,\"th,ree\"\n");
  const ProgramRun load = Mariadb(cluster_->client_port(), kClientUser, kClientPassword,
                                  "USE tt;\n"
                                  "CREATE TEMPORARY TABLE staged (id INT, name VARCHAR(10));\n"
                                  "LOAD DATA LOCAL INFILE '" +
                                      csv +
                                      "' INTO TABLE staged FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY "
                                      "'\"';\n"
                                      "SELECT CONCAT('staged=', COUNT(*), ':', MIN(name)) FROM staged;\n",
                                  "--local-infile=1");
  EXPECT_EQ(load.exit_code, 0) << load.output;
  EXPECT_NE(load.output.find("staged=3:one"), std::string::npos) << load.output;
  EXPECT_EQ(cluster_->MasterLastSeq(), seq_before) << "a statement on a temporary table was logged";
}

TEST_F(TemporaryTablesTest, AFailedCreateOrDropLeavesNoStaleNameBehind) {
  // A failed CREATE OR REPLACE has dropped the temporary table, and a DROP
  // that failed on one name has dropped the others: the real tables of
  // those names take the session's next writes, which must replicate.
  const ProgramRun run = Mariadb(cluster_->client_port(), kClientUser, kClientPassword,
                                 "USE tt;\n"
                                 "CREATE TEMPORARY TABLE scratch (id INT);\n"
                                 "CREATE OR REPLACE TEMPORARY TABLE scratch (id INT PRIMARY KEY) "
                                 "SELECT 1 AS id UNION ALL SELECT 1;\n"
                                 "INSERT INTO scratch VALUES (2);\n"
                                 "CREATE TEMPORARY TABLE report (id INT);\n"
                                 "DROP TEMPORARY TABLE report, missing;\n"
                                 "INSERT INTO report VALUES (3, 3);\n",
                                 "--force");
  EXPECT_NE(run.output.find("Duplicate entry"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("Unknown table"), std::string::npos) << run.output;
  ExpectSlavesEqual("tt", {"scratch", "report"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM tt.scratch"), "2");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT COUNT(*) FROM tt.report"), "1");
}

TEST_F(TemporaryTablesTest, RowsAQueryReadsFromOneIntoATableThatReplicatesAreLoggedAsValues) {
  // The ETL shape: stage rows in a temporary table, fix them up there, copy
  // them into a real table. The master runs the copy's SELECT and logs the
  // INSERT with its rows as values, so the slaves need no such table, and
  // what the stage computed on the master (UUID_SHORT() here) is what they
  // store.
  const std::string output = Session(
      "CREATE TEMPORARY TABLE stage AS SELECT id, total FROM orders;\n"
      "UPDATE stage SET total = total * 100 + UUID_SHORT() MOD 7;\n"
      "BEGIN;\n"
      "INSERT INTO report (id, n) SELECT id, total FROM stage ORDER BY id;\n"
      "COMMIT;\n"
      "BEGIN;\n"
      "INSERT INTO report (id, n) SELECT id + 100, total FROM stage ORDER BY id;\n"
      "ROLLBACK;\n"
      "INSERT INTO report SELECT id + 200, 0 FROM stage WHERE id < 0;\n"
      "INSERT INTO orders (total) SELECT MAX(total) FROM stage RETURNING id, total;\n"
      "SELECT CONCAT('report=', COUNT(*)) FROM report;\n");
  EXPECT_NE(output.find("report=3"), std::string::npos) << output;
  ExpectSlavesEqual("tt", {"orders", "report"});
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT GROUP_CONCAT(n DIV 100 ORDER BY id) FROM tt.report"),
            cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(total ORDER BY id) FROM tt.orders "
                                             "WHERE id <= 3"));
}

TEST_F(TemporaryTablesTest, WhatCouldNotReplayIsRefusedNamingTheTableAndRunsNothing) {
  EXPECT_NE(Refused("CREATE TEMPORARY TABLE picked (id INT);\n"
                    "INSERT INTO picked VALUES (1);\n"
                    "UPDATE report JOIN picked USING (id) SET n = 0;\n")
                .find("`picked`, a temporary table"),
            std::string::npos);
  EXPECT_NE(Refused("CREATE TEMPORARY TABLE picked (id INT);\n"
                    "INSERT INTO report SELECT id, 1 FROM picked ON DUPLICATE KEY UPDATE n = 2;\n")
                .find("`picked`, a temporary table"),
            std::string::npos);
  EXPECT_NE(Refused("CREATE TEMPORARY TABLE picked (id INT);\n"
                    "CREATE TABLE copied AS SELECT * FROM picked;\n")
                .find("`picked`"),
            std::string::npos);
  // A procedure that reads it, two calls down, could not replay.
  EXPECT_NE(Refused("CREATE TEMPORARY TABLE picked (id INT);\n"
                    "INSERT INTO picked VALUES (1);\n"
                    "CALL outer_call();\n")
                .find("`tt`.`from_picked` reads `picked`"),
            std::string::npos);
  // One that does not read it runs, and replicates.
  Session("CREATE TEMPORARY TABLE picked (id INT);\nINSERT INTO report VALUES (5, 1);\nCALL touch();\n");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT n FROM tt.report WHERE id = 5"), "2");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                             "TABLE_SCHEMA = 'tt' AND TABLE_NAME = 'copied'"),
            "0");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM tt.report"), "1");
  ExpectSlavesEqual("tt", {"orders", "report", "scratch"});
}

}  // namespace
}  // namespace ddb::testing
