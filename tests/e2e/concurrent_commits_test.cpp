// Many clients commit at once through the master's MySQL endpoint. Whatever
// order their COMMITs reach InnoDB in, the slaves must replay a history that
// gives the master's data: the log's order has to respect every conflict
// (row locks, locking reads of INSERT ... SELECT; ddl_racing_dml_test.cpp
// adds the metadata locks of DDL).
// Each workload records values that depend on the order it ran in, so a log
// published out of order shows as a table that differs on a slave, not only
// as a wrong total.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <set>

#include "cluster.h"
#include "endpoint_clients.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string Str(int64_t value) { return std::to_string(value); }

class ConcurrentCommitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions options;
    options.mysql_endpoint = true;
    cluster_ = std::make_unique<Cluster>(options);
    cluster_->StartAll();
  }

  // Set-up through the endpoint, so it is logged and reaches the slaves like
  // the load that follows.
  void Prepare(const std::vector<std::string>& statements) {
    const Status s = ExecuteThroughEndpoint(*cluster_, statements);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // The log rows written after `seq`: one per acknowledged commit, none for
  // a rollback or a failed transaction. (Counted, not subtracted: a log
  // that leaves gaps for transactions that never committed is allowed.)
  int64_t LogRecordsAfter(uint64_t seq) {
    return std::stoll(cluster_->master_db().QueryValue(
        "SELECT COUNT(*) FROM ddb_meta.replication_log WHERE seq > " + std::to_string(seq)));
  }

  void ExpectEqualEverywhere(const std::string& db, const std::vector<std::string>& tables) {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(120)))
        << "master #" << cluster_->MasterLastSeq() << ", slaves #" << cluster_->SlaveSeq(0) << " and #"
        << cluster_->SlaveSeq(1) << "\n"
        << cluster_->SlaveLog(0);
    for (const std::string& table : tables) cluster_->ExpectTableEqualEverywhere(db, table);
  }

  std::unique_ptr<Cluster> cluster_;
};

// --- Bank: transfers between 50 accounts, most of them on 5 hot ones. -----

constexpr int kAccounts = 50;
constexpr int kHotAccounts = 5;
constexpr int64_t kOpeningBalance = 1000;
constexpr int64_t kBankTotal = kAccounts * kOpeningBalance;

// One client's transfers until `stop`. Three shapes: an explicit transaction
// that also records both balances after the transfer (INSERT ... SELECT: its
// values depend on which transfers ran before, so a slave that replays
// conflicting transfers in another order gets another `transfers` table), the
// same rolled back on purpose, and a single autocommit UPDATE. Each committed
// transfer carries the client's count of them (client_seq): the client waits
// for one COMMIT before it starts the next, so the next always has the larger
// sequence number, and a slave that shows a client's transfer without all of
// its earlier ones applied a record before a smaller one.
void RunTransfers(Cluster& cluster, int client, const std::atomic<bool>& stop, ClientTally* tally) {
  std::mt19937 random(7000 + client);  // fixed seeds: a failure replays alike
  Status error;
  std::unique_ptr<MySqlConnection> connection =
      ConnectWithin(ClientEndpoint(cluster, "bank"), seconds(30), &error);
  if (!connection) return tally->Count(error, "connect");
  // Bounded waits: a commit path that stalls shows as counted timeouts in
  // the failure message instead of a test that runs into ctest's timeout.
  if (Status s = connection->Execute("SET SESSION innodb_lock_wait_timeout = 10"); !s.ok()) {
    return tally->Count(s, "SET innodb_lock_wait_timeout");
  }
  auto account = [&] {
    const bool hot = std::uniform_int_distribution<int>(0, 1)(random) == 0;
    return std::uniform_int_distribution<int>(1, hot ? kHotAccounts : kAccounts)(random);
  };
  for (int64_t committed = 0; !stop;) {
    const int src = account();
    int dst = account();
    if (dst == src) dst = src % kAccounts + 1;
    const std::string amount = Str(std::uniform_int_distribution<int>(1, 100)(random));
    const int shape = std::uniform_int_distribution<int>(0, 9)(random);
    if (shape < 2) {
      const std::string sql = "UPDATE accounts SET balance = balance + CASE id WHEN " + Str(src) + " THEN -" +
                              amount + " ELSE " + amount + " END WHERE id IN (" + Str(src) + ", " + Str(dst) +
                              ")";
      if (Status s = connection->Execute(sql); s.ok()) {
        ++tally->commits;
      } else {
        tally->Count(s, sql);
      }
      continue;
    }
    const bool roll_back = shape == 2;
    const std::vector<std::string> transfer = {
        "BEGIN", "UPDATE accounts SET balance = balance - " + amount + " WHERE id = " + Str(src),
        "UPDATE accounts SET balance = balance + " + amount + " WHERE id = " + Str(dst),
        "INSERT INTO transfers (client, client_seq, src, dst, amount, src_after, dst_after) SELECT " +
            Str(client) + ", " + Str(committed + 1) + ", s.id, d.id, " + amount +
            ", s.balance, d.balance FROM accounts s JOIN accounts d ON s.id = " + Str(src) +
            " AND d.id = " + Str(dst),
        roll_back ? "ROLLBACK" : "COMMIT"};
    if (Status s = ExecuteEach(*connection, transfer); !s.ok()) {
      tally->Count(s, "a transfer " + Str(src) + " -> " + Str(dst));
      // A deadlock has already rolled everything back; a lock wait timeout
      // only the statement. Either way the transaction ends here.
      static_cast<void>(
          connection->Execute("ROLLBACK"));  // failing, it lost the connection and the transaction with it
    } else if (roll_back) {
      ++tally->rollbacks;
    } else {
      ++tally->commits;
      ++committed;
    }
  }
}

