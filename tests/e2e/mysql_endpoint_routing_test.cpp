// The endpoint's read/write split: reads outside a transaction are answered
// by the slaves (counted in /metrics) with the master's column types; a
// session never reads a slave that lacks its own last write; transactions,
// locking reads, session state and the /* ddb:master */ hint stay on the
// master; sysbench's oltp_read_only sends most reads to the slaves.
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <mysql_driver.h>

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "endpoint_clients.h"
#include "http_client.h"
#include "mysql_endpoint_fixture.h"
#include "wait.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Reads the endpoint's nodes answered, from /metrics: by node name, the
// master under "master"; "fallbacks" for reads a slave could have answered.
using ReadCounts = std::map<std::string, double>;

double Count(const ReadCounts& counts, const std::string& node) {
  const auto found = counts.find(node);
  return found == counts.end() ? 0 : found->second;
}

// What `node` answered between two readings.
double Delta(const ReadCounts& after, const ReadCounts& before, const std::string& node) {
  return Count(after, node) - Count(before, node);
}

class EndpointRoutingTest : public MySqlEndpointTest {
 protected:
  void SetUp() override {
    MySqlEndpointTest::SetUp();
    ASSERT_TRUE(ExecuteThroughEndpoint(
                    *cluster_,
                    {"CREATE DATABASE r",
                     "CREATE TABLE r.t (id INT PRIMARY KEY, u BIGINT UNSIGNED, price DECIMAL(8,2), "
                     "name VARCHAR(20), raw VARBINARY(8), at DATETIME(3), d DATE, j JSON, f DOUBLE, n INT)",
                     "INSERT INTO r.t VALUES (1, 18446744073709551615, 12.50, 'caf\xC3\xA9', X'00FF', "
                     "'2024-02-29 23:59:58.125', '2024-02-29', '{\"a\": 1}', 0.1, NULL)"})
                    .ok());
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
    // Both slaves online in the master's eyes (acks are asynchronous).
    ASSERT_TRUE(WaitFor(
        [&] {
          const std::string metrics = Metrics();
          return metrics.find("ddb_master_slave_online{slave=\"slave1\"} 1") != std::string::npos &&
                 metrics.find("ddb_master_slave_online{slave=\"slave2\"} 1") != std::string::npos;
        },
        seconds(20), milliseconds(100)));
  }

  std::string Metrics() { return HttpGet(cluster_->master_http_port(), "/metrics").body; }

  ReadCounts Reads() {
    ReadCounts counts;
    const std::string metrics = Metrics();
    const std::regex sample(R"re(ddb_endpoint_reads_total\{node="([^"]+)",role="(\w+)"\} (\d+))re");
    for (auto it = std::sregex_iterator(metrics.begin(), metrics.end(), sample); it != std::sregex_iterator();
         ++it) {
      counts[(*it)[2] == "master" ? "master" : (*it)[1].str()] = std::stod((*it)[3]);
    }
    std::smatch fallbacks;
    if (std::regex_search(metrics, fallbacks, std::regex(R"(ddb_endpoint_read_fallbacks_total (\d+))"))) {
      counts["fallbacks"] = std::stod(fallbacks[1]);
    }
    return counts;
  }

  std::unique_ptr<MySqlConnection> Endpoint(const std::string& database = "r") {
    return ConnectWithin(ClientEndpoint(*cluster_, database), seconds(10));
  }

  std::unique_ptr<MySqlConnection> MasterDirect() {
    MySqlEndpoint direct;
    direct.port = cluster_->master_db().port();
    direct.database = "r";
    std::unique_ptr<MySqlConnection> connection;
    EXPECT_TRUE(MySqlConnection::Open(direct, &connection).ok());
    return connection;
  }

  // Runs `sql` on `connection` and returns its result (failing the test on an error).
  QueryResult Query(MySqlConnection& connection, const std::string& sql) {
    QueryResult result;
    const Status s = connection.Execute(sql, &result);
    EXPECT_TRUE(s.ok()) << sql << ": " << s.ToString();
    return result;
  }
};

void ExpectSameAnswer(const QueryResult& endpoint, const QueryResult& master, const std::string& what) {
  EXPECT_EQ(endpoint.columns, master.columns) << what;
  EXPECT_EQ(endpoint.rows, master.rows) << what;
  ASSERT_EQ(endpoint.column_types.size(), master.column_types.size()) << what;
  for (size_t i = 0; i < master.column_types.size(); ++i) {
    const ColumnType& got = endpoint.column_types[i];
    const ColumnType& want = master.column_types[i];
    EXPECT_EQ(got.mysql_type, want.mysql_type) << what << ", column " << master.columns[i];
    EXPECT_EQ(got.is_unsigned, want.is_unsigned) << what << ", column " << master.columns[i];
    EXPECT_EQ(got.is_binary, want.is_binary) << what << ", column " << master.columns[i];
    EXPECT_EQ(got.decimals, want.decimals) << what << ", column " << master.columns[i];
    EXPECT_EQ(got.length, want.length) << what << ", column " << master.columns[i];
  }
}

constexpr const char* kPyMySqlReads = R"PY(
import datetime
import sys
from decimal import Decimal
import pymysql

c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw", database="r",
                    autocommit=True)
