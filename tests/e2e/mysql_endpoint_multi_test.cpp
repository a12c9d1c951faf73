// The endpoint as MariaDB answers: several statements in one packet
// (CLIENT_MULTI_STATEMENTS), each run and logged as if sent alone; the OK
// packet's warning count and SHOW WARNINGS for the user's own statement;
// MariaDB's syntax error for text it cannot parse; several statements
// without CLIENT_MULTI_STATEMENTS refused whole; COM_CHANGE_USER and
// COM_FIELD_LIST through libmariadb's own calls; CLIENT_FOUND_ROWS.
#include <gtest/gtest.h>
#include <mysql.h>

#include "endpoint_clients.h"
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kMultiScript = R"PY(
import sys
import pymysql
from pymysql.constants import CLIENT

c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw", database="m",
                    autocommit=True, client_flag=CLIENT.MULTI_STATEMENTS)
cur = c.cursor()
# A write and a read in one packet: the read sees the write.
cur.execute("INSERT INTO t (id, name) VALUES (1, 'one'); SELECT name FROM t WHERE id = 1")
assert cur.rowcount == 1, cur.rowcount
assert cur.nextset()
assert cur.fetchall() == (("one",),), cur.fetchall()
assert not cur.nextset()
# A transaction in one packet.
cur.execute("BEGIN; INSERT INTO t (id, name) VALUES (2, 'two'); UPDATE t SET name = 'TWO' WHERE id = 2; COMMIT")
while cur.nextset():
    pass
# The first error ends the packet: the statement after it does not run.
try:
    cur.execute("INSERT INTO t (id) VALUES (3); INSERT INTO nope VALUES (1); INSERT INTO t (id) VALUES (4)")
    while cur.nextset():
        pass
    raise SystemExit("the error in the middle was not reported")
except pymysql.err.ProgrammingError as e:
    assert e.args[0] == 1146, e.args
cur.execute("/* ddb:master */ SELECT GROUP_CONCAT(id ORDER BY id) FROM t")
assert cur.fetchone()[0] == "1,2,3", "rows after the error"

# Warnings of the user's own write, in the OK packet and SHOW WARNINGS,
# though ddb's log insert and COMMIT ran after it.
cur.execute("INSERT IGNORE INTO t (id, name) VALUES (1, 'again')")
assert cur._result.warning_count == 1, cur._result.warning_count
cur.execute("SHOW WARNINGS")
rows = cur.fetchall()
assert len(rows) == 1 and rows[0][1] == 1062, rows
cur.execute("SHOW WARNINGS")
assert len(cur.fetchall()) == 1, "SHOW WARNINGS keeps the list"
cur.execute("INSERT INTO t (id, name) VALUES (5, 'five')")
cur.execute("SHOW WARNINGS")
assert cur.fetchall() == (), "a clean statement leaves no warnings"

# MariaDB's own syntax error for text it cannot parse.
try:
    cur.execute("SELEKT 1")
    raise SystemExit("SELEKT 1 was accepted")
except pymysql.err.ProgrammingError as e:
    assert e.args[0] == 1064, e.args
    assert "near 'SELEKT 1' at line 1" in e.args[1], e.args
# A stored procedure whose body holds ';' (a CASE statement too) is one
# statement, as MariaDB parses it; the CALL after it in the same packet runs it.
cur.execute("CREATE PROCEDURE add_pair(IN base INT) BEGIN "
            "CASE WHEN base > 0 THEN INSERT INTO t (id, name) VALUES (base, 'p'); "
            "ELSE INSERT INTO t (id, name) VALUES (-base, 'n'); END CASE; "
            "INSERT INTO t (id, name) VALUES (ABS(base) + 1, CASE WHEN base > 0 THEN 'q' ELSE 'r' END); END; "
            "CALL add_pair(10)")
while cur.nextset():
    pass
cur.execute("/* ddb:master */ SELECT GROUP_CONCAT(CONCAT(id, name) ORDER BY id) FROM t WHERE id >= 10")
assert cur.fetchone()[0] == "10p,11q", "the procedure's rows"