TEST_F(ConcurrentCommitsTest, BankTransfersFromSixteenClientsKeepTheTotalAndEveryNodeEqual) {
  std::string accounts = "INSERT INTO bank.accounts VALUES ";
  for (int id = 1; id <= kAccounts; ++id) {
    accounts += (id > 1 ? ", (" : "(") + Str(id) + ", " + Str(kOpeningBalance) + ")";
  }
  Prepare({"CREATE DATABASE bank", "CREATE TABLE bank.accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)",
           "CREATE TABLE bank.transfers (id BIGINT AUTO_INCREMENT PRIMARY KEY, client INT NOT NULL, "
           "client_seq BIGINT NOT NULL, src INT NOT NULL, dst INT NOT NULL, amount INT NOT NULL, "
           "src_after BIGINT NOT NULL, dst_after BIGINT NOT NULL, UNIQUE KEY (client, client_seq))",
           accounts});
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)));
  const uint64_t base = cluster_->MasterLastSeq();

  constexpr int kClients = 16;
  std::vector<ClientTally> tallies(kClients);
  // What the slaves showed while the load ran, each from one snapshot: the
  // total, and how many clients had a transfer there without all earlier ones.
  const std::string observe =
      "SELECT CONCAT((SELECT SUM(balance) FROM bank.accounts), ' total, ', (SELECT COUNT(*) FROM (SELECT "
      "client FROM "
      "bank.transfers GROUP BY client HAVING COUNT(*) <> MAX(client_seq)) AS holes), ' clients with holes')";
  std::set<std::string> observed;
  {
    ClientThreads clients(kClients, [&](int i, const std::atomic<bool>& stop) {
      RunTransfers(*cluster_, i, stop, &tallies[i]);
    });
    // The test's own thread watches the slaves for the 20 s of load: a slave
    // applies each transfer whole and in order, so it never shows another
    // total or a client's transfers with a hole.
    const auto end = std::chrono::steady_clock::now() + seconds(20);
    int poll = 0;
    WaitFor(
        [&] {
          observed.insert(cluster_->slave_db(poll++ % cluster_->slave_count()).QueryValue(observe));
          return std::chrono::steady_clock::now() >= end;
        },
        seconds(30), milliseconds(20));
  }
  ClientTally total;
  for (const ClientTally& tally : tallies) total += tally;
  std::cout << "bank: " << total.Describe() << std::endl;

  EXPECT_EQ(total.unexpected, 0) << total.Describe();
  // ~16 clients x 20 s: far more on any machine that runs these tests; the
  // bound keeps a run where almost nothing committed from passing.
  EXPECT_GT(total.commits, 1000) << total.Describe();
  EXPECT_GT(total.rollbacks, 20) << total.Describe();
  EXPECT_EQ(observed, std::set<std::string>{Str(kBankTotal) + " total, 0 clients with holes"});
  EXPECT_EQ(LogRecordsAfter(base), total.commits) << "one log record per acknowledged commit";

  ExpectEqualEverywhere("bank", {"accounts", "transfers"});
  const std::string sum = "SELECT SUM(balance) FROM bank.accounts";
  EXPECT_EQ(cluster_->master_db().QueryValue(sum), Str(kBankTotal));
  for (int i = 0; i < cluster_->slave_count(); ++i)
    EXPECT_EQ(cluster_->slave_db(i).QueryValue(sum), Str(kBankTotal));
}