cur = c.cursor()
for _ in range(6):
    cur.execute("SELECT id, u, price, name, raw, at, d, f, n FROM t WHERE id = %s", (1,))
    row = cur.fetchone()
    assert row == (1, 2**64 - 1, Decimal("12.50"), "caf\u00e9", b"\x00\xff",
                   datetime.datetime(2024, 2, 29, 23, 59, 58, 125000), datetime.date(2024, 2, 29), 0.1,
                   None), row
print("pymysql reads: all good")
)PY";

TEST_F(EndpointRoutingTest, ReadsAreAnsweredBySlavesWithTheMastersTypes) {
  const ReadCounts before = Reads();
  std::unique_ptr<MySqlConnection> endpoint = Endpoint();
  ASSERT_TRUE(endpoint);
  std::unique_ptr<MySqlConnection> master = MasterDirect();
  ASSERT_TRUE(master);
  for (const std::string sql :
       {"SELECT * FROM t",
        "SELECT id, price * 2 AS doubled, CONCAT(name, '!') AS loud, j FROM t WHERE id = 1",
        "SELECT COUNT(*) AS n, SUM(price) AS total FROM t", "SELECT * FROM t"}) {
    ExpectSameAnswer(Query(*endpoint, sql), Query(*master, sql), sql);
  }
  // PyMySQL converts by type: a DECIMAL stays Decimal, a DATETIME a datetime.
  const ProgramRun py =
      Run({kPython, WriteFile("reads.py", kPyMySqlReads), std::to_string(cluster_->client_port())});
  ASSERT_EQ(py.exit_code, 0) << py.output;
  // Server-side prepared statements (binary protocol) route too, and read
  // as from the master's MariaDB itself.
  auto connect = [](uint16_t port, const std::string& user, const std::string& password) {
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString("tcp://127.0.0.1:" + std::to_string(port));
    options["userName"] = sql::SQLString(user);
    options["password"] = sql::SQLString(password);
    options["schema"] = sql::SQLString("r");
    return std::unique_ptr<sql::Connection>(sql::mysql::get_mysql_driver_instance()->connect(options));
  };
  std::unique_ptr<sql::Connection> via_ddb = connect(cluster_->client_port(), kClientUser, kClientPassword);
  std::unique_ptr<sql::Connection> direct = connect(cluster_->master_db().port(), "root", "");
  const std::string prepared = "SELECT id, u, price, name, raw, at, d, j, f, n FROM t WHERE id = ?";
  std::unique_ptr<sql::PreparedStatement> from_master(direct->prepareStatement(prepared));
  from_master->setInt(1, 1);
  std::unique_ptr<sql::ResultSet> want(from_master->executeQuery());
  ASSERT_TRUE(want->next());
  std::unique_ptr<sql::PreparedStatement> select(via_ddb->prepareStatement(prepared));
  for (int i = 0; i < 4; ++i) {
    select->setInt(1, 1);
    std::unique_ptr<sql::ResultSet> row(select->executeQuery());
    ASSERT_TRUE(row->next());
    for (unsigned column = 1; column <= 10; ++column) {
      EXPECT_EQ(std::string(row->getString(column)), std::string(want->getString(column))) << column;
      EXPECT_EQ(row->wasNull(), column == 10) << column;
      EXPECT_EQ(std::string(row->getMetaData()->getColumnTypeName(column)),
                std::string(want->getMetaData()->getColumnTypeName(column)))
          << column;
    }
    EXPECT_EQ(row->getUInt64(2), 18446744073709551615ull);
    EXPECT_EQ(row->getDouble(9), 0.1);
  }
  const ReadCounts after = Reads();
  // Round robin: both slaves answered; together all but none of the reads.
  EXPECT_GE(Delta(after, before, "slave1"), 4) << Metrics();
  EXPECT_GE(Delta(after, before, "slave2"), 4) << Metrics();
  EXPECT_EQ(Delta(after, before, "slave1") + Delta(after, before, "slave2"), 4 + 6 + 4) << Metrics();
  // /api/status says the same.
  const HttpReply status = HttpGet(cluster_->master_http_port(), "/api/status", ClusterOptions().http_token);
  ASSERT_EQ(status.status, 200) << status.body;
  const nlohmann::json reads = nlohmann::json::parse(status.body)["endpoint_reads"];
  EXPECT_EQ(reads.value("slave1", -1.0), Count(after, "slave1")) << status.body;
  EXPECT_EQ(reads.value("slave2", -1.0), Count(after, "slave2")) << status.body;
}

