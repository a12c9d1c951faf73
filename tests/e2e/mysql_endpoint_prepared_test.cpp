// Server-side prepared statements through the master's MySQL endpoint, with
// mysql-connector-c++'s PreparedStatement (binary protocol, COM_STMT_*):
// every MySQL type goes in and comes back exactly, each execute is logged
// with its bound values so every slave ends with the same rows, and a
// statement ddb refuses as text is refused prepared too.
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <mysql_driver.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cluster.h"
#include "http_client.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class PreparedStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions options;
    options.mysql_endpoint = true;
    cluster_ = std::make_unique<Cluster>(options);
    cluster_->StartMaster();
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
    connection_ = ConnectToEndpoint();
    Run("CREATE DATABASE ps CHARACTER SET utf8mb4");
    connection_->setSchema("ps");
  }

  std::unique_ptr<sql::Connection> ConnectToEndpoint() {
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString("tcp://127.0.0.1:" + std::to_string(cluster_->client_port()));
    options["userName"] = sql::SQLString(kClientUser);
    options["password"] = sql::SQLString(kClientPassword);
    options["OPT_CONNECT_TIMEOUT"] = 5;
    options["OPT_READ_TIMEOUT"] = 30;
    return std::unique_ptr<sql::Connection>(sql::mysql::get_mysql_driver_instance()->connect(options));
  }

  void Run(const std::string& sql) {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    statement->execute(sql);
  }

  std::unique_ptr<sql::PreparedStatement> Prepare(const std::string& sql) {
    return std::unique_ptr<sql::PreparedStatement>(connection_->prepareStatement(sql));
  }

  void ExpectSlavesEqual(const std::string& table) {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)))
        << "master at #" << cluster_->MasterLastSeq() << ", slaves at #" << cluster_->SlaveSeq(0) << " and #"
        << cluster_->SlaveSeq(1);
    cluster_->ExpectTableEqualEverywhere("ps", table);
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<sql::Connection> connection_;
};

const std::string kTricky = "it's a \"quote\", a \\ backslash, \\' both and \\0 no zero";
const std::string kBytes("\0\x27\xff\\\x00z'", 7);
const std::string kJson = R"({"a": [1, "x\"y", null], "b": 2.5})";