# Without CLIENT_MULTI_STATEMENTS (mysqlclient on libmariadb 3 leaves it
# off), two statements in one query are refused whole, naming the option.
single = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw", database="m",
                         autocommit=True)
try:
    single.cursor().execute("INSERT INTO t (id, name) VALUES (20, 'x'); INSERT INTO t (id, name) VALUES (21, 'y')")
    raise SystemExit("two statements ran without CLIENT_MULTI_STATEMENTS")
except pymysql.err.OperationalError as e:
    assert "CLIENT_MULTI_STATEMENTS" in e.args[1], e.args
cur.execute("/* ddb:master */ SELECT COUNT(*) FROM t WHERE id IN (20, 21)")
assert cur.fetchone()[0] == 0, "a statement of the refused query ran"
print("multi: all good")
)PY";

TEST_F(MySqlEndpointTest, MultiStatementsWarningsAndSyntaxErrorsAreAnsweredAsByMariaDb) {
  ASSERT_TRUE(ExecuteThroughEndpoint(
                  *cluster_, {"CREATE DATABASE m", "CREATE TABLE m.t (id INT PRIMARY KEY, name VARCHAR(20))"})
                  .ok());
  const ProgramRun run =
      Run({kPython, WriteFile("multi.py", kMultiScript), std::to_string(cluster_->client_port())});
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n" << cluster_->MasterLog();
  EXPECT_NE(run.output.find("multi: all good"), std::string::npos) << run.output;
  ExpectSlavesEqual("m", {"t"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue(
                "SELECT GROUP_CONCAT(CONCAT(id, COALESCE(name, '')) ORDER BY id) FROM m.t"),
            "1one,2TWO,3,5five,10p,11q");
}

TEST_F(MySqlEndpointTest, ChangeUserStartsAFreshSessionAndFieldListDescribesATable) {
  ASSERT_TRUE(ExecuteThroughEndpoint(
                  *cluster_, {"CREATE DATABASE f", "CREATE TABLE f.t (id INT PRIMARY KEY, name VARCHAR(20))"})
                  .ok());
  MYSQL* client = mysql_init(nullptr);
  ASSERT_NE(client, nullptr);
  ASSERT_NE(mysql_real_connect(client, "127.0.0.1", kClientUser, kClientPassword, nullptr,
                               cluster_->client_port(), nullptr, 0),
            nullptr)
      << mysql_error(client);
  ASSERT_EQ(mysql_query(client, "SET @x = 5"), 0) << mysql_error(client);
  // A fresh session: user variables gone, the database the command names.
  ASSERT_EQ(mysql_change_user(client, kClientUser, kClientPassword, "f"), 0) << mysql_error(client);
  ASSERT_EQ(mysql_query(client, "SELECT @x IS NULL, DATABASE()"), 0) << mysql_error(client);
  MYSQL_RES* result = mysql_store_result(client);
  ASSERT_NE(result, nullptr);
  MYSQL_ROW row = mysql_fetch_row(result);
  ASSERT_NE(row, nullptr);
  EXPECT_STREQ(row[0], "1");
  EXPECT_STREQ(row[1], "f");
  mysql_free_result(result);
  // The columns of a table, with their types.
  MYSQL_RES* fields = mysql_list_fields(client, "t", nullptr);
  ASSERT_NE(fields, nullptr) << mysql_error(client);
  ASSERT_EQ(mysql_num_fields(fields), 2u);
  EXPECT_STREQ(mysql_fetch_field_direct(fields, 0)->name, "id");
  EXPECT_EQ(mysql_fetch_field_direct(fields, 0)->type, MYSQL_TYPE_LONG);
  EXPECT_STREQ(mysql_fetch_field_direct(fields, 1)->name, "name");
  EXPECT_EQ(mysql_fetch_field_direct(fields, 1)->type, MYSQL_TYPE_VAR_STRING);
  mysql_free_result(fields);
  EXPECT_EQ(mysql_list_fields(client, "no_such_table", nullptr), nullptr);
  EXPECT_EQ(mysql_errno(client), 1146u) << mysql_error(client);
  // The session works on after both.
  ASSERT_EQ(mysql_query(client, "INSERT INTO t VALUES (1, 'after')"), 0) << mysql_error(client);
  // Wrong credentials: refused as at login.
  EXPECT_NE(mysql_change_user(client, kClientUser, "wrong", nullptr), 0);
  EXPECT_EQ(mysql_errno(client), 1045u) << mysql_error(client);
  mysql_close(client);
  ExpectSlavesEqual("f", {"t"});
}

// CLIENT_FOUND_ROWS (Connector/J asks for it by default): an UPDATE counts
// the rows it matched, as MariaDB counts them for such a client, also in the
// fresh session COM_CHANGE_USER starts; without it, the rows it changed.
TEST_F(MySqlEndpointTest, AnUpdateCountsMatchedRowsForAClientThatAsksForFoundRows) {
  ASSERT_TRUE(
      ExecuteThroughEndpoint(*cluster_, {"CREATE DATABASE r", "CREATE TABLE r.t (id INT PRIMARY KEY, v INT)",
                                         "INSERT INTO r.t VALUES (1, 5), (2, 6)"})
          .ok());
  auto affected_by_update = [&](unsigned long flags, bool change_user_first) -> long long {
    MYSQL* client = mysql_init(nullptr);
    EXPECT_NE(mysql_real_connect(client, "127.0.0.1", kClientUser, kClientPassword, "r",
                                 cluster_->client_port(), nullptr, flags),
              nullptr)
        << mysql_error(client);
    if (change_user_first) EXPECT_EQ(mysql_change_user(client, kClientUser, kClientPassword, "r"), 0);
    // Matches both rows; row 1 already holds 5.
    EXPECT_EQ(mysql_query(client, "UPDATE t SET v = 5 WHERE id IN (1, 2)"), 0) << mysql_error(client);
    const long long affected = static_cast<long long>(mysql_affected_rows(client));
    EXPECT_EQ(mysql_query(client, "UPDATE t SET v = 6 WHERE id = 2"), 0) << mysql_error(client);
    mysql_close(client);
    return affected;
  };
  EXPECT_EQ(affected_by_update(CLIENT_FOUND_ROWS, false), 2);
  EXPECT_EQ(affected_by_update(CLIENT_FOUND_ROWS, true), 2);
  EXPECT_EQ(affected_by_update(0, false), 1);
  ExpectSlavesEqual("r", {"t"});
}

// AND CHAIN opens the next transaction at once, and RELEASE ends the
// connection once the transaction has ended, as MariaDB does.
TEST_F(MySqlEndpointTest, ChainAndReleaseEndTransactionsAsMariaDbDoes) {
  ASSERT_TRUE(
      ExecuteThroughEndpoint(*cluster_, {"CREATE DATABASE rel", "CREATE TABLE rel.t (id INT PRIMARY KEY)"})
          .ok());
  std::unique_ptr<MySqlConnection> client =
      ConnectWithin(ClientEndpoint(*cluster_, "rel"), std::chrono::seconds(10));
  ASSERT_TRUE(client);
  ASSERT_TRUE(ExecuteEach(*client, {"BEGIN", "INSERT INTO t VALUES (1)", "COMMIT AND CHAIN",
                                    "INSERT INTO t VALUES (2)", "ROLLBACK AND CHAIN",
                                    "INSERT INTO t VALUES (3)", "COMMIT RELEASE"})
                  .ok());
  EXPECT_FALSE(client->Execute("SELECT 1").ok()) << "the connection outlived COMMIT RELEASE";
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(std::chrono::seconds(60)));
  for (int i = 0; i < cluster_->slave_count(); ++i) {
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT GROUP_CONCAT(id ORDER BY id) FROM rel.t"), "1,3");
  }
}

}  // namespace
}  // namespace ddb::testing
