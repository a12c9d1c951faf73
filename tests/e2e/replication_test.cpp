// The core path end to end: statements typed at the master console reach
// every slave; slave consoles answer reads and refuse changes.
#include <gtest/gtest.h>

#include "cluster.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class ReplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster();
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
  }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(ReplicationTest, DdlAndDmlAtTheMasterConsoleReachBothSlaves) {
  cluster_->SqlAndWait(
      "CREATE DATABASE shop;\n"
      "USE shop;\n"
      "CREATE TABLE items (\n"
      "  id INT AUTO_INCREMENT PRIMARY KEY,\n"
      "  name VARCHAR(40) NOT NULL,\n"
      "  price DECIMAL(8,2),\n"
      "  added DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6)\n"
      ");\n"
      "INSERT INTO items (name, price) VALUES ('apple', 1.50), ('pear', NULL), ('caf\xC3\xA9 ; au lait', "
      "3);\n"
      "UPDATE items SET price = price * 2 WHERE name = 'apple';\n"
      "DELETE FROM items WHERE name = 'pear';\n"
      "BEGIN;\n"
      "INSERT INTO items (name) VALUES ('in a transaction');\n"
      "COMMIT;\n"
      "BEGIN;\n"
      "INSERT INTO items (name) VALUES ('rolled back');\n"
      "ROLLBACK;");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)))
      << "master at #" << cluster_->MasterLastSeq() << ", slaves at #" << cluster_->SlaveSeq(0) << " and #"
      << cluster_->SlaveSeq(1) << "\n"
      << cluster_->SlaveLog(0);
  cluster_->ExpectTableEqualEverywhere("shop", "items");
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT COUNT(*) FROM shop.items"), "3");
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT COUNT(*) FROM shop.items WHERE name = 'rolled back'"),
              "0");
    // The master's clock travels with the statement: DEFAULT CURRENT_TIMESTAMP
    // gives the same microseconds on the slaves.
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT GROUP_CONCAT(added ORDER BY id) FROM shop.items"),
              cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(added ORDER BY id) FROM shop.items"));
  }
  // Two DDL, three autocommit writes and one transaction: six records; USE
  // and the rolled-back transaction left nothing in the log.
  EXPECT_EQ(cluster_->MasterLastSeq(), 6u);
}

TEST_F(ReplicationTest, FailedStatementsAreNeitherLoggedNorShipped) {
  cluster_->SqlAndWait(
      "CREATE DATABASE d;\n"
      "CREATE TABLE d.t (id INT PRIMARY KEY);\n"
      "INSERT INTO d.t VALUES (1);\n"
      "INSERT INTO d.t VALUES (1);\n"     // duplicate key
      "CREATE TABLE d.t (id INT);\n"      // exists
      "DROP TABLE d.missing;\n"           // unknown table
      "INSERT INTO d.nope VALUES (1);");  // no such table
  const std::string output = cluster_->MasterConsoleOutput();
  EXPECT_NE(output.find("ERROR 1062 (23000): Duplicate entry '1' for key 'PRIMARY'"), std::string::npos)
      << output;
  EXPECT_NE(output.find("ERROR 1050 (42S01)"), std::string::npos) << output;
  EXPECT_NE(output.find("ERROR 1051 (42S02)"), std::string::npos) << output;
  EXPECT_NE(output.find("ERROR 1146 (42S02)"), std::string::npos) << output;
  EXPECT_EQ(cluster_->MasterLastSeq(), 3u);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  cluster_->ExpectTableEqualEverywhere("d", "t");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.replication_log"), "3");
}

TEST_F(ReplicationTest, SlaveConsoleAnswersReadsAndRefusesChanges) {
  cluster_->SqlAndWait(
      "CREATE DATABASE shop;\n"
      "CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(10));\n"
      "INSERT INTO shop.t VALUES (1, 'one'), (2, 'two');");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  ASSERT_EQ(cluster_->MasterLastSeq(), 3u);

  const std::string output =
      cluster_->RunSlaveConsole(0,
                                "SELECT id, v FROM shop.t ORDER BY id;\n"
                                "DROP TABLE shop.t;\n"
                                "/* a comment first */ drop /*!40101 TABLE */ shop.t;\n"
                                "TRUNCATE shop.t;\n"
                                "USE shop;\n"
                                "SELECT v FROM t WHERE id = 2;\n");
  EXPECT_NE(output.find("| id | v   |"), std::string::npos) << output;
  EXPECT_NE(output.find("|  1 | one |"), std::string::npos) << output;
  EXPECT_NE(output.find("2 rows in set"), std::string::npos) << output;
  EXPECT_NE(output.find("DROP is refused on slave 'slave1'"), std::string::npos) << output;
  EXPECT_NE(output.find("TRUNCATE is refused on slave 'slave1'"), std::string::npos) << output;
  EXPECT_NE(output.find("| two |"), std::string::npos) << output;
  // Nothing changed on the slave.
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM shop.t"), "2");
  cluster_->ExpectTableEqualEverywhere("shop", "t");
}

TEST_F(ReplicationTest, MasterStatusShowsEachConfiguredSlave) {
  cluster_->SqlAndWait("CREATE DATABASE s;");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  // Acks are asynchronous: poll \status until both show the position.
  const bool online = WaitFor(
      [&] {
        cluster_->Sql("\\status");
        const std::string output = cluster_->MasterConsoleOutput();
        const size_t last = output.rfind("master:      master");
        if (last == std::string::npos) return false;
        const std::string status = output.substr(last);
        return status.find("| slave1 | online |         1 |      0 |") != std::string::npos &&
               status.find("| slave2 | online |         1 |      0 |") != std::string::npos;
      },
      seconds(20), std::chrono::milliseconds(300));
  EXPECT_TRUE(online) << cluster_->MasterConsoleOutput();
  cluster_->StopSlave(1);
  const bool offline = WaitFor(
      [&] {
        cluster_->Sql("\\slaves");
        const std::string output = cluster_->MasterConsoleOutput();
        return output.substr(output.rfind("| slave ")).find("| slave2 | offline") != std::string::npos;
      },
      seconds(20), std::chrono::milliseconds(300));
  EXPECT_TRUE(offline) << cluster_->MasterConsoleOutput();
}

}  // namespace
}  // namespace ddb::testing
