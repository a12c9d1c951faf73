// The endpoint as MariaDB answers: several statements in one packet
// (CLIENT_MULTI_STATEMENTS), each run and logged as if sent alone; the OK
// packet's warning count and SHOW WARNINGS for the user's own statement;
// MariaDB's syntax error for text it cannot parse.
#include <gtest/gtest.h>

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
            "1one,2TWO,3,5five");
}

}  // namespace
}  // namespace ddb::testing
