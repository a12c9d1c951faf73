// The master's MySQL-protocol endpoint with real clients: the mariadb
// command-line client, PyMySQL and sysbench write through it and every slave
// ends equal to the master; hostile clients: mysql_endpoint_hostile_test.cpp.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "cluster.h"
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_F(MySqlEndpointTest, MariadbClientWritesReachEverySlave) {
  ProgramRun run = Endpoint(
      "CREATE DATABASE shop;\n"
      "USE shop;\n"
      "CREATE TABLE items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, qty INT);\n"
      "INSERT INTO items (name, qty) VALUES ('apple', 3), ('pear', 5), ('plum', 7);\n"
      "UPDATE items SET qty = qty * 10 WHERE name = 'pear';\n"
      "DELETE FROM items WHERE name = 'plum';\n"
      "START TRANSACTION;\n"
      "INSERT INTO items (name, qty) VALUES ('in a transaction', 1);\n"
      "SELECT @@in_transaction AS open_transaction;\n"
      "COMMIT;\n"
      "BEGIN;\n"
      "INSERT INTO items (name, qty) VALUES ('rolled back', 1);\n"
      "ROLLBACK;\n"
      "SELECT name, qty FROM items ORDER BY id;\n"
      "SELECT DATABASE() AS current_db;\n");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("open_transaction\n1\n"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("name\tqty\napple\t3\npear\t50\nin a transaction\t1\n"), std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("current_db\nshop\n"), std::string::npos) << run.output;

  // mariadb < file.sql with 1,000 statements.
  std::string bulk = "CREATE TABLE shop.bulk (id INT PRIMARY KEY, v VARCHAR(20));\nUSE shop;\n";
  for (int i = 1; i <= 998; ++i)
    bulk += "INSERT INTO bulk VALUES (" + std::to_string(i) + ", 'row " + std::to_string(i) + "');\n";
  run = Endpoint(bulk);
  ASSERT_EQ(run.exit_code, 0) << run.output;

  ExpectSlavesEqual("shop", {"items", "bulk"});
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT COUNT(*) FROM shop.bulk"), "998");
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT GROUP_CONCAT(name ORDER BY id) FROM shop.items"),
              "apple,pear,in a transaction");
  }
}

TEST_F(MySqlEndpointTest, SessionsWithAndWithoutADefaultDatabaseReplayInTheirOwn) {
  // A slave replays every session in one of its own: it must not run a
  // write of a session without a database in the last one a record named,
  // nor forget that a DROP DATABASE left it without one.
  ProgramRun run = Endpoint(
      "CREATE DATABASE shop;\nCREATE DATABASE keep;\n"
      "CREATE TABLE keep.t (id INT PRIMARY KEY, db VARCHAR(64));\n"
      "USE shop;\nINSERT INTO keep.t VALUES (1, DATABASE());\n");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = Endpoint(
      "INSERT INTO keep.t VALUES (2, DATABASE()), (3, IFNULL(SCHEMA (), 'none'));\n"
      "DROP DATABASE shop;\nCREATE DATABASE shop;\n");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = Endpoint("USE shop;\nCREATE TABLE t2 (id INT PRIMARY KEY);\nINSERT INTO t2 VALUES (1);\n");
  ASSERT_EQ(run.exit_code, 0) << run.output;

  ExpectSlavesEqual("keep", {"t"});
  ExpectSlavesEqual("shop", {"t2"});
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(cluster_->slave_db(i).QueryValue("SELECT GROUP_CONCAT(id, '=', IFNULL(db, 'NULL') ORDER BY id) "
                                               "FROM keep.t"),
              "1=shop,2=NULL,3=none");
  }
}