TEST_F(PreparedStatementTest, EveryTypeGoesInAndComesBackExactly) {
  Run("CREATE TABLE v (id INT PRIMARY KEY, i INT, u BIGINT UNSIGNED, d DOUBLE, m DECIMAL(20,6), "
      "s VARCHAR(100), b VARBINARY(50), dt DATE, ts DATETIME(6), tm TIME, j JSON)");
  auto insert = Prepare("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert->setInt(1, 1);
  insert->setInt(2, -2147483647 - 1);
  insert->setUInt64(3, 18446744073709551615ull);
  insert->setDouble(4, 0.1);
  insert->setString(5, "-12345678901234.123456");
  insert->setString(6, kTricky);
  insert->setString(7, kBytes);
  insert->setDateTime(8, "2024-02-29");
  insert->setDateTime(9, "2024-02-29 23:59:58.123456");
  insert->setString(10, "-100:00:01");
  insert->setString(11, kJson);
  EXPECT_EQ(insert->executeUpdate(), 1);
  // The same statement again: the second row's blob goes as
  // COM_STMT_SEND_LONG_DATA, its other values with the remembered types.
  std::istringstream blob(std::string("\x27\x00\x27", 3));
  insert->setInt(1, 2);
  insert->setInt(2, 2147483647);
  insert->setUInt64(3, 0);
  insert->setDouble(4, -1.7976931348623157e308);
  insert->setString(5, "0.000001");
  insert->setString(6, "ünïcödé ☃");
  insert->setBlob(7, &blob);
  insert->setDateTime(8, "1000-01-01");
  insert->setDateTime(9, "2001-01-01 00:00:00");
  insert->setString(10, "00:00:00");
  insert->setString(11, "[]");
  EXPECT_EQ(insert->executeUpdate(), 1);
  insert->setInt(1, 3);
  for (int column = 2; column <= 11; ++column) insert->setNull(column, sql::DataType::VARCHAR);
  EXPECT_EQ(insert->executeUpdate(), 1);

  auto select = Prepare("SELECT id, i, u, d, m, s, b, dt, ts, tm, j FROM v WHERE id = ?");
  select->setInt(1, 1);
  std::unique_ptr<sql::ResultSet> row(select->executeQuery());
  ASSERT_TRUE(row->next());
  EXPECT_EQ(row->getInt(1), 1);
  EXPECT_EQ(row->getInt(2), -2147483647 - 1);
  EXPECT_EQ(row->getUInt64(3), 18446744073709551615ull);
  EXPECT_EQ(row->getDouble(4), 0.1);
  EXPECT_EQ(std::string(row->getString(5)), "-12345678901234.123456");
  EXPECT_EQ(std::string(row->getString(6)), kTricky);
  EXPECT_EQ(std::string(row->getString(7)), kBytes);
  EXPECT_EQ(std::string(row->getString(8)), "2024-02-29");
  EXPECT_EQ(std::string(row->getString(9)), "2024-02-29 23:59:58.123456");
  EXPECT_EQ(std::string(row->getString(10)), "-100:00:01");
  EXPECT_EQ(std::string(row->getString(11)), kJson);
  EXPECT_FALSE(row->next());

  select->setInt(1, 2);
  row.reset(select->executeQuery());
  ASSERT_TRUE(row->next());
  EXPECT_EQ(row->getInt(2), 2147483647);
  EXPECT_EQ(row->getUInt64(3), 0u);
  EXPECT_EQ(row->getDouble(4), -1.7976931348623157e308);
  EXPECT_EQ(std::string(row->getString(5)), "0.000001");
  EXPECT_EQ(std::string(row->getString(6)), "ünïcödé ☃");
  EXPECT_EQ(std::string(row->getString(7)), std::string("\x27\x00\x27", 3));
  EXPECT_EQ(std::string(row->getString(8)), "1000-01-01");
  EXPECT_EQ(std::string(row->getString(9)), "2001-01-01 00:00:00");
  EXPECT_EQ(std::string(row->getString(10)), "00:00:00");

  select->setInt(1, 3);
  row.reset(select->executeQuery());
  ASSERT_TRUE(row->next());
  for (int column = 2; column <= 11; ++column) {
    row->getString(column);
    EXPECT_TRUE(row->wasNull()) << "column " << column;
  }

  // A string parameter compares as text: the tricky one finds its row.
  auto by_text = Prepare("SELECT id FROM v WHERE s = ? AND b = ?");
  by_text->setString(1, kTricky);
  by_text->setString(2, kBytes);
  row.reset(by_text->executeQuery());
  ASSERT_TRUE(row->next());
  EXPECT_EQ(row->getInt(1), 1);

  ExpectSlavesEqual("v");
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT HEX(b) FROM ps.v WHERE id = 1"), "0027FF5C007A27");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT CONCAT(ts, ' ', tm) FROM ps.v WHERE id = 1"),
            "2024-02-29 23:59:58.123456 -100:00:01");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT m FROM ps.v WHERE id = 1"), "-12345678901234.123456");
}

TEST_F(PreparedStatementTest, ARepeatedUpdateReplicatesEveryValue) {
  Run("CREATE TABLE c (id INT PRIMARY KEY, n BIGINT, note VARCHAR(40))");
  auto insert = Prepare("INSERT INTO c (id, n, note) VALUES (?, 0, 'new')");
  for (int id = 1; id <= 10; ++id) {
    insert->setInt(1, id);
    ASSERT_EQ(insert->executeUpdate(), 1);
  }
  auto update = Prepare("UPDATE c SET n = n + ?, note = ? WHERE id = ?");
  for (int round = 1; round <= 300; ++round) {
    update->setInt64(1, round * 1000003LL);
    update->setString(2, "round '" + std::to_string(round) + "'");
    update->setInt(3, round % 10 + 1);
    ASSERT_EQ(update->executeUpdate(), 1) << "round " << round;
  }
  // Inside a transaction, and rolled back: nothing of it reaches a slave.
  connection_->setAutoCommit(false);
  update->setInt64(1, 7);
  update->setString(2, "rolled back");
  update->setInt(3, 1);
  EXPECT_EQ(update->executeUpdate(), 1);
  connection_->rollback();
  connection_->setAutoCommit(true);
  update->close();

  ExpectSlavesEqual("c");
  // The log holds the last execute as a statement with its values in place.
  const uint64_t last = cluster_->MasterLastSeq();
  const HttpReply log = HttpGet(cluster_->master_http_port(), "/api/log?after=" + std::to_string(last - 1),
                                ClusterOptions().http_token);
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_EQ(nlohmann::json::parse(log.body)["records"][0]["statements"][0]["sql"],
            "UPDATE c SET n = n + 300000900, note = 'round \\'300\\'' WHERE id = 1")
      << log.body;
  int64_t total = 0;
  for (int round = 1; round <= 300; ++round) total += round * 1000003LL;
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT SUM(n) FROM ps.c"), std::to_string(total));
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT note FROM ps.c WHERE id = 1"), "round '300'");
}

