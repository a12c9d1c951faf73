// mysqlclient (MySQLdb, Debian's python3-mysqldb on libmariadb, installed by
// scripts/setup) against the master's endpoint: executemany's multi-row
// INSERT, binary and UTF-8 parameters quoted by the driver, its implicit
// transaction (autocommit off) committed and rolled back, lastrowid, and
// the refusal of several statements in one query (the driver leaves
// CLIENT_MULTI_STATEMENTS off) naming the option; the slaves end equal.
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

constexpr const char* kMysqlclientScript = R"PY(
import sys
import MySQLdb

c = MySQLdb.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw", charset="utf8mb4")
cur = c.cursor()
cur.execute("CREATE DATABASE mc CHARACTER SET utf8mb4")
cur.execute("CREATE TABLE mc.t (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), data VARBINARY(16))")
# autocommit is off: these rows wait for commit().
cur.executemany("INSERT INTO mc.t (name, data) VALUES (%s, %s)",
                [("h\u00e9llo 'q' \\\\", b"\x00\x01'\xff"), ("caf\u00e9 \u2713", b""), (None, None)])
assert cur.rowcount == 3, cur.rowcount
first = cur.lastrowid
c.commit()
cur.execute("INSERT INTO mc.t (name) VALUES ('rolled back')")
c.rollback()
cur.execute("SELECT id, name, data FROM mc.t ORDER BY id")
rows = cur.fetchall()
assert [r[0] for r in rows] == [first, first + 1, first + 2], rows
assert rows[0][1] == "h\u00e9llo 'q' \\\\" and rows[0][2] == b"\x00\x01'\xff", rows[0]
assert rows[1][1] == "caf\u00e9 \u2713" and rows[2][1] is None, rows
c.commit()
try:
    cur.execute("INSERT INTO mc.t (name) VALUES ('a'); INSERT INTO mc.t (name) VALUES ('b')")
    raise SystemExit("two statements in one query ran")
except MySQLdb.MySQLError as e:
    assert "CLIENT_MULTI_STATEMENTS" in str(e), e
c.rollback()
print("mysqlclient: all good")
)PY";

TEST_F(MySqlEndpointTest, MysqlclientBatchesParametersAndItsImplicitTransactions) {
  const ProgramRun run = Run(
      {kPython, WriteFile("mysqlclient.py", kMysqlclientScript), std::to_string(cluster_->client_port())});
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n" << cluster_->MasterLog();
  EXPECT_NE(run.output.find("mysqlclient: all good"), std::string::npos) << run.output;
  ExpectSlavesEqual("mc", {"t"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM mc.t"), "3");
}

}  // namespace
}  // namespace ddb::testing