TEST_F(MySqlEndpointTest, MariadbAdminStatusAndPingAnswerAsFromMariaDb) {
  // COM_STATISTICS (monitors' mysql_stat(), the client's \s) answers with the master MySQL's line.
  const ProgramRun run = Run({"mariadb-admin", "--no-defaults", "--protocol=TCP", "-h", "127.0.0.1", "-P",
                              std::to_string(cluster_->client_port()), "-u", kClientUser,
                              std::string("-p") + kClientPassword, "status", "ping"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.rfind("Uptime: ", 0), 0u) << run.output;
  EXPECT_NE(run.output.find("Queries per second avg: "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("is alive"), std::string::npos) << run.output;
}

TEST_F(MySqlEndpointTest, MariadbDumpReadsThroughTheEndpointAndItsFileLoadsBack) {
  ASSERT_EQ(
      Endpoint(
          "CREATE DATABASE shop;\n"
          "CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), at TIMESTAMP "
          "NULL);\n"
          "INSERT INTO shop.items (name, at) VALUES ('a', '2024-01-01 00:00:00'), ('b', NULL), ('\xc3\xbc', "
          "NOW());\n"
          "CREATE VIEW shop.v AS SELECT name FROM shop.items;\n")
          .exit_code,
      0);
  auto dump = [&](const std::string& flags, const std::string& what = "shop") {
    return Run({"/bin/sh", "-c",
                "exec mariadb-dump --no-defaults --protocol=TCP -h 127.0.0.1 -P " +
                    std::to_string(cluster_->client_port()) + " -u " + kClientUser + " -p" + kClientPassword +
                    " " + flags + " " + what});
  };
  // By default it holds LOCK TABLES ... READ while it reads; with
  // --single-transaction it sends an UNLOCK TABLES that releases nothing.
  const ProgramRun locked = dump("");
  ASSERT_EQ(locked.exit_code, 0) << locked.output;
  EXPECT_NE(locked.output.find("INSERT INTO `items`"), std::string::npos) << locked.output;
  const ProgramRun plain = dump("--single-transaction --skip-add-locks");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  // Its first line is /*M!999999\- enable the sandbox mode */, a comment to MariaDB 10.11.
  ASSERT_EQ(Endpoint("CREATE DATABASE shop2;").exit_code, 0);
  ProgramRun load = Mariadb(cluster_->client_port(), kClientUser, kClientPassword, plain.output, "shop2");
  EXPECT_EQ(load.exit_code, 0) << load.output;
  // A file with LOCK TABLES ... WRITE is refused, pointing at the option.
  load = Mariadb(cluster_->client_port(), kClientUser, kClientPassword, locked.output, "--force shop2");
  EXPECT_NE(load.output.find("--skip-add-locks"), std::string::npos) << load.output;
  // --all-databases selects each database it lists, ddb_meta too.
  const ProgramRun everything = dump("--single-transaction", "--all-databases");
  ASSERT_EQ(everything.exit_code, 0) << everything.output.substr(0, 2000);
  EXPECT_NE(everything.output.find("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop2`"), std::string::npos);
  // Connected with ddb_meta as its database, a session still cannot write there.
  load = Mariadb(cluster_->client_port(), kClientUser, kClientPassword, "DELETE FROM replication_log;",
                 "ddb_meta");
  EXPECT_NE(load.output.find("ddb_meta holds ddb's replication log"), std::string::npos) << load.output;
  // A version-gated comment the server skips hides nothing from ddb.
  EXPECT_EQ(Endpoint("/*M!999999 SELECT */ DELETE FROM shop.items WHERE id = 1;").exit_code, 0);
  // BEGIN releases read locks, as in MariaDB.
  load = Endpoint(
      "LOCK TABLES shop.items READ;\nBEGIN;\nINSERT INTO shop.items (name) VALUES ('after');\nCOMMIT;\n"
      "UNLOCK TABLES;\n");
  EXPECT_EQ(load.exit_code, 0) << load.output;
  ExpectSlavesEqual("shop", {"items"});
  ExpectSlavesEqual("shop2", {"items"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT GROUP_CONCAT(name ORDER BY name) FROM shop2.v"),
            "a,b,\xc3\xbc");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT GROUP_CONCAT(name ORDER BY id) FROM shop.items"),
            "b,\xc3\xbc,after");
}

TEST_F(MySqlEndpointTest, ErrorsAreExactlyWhatMariaDbGives) {
  ASSERT_EQ(Endpoint("CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY); INSERT INTO d.t VALUES (1);")
                .exit_code,
            0);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  const uint64_t seq = cluster_->MasterLastSeq();
  for (const std::string sql :
       {"INSERT INTO d.nope VALUES (1);", "INSERT INTO d.t VALUES (1);", "CREATE TABLE d.t (id INT);",
        "USE nowhere;", "SELECT missing_column FROM d.t;", "SELEKT 1;"}) {
    const ProgramRun via_ddb = Endpoint(sql);
    const ProgramRun direct = Mariadb(cluster_->master_db().port(), "root", "", sql);
    EXPECT_EQ(via_ddb.exit_code, 1) << sql << "\n" << via_ddb.output;
    EXPECT_FALSE(ErrorLine(direct.output).empty()) << sql << "\n" << direct.output;
    EXPECT_EQ(ErrorLine(via_ddb.output), ErrorLine(direct.output)) << sql;
  }
  // A login that names a database that does not exist.
  const ProgramRun login_via_ddb =
      Mariadb(cluster_->client_port(), kClientUser, kClientPassword, "SELECT 1;", "--database=nowhere");
  const ProgramRun login_direct =
      Mariadb(cluster_->master_db().port(), "root", "", "SELECT 1;", "--database=nowhere");
  EXPECT_NE(login_direct.output.find("Unknown database 'nowhere'"), std::string::npos) << login_direct.output;
  EXPECT_EQ(ErrorLine(login_via_ddb.output), ErrorLine(login_direct.output)) << login_via_ddb.output;
  EXPECT_EQ(Mariadb(cluster_->client_port(), kClientUser, kClientPassword, "SELECT DATABASE() AS db;",
                    "--database=d")
                .output,
            "db\nd\n");
  // Character set and session answers as MariaDB gives them to the same client.
  const std::string session_sql =
      "SELECT @@character_set_client, @@collation_connection, @@autocommit, HEX('caf\xC3\xA9') AS h, "
      "'caf\xC3\xA9' AS word, 1 + 1 AS two, NULL AS nothing;\n";
  const std::string session_answer = Endpoint(session_sql).output;
  EXPECT_NE(session_answer.find("\t2\tNULL\n"), std::string::npos) << session_answer;
  EXPECT_EQ(session_answer, Mariadb(cluster_->master_db().port(), "root", "", session_sql).output);
  EXPECT_NE(ErrorLine(Endpoint("INSERT INTO d.t VALUES (1);").output)
                .find("ERROR 1062 (23000) at line 1: Duplicate entry '1' for key 'PRIMARY'"),
            std::string::npos);
  // ddb's own refusals come back as ERR 1105 with ddb's reason.
  const std::string refused = ErrorLine(Endpoint("INSERT INTO d.t VALUES (UUID_SHORT());").output);
  EXPECT_NE(refused.find("ERROR 1105 (HY000)"), std::string::npos) << refused;
  EXPECT_NE(refused.find("unsafe for replication"), std::string::npos) << refused;
  EXPECT_EQ(cluster_->MasterLastSeq(), seq) << "failed statements are not logged";
  // The session survives an error: the next statements on the same connection run.
  const ProgramRun forced =
      Mariadb(cluster_->client_port(), kClientUser, kClientPassword,
              "INSERT INTO d.nope VALUES (1);\nINSERT INTO d.t VALUES (2);\nSELECT COUNT(*) AS n FROM d.t;\n",
              "--force");
  EXPECT_NE(forced.output.find("n\n2\n"), std::string::npos) << forced.output;
  ExpectSlavesEqual("d", {"t"});
}

constexpr const char* kPyMySqlScript = R"PY(
import sys
from decimal import Decimal
import pymysql

port = int(sys.argv[1])

def connect(**kw):
    return pymysql.connect(host="127.0.0.1", port=port, user="app", password="app-pw", **kw)

c = connect()
cur = c.cursor()
cur.execute("CREATE DATABASE py")
cur.execute("CREATE TABLE py.t (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), qty INT, "
            "price DECIMAL(8,2), note TEXT, raw VARBINARY(8), big BIGINT UNSIGNED)")
c.select_db("py")
assert cur.execute("INSERT INTO t (name, qty, price, note, raw, big) VALUES (%s, %s, %s, %s, %s, %s)",
                   ("caf\u00e9 'quoted'", 3, "1.50", None, b"\x00\x01", 2**64 - 1)) == 1
assert cur.lastrowid == 1, cur.lastrowid
cur.executemany("INSERT INTO t (name, qty) VALUES (%s, %s)", [("a", 1), ("b", 2), ("c", 3)])
c.commit()
cur.execute("INSERT INTO t (name, qty) VALUES (%s, %s)", ("rolled back", 9))
c.rollback()
cur.execute("SELECT id, name, qty, price, note, raw, big FROM t ORDER BY id")
rows = cur.fetchall()
assert rows[0] == (1, "caf\u00e9 'quoted'", 3, Decimal("1.50"), None, b"\x00\x01", 2**64 - 1), rows[0]
assert [r[1] for r in rows] == ["caf\u00e9 'quoted'", "a", "b", "c"], rows

try:
    cur.execute("INSERT INTO t (id, name) VALUES (%s, %s)", (1, "duplicate"))
    raise SystemExit("duplicate key was accepted")
except pymysql.err.IntegrityError as e:
    assert e.args[0] == 1062, e.args
c.rollback()

# Each connection is its own session: uncommitted changes stay invisible to
# the other, session variables stay with their session. The other session
# reads the first one's commits on the master: a slave may not have them yet.
other = connect(database="py", autocommit=True)
ocur = other.cursor()
cur.execute("UPDATE t SET qty = qty + 100 WHERE name = %s", ("a",))
ocur.execute("/* ddb:master */ SELECT qty FROM t WHERE name = 'a'")
assert ocur.fetchone()[0] == 1
c.commit()
ocur.execute("/* ddb:master */ SELECT qty FROM t WHERE name = 'a'")
assert ocur.fetchone()[0] == 101
ocur.execute("SET @x = 5")
ocur.execute("SELECT @x + 1")
assert ocur.fetchone()[0] == 6
cur.execute("SELECT @x")
assert cur.fetchone()[0] is None
ocur.execute("INSERT INTO t (name, qty) VALUES (%s, @x)", ("from variable",))
# A result of a few MB (many write batches) arrives whole and in order.
ocur.execute("SELECT seq, REPEAT('x', 100) FROM seq_1_to_30000")
big = ocur.fetchall()
assert len(big) == 30000 and big[-1][0] == 30000 and sum(r[0] for r in big) == 30000 * 30001 // 2
c.ping()
other.close()
c.close()
print("pymysql: all good")
)PY";

// Two sessions: a DDL that must wait for another session's open transaction
// on its table. The DDL waits (as on MariaDB), but the commit lock is not
// held while it waits, so the other session's COMMIT goes through; holding
// it would deadlock the two (and stop every other session's commits).
constexpr const char* kDdlWaitScript = R"PY(
import sys
import threading
import time
import pymysql

port = int(sys.argv[1])

def connect(**kw):
    return pymysql.connect(host="127.0.0.1", port=port, user="app", password="app-pw", database="py",
                           read_timeout=20, **kw)

writer = connect()
writer.cursor().execute("INSERT INTO t (name, qty) VALUES ('before alter', 1)")
altered = threading.Event()
failure = []

def alter():
    try:
        connect(autocommit=True).cursor().execute("ALTER TABLE t ADD COLUMN extra INT DEFAULT 7")
        altered.set()
    except Exception as e:
        failure.append(e)

thread = threading.Thread(target=alter)
thread.start()
time.sleep(1.5)
assert not altered.is_set() and not failure, "the ALTER did not wait for the open transaction: %r" % failure
# Meanwhile other sessions still commit.
bystander = connect(autocommit=True)
bystander.cursor().execute("INSERT INTO t (name, qty) VALUES ('bystander', 2)")
started = time.time()
writer.commit()
assert time.time() - started < 5, "COMMIT waited %.1f s" % (time.time() - started)
thread.join(20)
assert altered.is_set(), "the ALTER did not finish: %r" % failure
cur = bystander.cursor()
cur.execute("/* ddb:master */ SELECT extra FROM t WHERE name = 'before alter'")
assert cur.fetchone()[0] == 7
print("ddl wait: all good")
)PY";