// Applications write their values into a read's text. The master describes
// (prepares) each form of a read once, not each text: else a read a slave
// answers would cost the master more than running it.
TEST_F(EndpointRoutingTest, ReadsThatDifferOnlyInTheirValuesArePreparedOnceOnTheMaster) {
  std::string rows;
  for (int id = 2; id <= 21; ++id) {
    rows += (rows.empty() ? "" : ", ") +
            ("(" + std::to_string(id) + ", 'n" + std::to_string(id) + "', " + std::to_string(id) + ".25)");
  }
  ASSERT_TRUE(ExecuteThroughEndpoint(*cluster_, {"INSERT INTO r.t (id, name, price) VALUES " + rows}).ok());
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  std::unique_ptr<MySqlConnection> endpoint = Endpoint();
  ASSERT_TRUE(endpoint);
  std::unique_ptr<MySqlConnection> master = MasterDirect();
  ASSERT_TRUE(master);
  auto prepares = [&] {
    return std::stoll(
        Query(*master, "SHOW GLOBAL STATUS LIKE 'Com_stmt_prepare'").rows.at(0).at(1).value_or("0"));
  };
  const ReadCounts before = Reads();
  const long long prepared_before = prepares();
  for (int id = 2; id <= 21; ++id) {
    const std::string sql = "SELECT id, name, price * 2 AS twice FROM t WHERE id = " + std::to_string(id) +
                            " AND name LIKE 'n%' LIMIT 1";
    const QueryResult answer = Query(*endpoint, sql);
    ASSERT_EQ(answer.rows.size(), 1u) << sql;
    ExpectSameAnswer(answer, Query(*master, sql), sql);
  }
  const ReadCounts after = Reads();
  EXPECT_EQ(Delta(after, before, "slave1") + Delta(after, before, "slave2"), 20) << Metrics();
  // One form, described once (twenty texts).
  EXPECT_LE(prepares() - prepared_before, 1);
}