// --- Writers on tables of their own, readers copying across them. --------

constexpr int kWriters = 8;
constexpr int kReaders = 4;

std::string WriterTable(int writer) { return "w" + Str(writer); }

// Writer `writer` owns table w<writer>: its transactions never conflict with
// another writer's, so their COMMITs may reach InnoDB in any order relative
// to the sequence numbers they were given. Each adds rows and bumps one it
// added before (every fifth is a single autocommit INSERT).
void RunOwnTableWriter(Cluster& cluster, int writer, const std::atomic<bool>& stop, ClientTally* tally) {
  std::mt19937 random(8000 + writer);
  Status error;
  std::unique_ptr<MySqlConnection> connection =
      ConnectWithin(ClientEndpoint(cluster, "o"), seconds(30), &error);
  if (!connection) return tally->Count(error, "connect");
  const std::string table = WriterTable(writer);
  for (int64_t next_key = 1; !stop;) {
    std::vector<std::string> statements;
    const bool autocommit = next_key % 5 == 0;
    if (!autocommit) statements.push_back("BEGIN");
    const int rows = autocommit ? 1 : std::uniform_int_distribution<int>(1, 3)(random);
    for (int i = 0; i < rows; ++i, ++next_key) {
      statements.push_back("INSERT INTO " + table + " (k, v) VALUES (" + Str(next_key) + ", " +
                           Str(next_key % 7) + ")");
    }
    if (!autocommit) {
      const int64_t earlier = std::uniform_int_distribution<int64_t>(1, next_key - 1)(random);
      statements.push_back("UPDATE " + table + " SET v = v + 1 WHERE k = " + Str(earlier));
      statements.push_back("COMMIT");
    }
    if (Status s = ExecuteEach(*connection, statements); s.ok()) {
      ++tally->commits;
    } else {
      // Readers' shared locks cover whole tables, so a writer can deadlock
      // with one; its keys are then simply not used again.
      tally->Count(s, "a transaction on " + table);
      static_cast<void>(
          connection->Execute("ROLLBACK"));  // failing, it lost the connection and the transaction with it
    }
  }
}

// Reader `reader` copies what it sees of two writers' tables into `summary`
// with INSERT ... SELECT in three forms (one table, a scalar subquery per
// table, a join). These read with shared locks at REPEATABLE READ, so a
// writer's commit on a table the reader read is ordered before or after the
// reader's whole transaction, never across it; a slave that replays them in
// another order writes other numbers into `summary`.
void RunCrossTableReader(Cluster& cluster, int reader, const std::atomic<bool>& stop, ClientTally* tally) {
  std::mt19937 random(9000 + reader);
  Status error;
  std::unique_ptr<MySqlConnection> connection =
      ConnectWithin(ClientEndpoint(cluster, "o"), seconds(30), &error);
  if (!connection) return tally->Count(error, "connect");
  for (int64_t n = 1; !stop; n += 2) {
    const std::string a = WriterTable(std::uniform_int_distribution<int>(0, kWriters - 1)(random));
    const std::string b = WriterTable(std::uniform_int_distribution<int>(0, kWriters - 1)(random));
    const std::string into = "INSERT INTO summary (reader, n, rows_seen, v_sum) SELECT " + Str(reader) + ", ";
    std::string second;
    switch (n % 3) {
      case 0: second = into + Str(n + 1) + ", COUNT(*), COALESCE(SUM(v), 0) FROM " + b; break;
      case 1:
        second = into + Str(n + 1) + ", (SELECT COUNT(*) FROM " + a + "), (SELECT COALESCE(SUM(v), 0) FROM " +
                 b + ")";
        break;
      default:
        second = into + Str(n + 1) + ", COUNT(*), COALESCE(SUM(x.v * 10 + y.v), 0) FROM " + a + " x JOIN " +
                 b + " y ON y.k = x.k";
    }
    const std::vector<std::string> statements = {
        "BEGIN", into + Str(n) + ", COUNT(*), COALESCE(SUM(v), 0) FROM " + a, second, "COMMIT"};
    if (Status s = ExecuteEach(*connection, statements); s.ok()) {
      ++tally->commits;
    } else {
      tally->Count(s, "a summary of " + a + " and " + b);
      static_cast<void>(
          connection->Execute("ROLLBACK"));  // failing, it lost the connection and the transaction with it
    }
  }
}

