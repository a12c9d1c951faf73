// Session state as MariaDB keeps it. The clock: after SET timestamp = ...,
// NOW() stands still for reads and writes alike (and a slave replays the
// rows with that time), until SET timestamp = DEFAULT lets it run again.
// ROW_COUNT(): the user's last write's count, though ddb ran statements of
// its own since (the log row's commit).
#include "endpoint_clients.h"
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

constexpr const char* kClockScript = R"PY(
import sys
import pymysql

c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw", database="clk",
                    autocommit=True)
cur = c.cursor()
cur.execute("SET timestamp = 1000000000.25")
cur.execute("INSERT INTO t (id, at) VALUES (1, NOW(6))")
cur.execute("SELECT NOW(6)")
assert str(cur.fetchone()[0]) == "2001-09-09 01:46:40.250000", "a read of the pinned clock"
# In a transaction, with another variable set alongside, and in an UPDATE.
cur.execute("BEGIN")
cur.execute("SET @@session.timestamp = 1000000100, @tag = 'tx'")
cur.execute("INSERT INTO t (id, at, tag) VALUES (2, NOW(6), @tag)")
cur.execute("UPDATE t SET at2 = CURRENT_TIMESTAMP(6) WHERE id = 1")
cur.execute("COMMIT")
cur.execute("SET timestamp = DEFAULT")
cur.execute("INSERT INTO t (id, at) VALUES (3, NOW(6))")
cur.execute("/* ddb:master */ SELECT TIMESTAMPDIFF(SECOND, at, NOW()) FROM t WHERE id = 3")
assert abs(cur.fetchone()[0]) < 60, "the clock runs again after SET timestamp = DEFAULT"
# SET timestamp = 0 releases it too.
cur.execute("SET timestamp = 1000000000")
cur.execute("SET timestamp = 0")
cur.execute("INSERT INTO t (id, at) VALUES (4, NOW(6))")
cur.execute("/* ddb:master */ SELECT YEAR(at) FROM t WHERE id = 4")
assert cur.fetchone()[0] >= 2024, "SET timestamp = 0 released the clock"
# A SET that only mentions TIMESTAMP() pins nothing, even right after a
# write for which ddb set the server's clock itself.
cur.execute("SET @unrelated = 1")
cur.execute("INSERT INTO t (id, at) VALUES (5, NOW(6))")
cur.execute("SET @d = TIMESTAMP('2020-01-01 00:00:00')")
cur.execute("INSERT INTO t (id, at) VALUES (6, NOW(6))")
# Round trips apart, a running clock has moved by microseconds at least.
cur.execute("/* ddb:master */ SELECT TIMESTAMPDIFF(MICROSECOND, a.at, b.at) FROM t a, t b WHERE a.id = 5 AND b.id = 6")
assert cur.fetchone()[0] > 0, "the clock stood still after SET @d = TIMESTAMP(...)"
print("clock: all good")
)PY";

TEST_F(MySqlEndpointTest, ASessionsPinnedTimestampIsTheOneItsWritesRunAndReplayWith) {
  ASSERT_TRUE(ExecuteThroughEndpoint(*cluster_, {"CREATE DATABASE clk",
                                                 "CREATE TABLE clk.t (id INT PRIMARY KEY, at DATETIME(6), "
                                                 "at2 DATETIME(6), tag VARCHAR(10))"})
                  .ok());
  const ProgramRun run =
      Run({kPython, WriteFile("clock.py", kClockScript), std::to_string(cluster_->client_port())});
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n" << cluster_->MasterLog();
  EXPECT_NE(run.output.find("clock: all good"), std::string::npos) << run.output;
  ExpectSlavesEqual("clk", {"t"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue(
                "SELECT GROUP_CONCAT(CONCAT_WS(' ', id, at, at2, tag) ORDER BY id SEPARATOR '; ') FROM clk.t "
                "WHERE id <= 2"),
            "1 2001-09-09 01:46:40.250000 2001-09-09 01:48:20.000000; 2 2001-09-09 01:48:20.000000 tx");
}

constexpr const char* kRowCountScript = R"PY(
import sys
import pymysql

c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw", database="rc",
                    autocommit=True)
cur = c.cursor()
cur.execute("UPDATE t SET v = v + 1")
cur.execute("SELECT ROW_COUNT()")
assert cur.fetchone()[0] == 3, "an autocommit UPDATE's count"
assert cur.description[0][0] == "ROW_COUNT()", cur.description
cur.execute("DELETE FROM t WHERE id = 3")
# Stored by a write: the count travels as the number, so slaves store it too.
cur.execute("INSERT INTO log (n) VALUES (ROW_COUNT())")
cur.execute("SELECT ROW_COUNT() AS n")
assert cur.fetchone()[0] == 1, "the INSERT's own count"
cur.execute("BEGIN")
cur.execute("UPDATE t SET v = 0 WHERE id < 3")
cur.execute("SELECT ROW_COUNT()")
assert cur.fetchone()[0] == 2, "in a transaction"
cur.execute("COMMIT")
# After a read (a slave may answer it) it is -1, as MariaDB says after a
# result set, and a write stores that number.
cur.execute("SELECT 1")
cur.execute("INSERT INTO log (n) VALUES (ROW_COUNT())")
cur.execute("SELECT v FROM t WHERE id = 1")
cur.execute("SELECT ROW_COUNT()")
assert cur.fetchone()[0] == -1, "after a read"
# After a statement that is neither, there is no count to write down:
# refused as unsafe.
cur.execute("SET @x = 1")
try:
    cur.execute("INSERT INTO log (n) VALUES (ROW_COUNT())")
    raise SystemExit("ROW_COUNT() after a SET was not refused")
except pymysql.err.MySQLError as e:
    assert "ROW_COUNT" in str(e), e
print("row count: all good")
)PY";

TEST_F(MySqlEndpointTest, RowCountIsTheUsersLastWritesCountAndReplaysAsThatNumber) {
  ASSERT_TRUE(ExecuteThroughEndpoint(*cluster_,
                                     {"CREATE DATABASE rc", "CREATE TABLE rc.t (id INT PRIMARY KEY, v INT)",
                                      "CREATE TABLE rc.log (id INT AUTO_INCREMENT PRIMARY KEY, n INT)",
                                      "INSERT INTO rc.t VALUES (1, 1), (2, 2), (3, 3)"})
                  .ok());
  const ProgramRun run =
      Run({kPython, WriteFile("row_count.py", kRowCountScript), std::to_string(cluster_->client_port())});
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n" << cluster_->MasterLog();
  EXPECT_NE(run.output.find("row count: all good"), std::string::npos) << run.output;
  ExpectSlavesEqual("rc", {"t", "log"});
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT GROUP_CONCAT(n ORDER BY id) FROM rc.log"), "1,-1");
}

}  // namespace
}  // namespace ddb::testing