TEST_F(EndpointRoutingTest, TransactionsLockingReadsSessionStateAndTheHintStayOnTheMaster) {
  std::unique_ptr<MySqlConnection> endpoint = Endpoint();
  ASSERT_TRUE(endpoint);
  const ReadCounts before = Reads();
  const std::vector<std::string> on_master = {"/* ddb:master */ SELECT COUNT(*) FROM t",
                                              "SELECT COUNT(*) FROM t -- ddb:master",
                                              "SELECT id FROM t WHERE id = 1 FOR UPDATE",
                                              "SELECT id FROM t WHERE id = 1 LOCK IN SHARE MODE",
                                              "SELECT LAST_INSERT_ID()",
                                              "SELECT @x",
                                              "SELECT @@session.sql_mode",
                                              "SELECT FOUND_ROWS()",
                                              "SELECT CONNECTION_ID()"};
  for (const std::string& sql : on_master) Query(*endpoint, sql);
  ASSERT_TRUE(ExecuteEach(*endpoint, {"BEGIN"}).ok());
  for (int i = 0; i < 3; ++i) Query(*endpoint, "SELECT COUNT(*) FROM t");
  ASSERT_TRUE(ExecuteEach(*endpoint, {"COMMIT", "SET autocommit = 0"}).ok());
  Query(*endpoint, "SELECT COUNT(*) FROM t");  // autocommit off: a transaction is open
  ASSERT_TRUE(ExecuteEach(*endpoint, {"COMMIT", "SET autocommit = 1"}).ok());
  // A SET a slave cannot repeat keeps the session's reads on the master.
  ASSERT_TRUE(ExecuteEach(*endpoint, {"SET SESSION sql_select_limit = 1"}).ok());
  EXPECT_EQ(Query(*endpoint, "SELECT id FROM (SELECT 1 AS id UNION ALL SELECT 2) AS two").rows.size(), 1u);
  const ReadCounts after = Reads();
  EXPECT_EQ(Delta(after, before, "master"), on_master.size() + 3 + 1 + 1) << Metrics();
  EXPECT_EQ(Delta(after, before, "slave1") + Delta(after, before, "slave2"), 0) << Metrics();
  // Another session without that SET reads from the slaves.
  std::unique_ptr<MySqlConnection> fresh = Endpoint();
  ASSERT_TRUE(fresh);
  Query(*fresh, "SELECT COUNT(*) FROM t");
  Query(*fresh, "SELECT COUNT(*) FROM t");
  // A variable that travels with writes travels with routed reads too.
  ASSERT_TRUE(ExecuteEach(*fresh, {"SET SESSION group_concat_max_len = 4"}).ok());
  EXPECT_EQ(Query(*fresh, "SELECT GROUP_CONCAT(REPEAT('x', 10)) AS g FROM t").rows.at(0).at(0), "xxxx");
  const ReadCounts later = Reads();
  EXPECT_EQ(Delta(later, after, "master"), 0) << Metrics();
  EXPECT_EQ(Delta(later, after, "slave1") + Delta(later, after, "slave2"), 3) << Metrics();
}

