// ALTER TABLE from one client while eight others insert into the same table
// through the master's endpoint. DDL is a barrier in the log: every insert
// is logged wholly before or wholly after each ALTER, in the order MariaDB's
// metadata locks imposed, so no slave's applier ever meets an insert that
// does not fit the table's shape at that point of its history.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <thread>

#include "cluster.h"
#include "endpoint_clients.h"
#include "http_client.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kInserters = 8;
constexpr int kErrorUnknownColumn = 1054;

// Column and index changes of every kind InnoDB has: instant, in place, and
// a full table copy. The first ADD INDEX takes LOCK = SHARED (no writes for
// its length, one metadata lock wait); the last index change is online, with
// a second wait at its end: each wait is a chance for the master's DDL retry
// to starve (see the DISABLED_ test), so only one ALTER has two.
const std::vector<std::string> kAlters = {
    "ALTER TABLE t ADD COLUMN c1 BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE t ADD COLUMN c2 VARCHAR(20) DEFAULT 'two'",
    "ALTER TABLE t ADD INDEX by_writer (writer, n), LOCK = SHARED",
    "ALTER TABLE t ADD COLUMN c3 BIGINT DEFAULT 3, ALGORITHM = COPY",
    "ALTER TABLE t MODIFY COLUMN c2 VARCHAR(40) DEFAULT 'two'",
    "ALTER TABLE t DROP INDEX by_writer, ADD UNIQUE INDEX by_n (writer, n, id)",
};

std::string Str(int64_t value) { return std::to_string(value); }

// What the inserters saw; written by their threads, read after they joined.
struct InsertLoad {
  std::vector<ClientTally> tallies = std::vector<ClientTally>(kInserters);
  std::atomic<int64_t> acknowledged{0};
  std::atomic<int64_t> with_c1{0};  // acknowledged inserts that named c1
};

// Inserts rows naming only the columns the table starts with: single
// statements, pairs in a transaction, and an insert plus an UPDATE of it by
// LAST_INSERT_ID(). Every fourth names c1, which fails (1054) until the
// ALTER that adds c1 and succeeds after it: a slave that ran one of those
// before that ALTER would stop on the error. Between two transactions the
// client pauses up to `max_pause` (0: never).
void RunInserter(Cluster& cluster, int writer, milliseconds max_pause, const std::atomic<bool>& stop,
                 InsertLoad* load) {
  ClientTally& tally = load->tallies[writer];
  std::mt19937 random(5000 + writer);
  Status error;
  std::unique_ptr<MySqlConnection> connection =
      ConnectWithin(ClientEndpoint(cluster, "d"), seconds(30), &error);
  if (!connection) return tally.Count(error, "connect");
  const std::string row = "INSERT INTO t (writer, n) VALUES (" + Str(writer) + ", ";
  for (int64_t n = 1; !stop; n += 2) {
    std::vector<std::string> statements;
    switch (n % 8) {
      case 1: statements = {row + Str(n) + ")"}; break;
      case 3: statements = {"BEGIN", row + Str(n) + ")", row + Str(n + 1) + ")", "COMMIT"}; break;
      case 5:
        statements = {"INSERT INTO t (writer, n, c1) VALUES (" + Str(writer) + ", " + Str(n) + ", " + Str(n) +
                      ")"};
        break;
      default:
        statements = {"START TRANSACTION", row + Str(n) + ")",
                      "UPDATE t SET n = n + 1 WHERE id = LAST_INSERT_ID()", "COMMIT"};
    }
    if (Status s = ExecuteEach(*connection, statements); s.ok()) {
      ++tally.commits;
      ++load->acknowledged;
      if (n % 8 == 5) ++load->with_c1;
    } else {
      tally.Count(s, statements.size() == 1 ? statements[0] : statements[1], {kErrorUnknownColumn});
      if (statements.size() > 1)
        static_cast<void>(
            connection->Execute("ROLLBACK"));  // failing, it lost the connection and the transaction with it
    }
    // Pacing, not waiting for a state: how often the table has no open
    // transaction at all (see the DISABLED_ test below).
    if (max_pause.count() > 0) {
      std::this_thread::sleep_for(
          milliseconds(std::uniform_int_distribution<int64_t>(0, max_pause.count())(random)));
    }
  }
}

class DdlRacingDmlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions options;
    options.mysql_endpoint = true;
    cluster_ = std::make_unique<Cluster>(options);
    cluster_->StartAll();
    const Status s = ExecuteThroughEndpoint(
        *cluster_,
        {"CREATE DATABASE d",
         "CREATE TABLE d.t (id INT AUTO_INCREMENT PRIMARY KEY, writer INT NOT NULL, n BIGINT NOT NULL)"});
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)));
  }

  // Runs kAlters one after another from one client while kInserters insert
  // (each pausing up to `max_pause` between transactions), with 100 inserts
  // acknowledged before the first ALTER, between two and after the last. An
  // ALTER gives up after `lock_wait_seconds` (ddb retries one whose metadata
  // lock is busy for as long as the session's lock_wait_timeout).
  void AltersAmongInserters(milliseconds max_pause, int lock_wait_seconds, InsertLoad* load) {
    auto let_inserts_commit = [&](int64_t count) {
      const int64_t until = load->acknowledged + count;
      return WaitFor([&] { return load->acknowledged >= until; }, seconds(30), milliseconds(10));
    };
    ClientThreads clients(kInserters, [&](int i, const std::atomic<bool>& stop) {
      RunInserter(*cluster_, i, max_pause, stop, load);
    });
    Status error;
    std::unique_ptr<MySqlConnection> ddl = ConnectWithin(ClientEndpoint(*cluster_, "d"), seconds(30), &error);
    ASSERT_TRUE(ddl) << error.ToString();
    ASSERT_TRUE(ddl->Execute("SET SESSION lock_wait_timeout = " + Str(lock_wait_seconds)).ok());
    ASSERT_TRUE(let_inserts_commit(100));
    for (const std::string& alter : kAlters) {
      const auto started = std::chrono::steady_clock::now();
      const Status s = ddl->Execute(alter);
      const auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
      ASSERT_TRUE(s.ok()) << alter << " (after " << took.count() << " ms): " << s.ToString();
      std::cout << alter << ": " << took.count() << " ms" << std::endl;
      ASSERT_TRUE(let_inserts_commit(100)) << "no inserts commit after " << alter;
    }
  }

  std::unique_ptr<Cluster> cluster_;
};

TEST_F(DdlRacingDmlTest, AlterTableAmongEightInsertersNeverStopsASlavesApplierAndEveryNodeEndsEqual) {
  ApplierWatch watch(*cluster_);  // outlives the load: it watches the whole run
  InsertLoad load;
  AltersAmongInserters(milliseconds(100), 60, &load);
  if (HasFatalFailure()) return;
  ClientTally total;
  for (const ClientTally& tally : load.tallies) total += tally;
  std::cout << "inserters: " << total.Describe() << "; naming c1: " << load.with_c1 << std::endl;

  EXPECT_EQ(total.unexpected, 0) << total.Describe();
  EXPECT_GT(load.with_c1, 0) << "no insert naming c1 ran after the ALTER that added it";
  EXPECT_GT(total.other_expected, 0) << "no insert naming c1 ran before the ALTER that added it";
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(120)))
      << "master #" << cluster_->MasterLastSeq() << ", slaves #" << cluster_->SlaveSeq(0) << " and #"
      << cluster_->SlaveSeq(1) << "\n"
      << cluster_->SlaveLog(0);
  EXPECT_EQ(watch.FirstError(), "") << "a slave's applier stopped on an error";
  cluster_->ExpectTableEqualEverywhere("d", "t");
  const std::string schema = cluster_->master_db().Query("SHOW CREATE TABLE d.t").at(0).at(1);
  for (int i = 0; i < cluster_->slave_count(); ++i) {
    EXPECT_EQ(cluster_->slave_db(i).Query("SHOW CREATE TABLE d.t").at(0).at(1), schema) << "slave" << i + 1;
    EXPECT_EQ(cluster_->SlaveLog(i).find("applier stopped"), std::string::npos) << cluster_->SlaveLog(i);
    const std::string metrics = HttpGet(cluster_->slave_http_port(i), "/metrics").body;
    EXPECT_NE(metrics.find("ddb_slave_apply_errors_total 0\n"), std::string::npos) << metrics;
  }
}

// A DDL tries its metadata locks with lock_wait_timeout = 0 under the DDL
// barrier and backs off when they are busy; while eight clients insert
// without pausing, some transaction on the table is always open, so without
// the DDL gate (ddl_gate.h) every try failed and the ALTER gave up after the
// session's lock_wait_timeout. MariaDB alone queues the ALTER's exclusive
// metadata lock ahead of new inserts' shared ones; the gate does the same
// for every table while a DDL waits.
TEST_F(DdlRacingDmlTest, AlterTableCompletesWhileEightInsertersNeverPause) {
  InsertLoad load;
  AltersAmongInserters(milliseconds(0), 30, &load);
  if (HasFatalFailure()) return;
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(120)));
  cluster_->ExpectTableEqualEverywhere("d", "t");
}

}  // namespace
}  // namespace ddb::testing