// A procedure's body that sends two result sets and writes between them:
// the client gets both sets and the CALL's own OK, as from MySQL, and the
// write replicates. (COM_STMT_EXECUTE answers the same way, in the binary
// protocol: client_session_results.cpp.)
TEST_F(PreparedStatementTest, ACallAnswersEveryResultSetItsBodySends) {
  Run("CREATE TABLE calls (id INT PRIMARY KEY, n INT)");
  Run("INSERT INTO calls VALUES (1, 0)");
  Run("CREATE PROCEDURE two_sets(IN step INT) BEGIN SELECT n AS before_n FROM calls WHERE id = 1; "
      "UPDATE calls SET n = n + step WHERE id = 1; SELECT n AS after_n, 'x' AS tag FROM calls WHERE id = 1; "
      "END");
  auto read_all = [](sql::Statement* statement, bool has_rows) {
    std::vector<std::string> seen;
    for (;;) {
      if (has_rows) {
        std::unique_ptr<sql::ResultSet> rows(statement->getResultSet());
        while (rows->next()) {
          seen.push_back(std::string(rows->getMetaData()->getColumnLabel(1)) + "=" +
                         std::string(rows->getString(1)));
        }
      } else if (statement->getUpdateCount() == static_cast<uint64_t>(-1)) {
        break;
      }
      has_rows = statement->getMoreResults();
      if (!has_rows && statement->getUpdateCount() == static_cast<uint64_t>(-1)) break;
    }
    return seen;
  };
  std::unique_ptr<sql::Statement> text(connection_->createStatement());
  EXPECT_EQ(read_all(text.get(), text->execute("CALL two_sets(5)")),
            (std::vector<std::string>{"before_n=0", "after_n=5"}));
  // The connection is usable afterwards: nothing of the CALL's answer is
  // left unread.
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT n FROM ps.calls"), "5");
  std::unique_ptr<sql::ResultSet> after(text->executeQuery("SELECT n FROM calls WHERE id = 1"));
  ASSERT_TRUE(after->next());
  EXPECT_EQ(after->getInt(1), 5);
  ExpectSlavesEqual("calls");
}

TEST_F(PreparedStatementTest, PlaceholdersAreOnlyWhereMySqlSeesThem) {
  Run("CREATE TABLE q (id INT PRIMARY KEY, s VARCHAR(40))");
  auto insert = Prepare("INSERT INTO q (id, s) VALUES (? /* not ? */, 'what? \\'?\\'') -- nor ?");
  insert->setInt(1, -5);
  ASSERT_EQ(insert->executeUpdate(), 1);
  auto minus = Prepare("SELECT 1-?, ?*2");
  minus->setInt(1, -5);
  minus->setDouble(2, 1.25);
  std::unique_ptr<sql::ResultSet> row(minus->executeQuery());
  ASSERT_TRUE(row->next());
  EXPECT_EQ(row->getInt(1), 6);
  EXPECT_EQ(row->getDouble(2), 2.5);

  // Refused as text, refused prepared: its replay could differ on a slave.
  auto unsafe = Prepare("INSERT INTO q (id, s) VALUES (?, UUID())");
  unsafe->setInt(1, 6);
  try {
    unsafe->executeUpdate();
    ADD_FAILURE() << "INSERT ... UUID() was not refused";
  } catch (const sql::SQLException& e) {
    EXPECT_EQ(e.getErrorCode(), 1105) << e.what();
  }
  // MySQL's own errors at prepare, as from MySQL.
  try {
    Prepare("SELECT * FROM no_such_table WHERE id = ?");
    ADD_FAILURE() << "a missing table was prepared";
  } catch (const sql::SQLException& e) {
    EXPECT_EQ(e.getErrorCode(), 1146) << e.what();
  }
  // Under NO_BACKSLASH_ESCAPES a backslash is an ordinary character and only
  // the quote is doubled: values still go in and come back as they were.
  Run("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
  auto plain = Prepare("INSERT INTO q (id, s) VALUES (?, ?)");
  plain->setInt(1, 7);
  plain->setString(2, "a\\'b\\");
  ASSERT_EQ(plain->executeUpdate(), 1);
  auto back = Prepare("SELECT s FROM q WHERE s = ?");
  back->setString(1, "a\\'b\\");
  row.reset(back->executeQuery());
  ASSERT_TRUE(row->next());
  EXPECT_EQ(std::string(row->getString(1)), "a\\'b\\");

  ExpectSlavesEqual("q");
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT CONCAT(id, ' ', s) FROM ps.q WHERE id = -5"),
            "-5 what? '?'");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT s FROM ps.q WHERE id = 7"), "a\\'b\\");
}

}  // namespace
}  // namespace ddb::testing