TEST_F(EndpointRoutingTest, ASessionNeverReadsASlaveThatLacksItsOwnWrite) {
  // Hold slave2's applier back: a lock on the table it must write.
  std::unique_ptr<sql::Connection> blocker = cluster_->slave_db(1).Connect("r");
  std::unique_ptr<sql::Statement> lock(blocker->createStatement());
  lock->execute("LOCK TABLES t WRITE");
  std::unique_ptr<MySqlConnection> endpoint = Endpoint();
  ASSERT_TRUE(endpoint);
  const ReadCounts before = Reads();
  for (int i = 2; i <= 7; ++i) {
    ASSERT_TRUE(ExecuteEach(*endpoint, {"INSERT INTO t (id) VALUES (" + std::to_string(i) + ")"}).ok());
    EXPECT_EQ(Query(*endpoint, "SELECT COUNT(*) FROM t").rows.at(0).at(0), std::to_string(i))
        << "a read missed the session's own write";
  }
  ReadCounts after = Reads();
  EXPECT_EQ(Delta(after, before, "slave2"), 0) << "the lagging slave answered\n" << Metrics();
  EXPECT_GE(Delta(after, before, "slave1"), 1) << Metrics();
  // With slave1 gone too, no slave has the write: the master answers.
  cluster_->StopSlave(0);
  ASSERT_TRUE(ExecuteEach(*endpoint, {"INSERT INTO t (id) VALUES (8)"}).ok());
  EXPECT_EQ(Query(*endpoint, "SELECT COUNT(*) FROM t").rows.at(0).at(0), "8");
  const ReadCounts last = Reads();
  EXPECT_EQ(Delta(last, after, "master"), 1) << Metrics();
  EXPECT_EQ(Delta(last, after, "fallbacks"), 1) << Metrics();
  lock->execute("UNLOCK TABLES");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30), {1}));
}

TEST_F(EndpointRoutingTest, SysbenchReadOnlySendsMostReadsToTheSlaves) {
  const std::vector<std::string> common = {"--db-driver=mysql",
                                           "--mysql-host=127.0.0.1",
                                           "--mysql-port=" + std::to_string(cluster_->client_port()),
                                           "--mysql-user=app",
                                           "--mysql-password=app-pw",
                                           "--mysql-db=r",
                                           "--tables=2",
                                           "--table-size=1000"};
  auto sysbench = [&](const std::string& command, std::vector<std::string> extra) {
    std::vector<std::string> argv = {"sysbench", "oltp_read_only"};
    argv.insert(argv.end(), common.begin(), common.end());
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(command);
    return Run(argv, seconds(60));
  };
  const ProgramRun prepared = sysbench("prepare", {});
  ASSERT_EQ(prepared.exit_code, 0) << prepared.output;
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)));
  // Default --db-ps-mode (server-side prepared statements). Outside
  // BEGIN ... COMMIT (--skip_trx) the reads may go to the slaves; inside
  // they stay on the master, as in ProxySQL and MaxScale.
  auto master_prepares = [&] {
    return std::stod(
        cluster_->master_db().QueryValue("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE "
                                         "VARIABLE_NAME = 'COM_STMT_PREPARE'"));
  };
  for (const bool skip_trx : {true, false}) {
    const ReadCounts before = Reads();
    const double prepares_before = master_prepares();
    const ProgramRun run = sysbench("run", {"--threads=4", "--time=8", "--report-interval=0",
                                            std::string("--skip_trx=") + (skip_trx ? "on" : "off")});
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_EQ(run.output.find("FATAL"), std::string::npos) << run.output;
    const ReadCounts after = Reads();
    double slaves = 0;
    double total = 0;
    for (const auto& [node, reads] : after) {
      if (node == "fallbacks") continue;
      const double delta = Delta(after, before, node);
      total += delta;
      if (node != "master") slaves += delta;
    }
    std::cout << "oltp_read_only, skip_trx " << (skip_trx ? "on" : "off") << ": " << slaves << " of " << total
              << " reads answered by slaves" << std::endl;
    ASSERT_GT(total, 1000) << run.output;
    if (skip_trx) {
      EXPECT_GE(slaves / total, 0.6) << Metrics();
      // The endpoint user's own account checked each prepared statement's
      // privileges when it was prepared: its executions go to a slave
      // without asking the master again (a prepare per routed read).
      EXPECT_LT(master_prepares() - prepares_before, slaves / 10) << Metrics();
    } else {
      EXPECT_EQ(slaves, 0) << Metrics();
    }
  }
}

}  // namespace
}  // namespace ddb::testing