TEST_F(ConcurrentCommitsTest, CommitsOnDisjointTablesAndCrossTableReadersReplayToEqualNodes) {
  std::vector<std::string> schema = {
      "CREATE DATABASE o",
      "CREATE TABLE o.summary (reader INT NOT NULL, n BIGINT NOT NULL, rows_seen BIGINT "
      "NOT NULL, v_sum BIGINT NOT NULL, PRIMARY KEY (reader, n))"};
  for (int w = 0; w < kWriters; ++w) {
    schema.push_back("CREATE TABLE o." + WriterTable(w) + " (k BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
  }
  Prepare(schema);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)));
  const uint64_t base = cluster_->MasterLastSeq();

  std::vector<ClientTally> writers(kWriters), readers(kReaders);
  {
    ClientThreads clients(kWriters + kReaders, [&](int i, const std::atomic<bool>& stop) {
      if (i < kWriters) return RunOwnTableWriter(*cluster_, i, stop, &writers[i]);
      RunCrossTableReader(*cluster_, i - kWriters, stop, &readers[i - kWriters]);
    });
    // A fixed 15 s of load: its length is the point, not a state to wait for.
    const auto end = std::chrono::steady_clock::now() + seconds(15);
    WaitFor([&] { return std::chrono::steady_clock::now() >= end; }, seconds(20), milliseconds(200));
  }
  ClientTally writes, reads;
  for (const ClientTally& tally : writers) writes += tally;
  for (const ClientTally& tally : readers) reads += tally;
  std::cout << "writers: " << writes.Describe() << "\nreaders: " << reads.Describe() << std::endl;

  EXPECT_EQ(writes.unexpected, 0) << writes.Describe();
  EXPECT_EQ(reads.unexpected, 0) << reads.Describe();
  EXPECT_GT(writes.commits, 400) << writes.Describe();
  EXPECT_GT(reads.commits, 40) << reads.Describe();
  EXPECT_EQ(LogRecordsAfter(base), writes.commits + reads.commits)
      << "one log record per acknowledged commit";

  std::vector<std::string> tables = {"summary"};
  for (int w = 0; w < kWriters; ++w) tables.push_back(WriterTable(w));
  ExpectEqualEverywhere("o", tables);
}

// With the readers above at READ COMMITTED, INSERT ... SELECT reads without
// locks, a writer's commit can land between a reader's read and its commit
// with a smaller sequence number, and `summary` differs on both slaves (seen
// when the readers ran SET SESSION TRANSACTION ISOLATION LEVEL READ
// COMMITTED first). docs/architecture.md ("The write path"): such a session is refused with the reason.
TEST_F(ConcurrentCommitsTest, SessionsCannotLeaveRepeatableRead) {
  Status error;
  std::unique_ptr<MySqlConnection> connection = ConnectWithin(ClientEndpoint(*cluster_), seconds(30), &error);
  ASSERT_TRUE(connection) << error.ToString();
  for (const char* sql :
       {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
        "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED", "SET SESSION tx_isolation = 'READ-COMMITTED'",
        "SET @@session.tx_isolation = 'READ-UNCOMMITTED'"}) {
    const Status refused = connection->Execute(sql);
    EXPECT_FALSE(refused.ok()) << sql << " was run";
    EXPECT_NE(refused.message().find("REPEATABLE READ"), std::string::npos) << refused.ToString();
  }
  QueryResult level;
  ASSERT_TRUE(connection->Execute("SELECT @@session.tx_isolation", &level).ok());
  EXPECT_EQ(level.rows.at(0).at(0).value_or(""), "REPEATABLE-READ");
}

}  // namespace
}  // namespace ddb::testing