TEST_F(MySqlEndpointTest, PyMySqlWithParametersAndTransactions) {
  const std::string script = WriteFile("client.py", kPyMySqlScript);
  const ProgramRun run = Run({kPython, script, std::to_string(cluster_->client_port())});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("pymysql: all good"), std::string::npos) << run.output;
  const ProgramRun ddl =
      Run({kPython, WriteFile("ddl_wait.py", kDdlWaitScript), std::to_string(cluster_->client_port())});
  ASSERT_EQ(ddl.exit_code, 0) << ddl.output << "\n" << cluster_->MasterLog();
  EXPECT_NE(ddl.output.find("ddl wait: all good"), std::string::npos) << ddl.output;
  ExpectSlavesEqual("py", {"t"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT qty FROM py.t WHERE name = 'from variable'"), "5");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT COUNT(*) FROM py.t WHERE name = 'rolled back'"), "0");
}

TEST_F(MySqlEndpointTest, SysbenchWriteOnlyAndReadWriteLeaveEverySlaveEqual) {
  ASSERT_EQ(Endpoint("CREATE DATABASE sbtest;").exit_code, 0);
  const std::vector<std::string> common = {"--db-driver=mysql",
                                           "--mysql-host=127.0.0.1",
                                           "--mysql-port=" + std::to_string(cluster_->client_port()),
                                           "--mysql-user=app",
                                           "--mysql-password=app-pw",
                                           "--mysql-db=sbtest",
                                           "--tables=2",
                                           "--table-size=1000"};
  auto sysbench = [&](const std::string& workload, const std::string& command,
                      std::vector<std::string> extra) {
    std::vector<std::string> argv = {"sysbench", workload};
    argv.insert(argv.end(), common.begin(), common.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(command);
    return Run(argv, seconds(60));
  };
  ProgramRun prepared = sysbench("oltp_write_only", "prepare", {});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.output;
  auto master_status = [&](const std::string& name) {
    return std::stoll(cluster_->master_db().QueryValue(
        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '" + name + "'"));
  };
  const int64_t prepares_before = master_status("COM_STMT_PREPARE");
  for (const std::string workload : {"oltp_write_only", "oltp_read_write"}) {
    const ProgramRun run = sysbench(workload, "run", {"--threads=4", "--time=12", "--report-interval=0"});
    ASSERT_EQ(run.exit_code, 0) << workload << "\n" << run.output;
    EXPECT_EQ(run.output.find("FATAL"), std::string::npos) << workload << "\n" << run.output;
    std::smatch match;
    ASSERT_TRUE(std::regex_search(run.output, match, std::regex(R"(transactions:\s+(\d+))"))) << run.output;
    EXPECT_GT(std::stoll(match[1]), 100) << workload << "\n" << run.output;
  }
  // sysbench's default --db-ps-mode prepared its statements on the endpoint
  // (each prepare is described by the master's MariaDB), and every execute
  // ran there as text with its values, the form that is logged.
  EXPECT_GE(master_status("COM_STMT_PREPARE") - prepares_before, 8 * 2);
  EXPECT_EQ(master_status("COM_STMT_EXECUTE"), 0);
  ExpectSlavesEqual("sbtest", {"sbtest1", "sbtest2"});
}

}  // namespace
}  // namespace ddb::testing
