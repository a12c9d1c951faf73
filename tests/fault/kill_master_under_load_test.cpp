// The master daemon killed (SIGKILL) while 16 clients commit through its MySQL
// endpoint, five times over. What a client was told is committed must be on
// every node once the master is back; what it was not told about may or may
// not be there, but the same everywhere and never in part.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "cluster.h"
#include "endpoint_clients.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kClients = 16;
constexpr int kKills = 5;
constexpr int kPartsPerTransaction = 3;

// What one client was told. Owned by its thread while the load runs.
struct ClientRecord {
  std::vector<int64_t> acked_singles;       // autocommit INSERTs answered OK
  std::vector<int64_t> acked_transactions;  // transactions whose COMMIT answered OK
  int64_t in_doubt = 0;  // writes whose answer was lost with the master: either outcome is allowed
  ClientTally tally;     // failures other than a lost master
};

// Client `client` writes until `stop`: two autocommit INSERTs of its own keys,
// then a transaction of three INSERTs and an UPDATE of its own counter row,
// over and over. When the master goes away it reconnects (for as long as it
// takes the test to restart it) and goes on with new keys: a write whose
// answer was lost is not retried, because its outcome is unknown.
void RunClient(Cluster& cluster, int client, const std::atomic<bool>& stop,
               std::atomic<int64_t>* acknowledged, ClientRecord* record) {
  const MySqlEndpoint endpoint = ClientEndpoint(cluster, "k");
  std::unique_ptr<MySqlConnection> connection;
  for (int64_t n = 1; !stop; ++n) {
    while (!connection && !stop) connection = ConnectWithin(endpoint, milliseconds(500));
    if (stop) break;
    const int64_t key = int64_t{client} * 10'000'000 + n;
    const bool transaction = n % 3 == 0;
    std::vector<std::string> statements;
    if (transaction) {
      statements.push_back("BEGIN");
      for (int part = 1; part <= kPartsPerTransaction; ++part) {
        statements.push_back("INSERT INTO multi (txn, part) VALUES (" + std::to_string(key) + ", " +
                             std::to_string(part) + ")");
      }
      statements.push_back("UPDATE counters SET txns = txns + 1 WHERE client = " + std::to_string(client));
      statements.push_back("COMMIT");
    } else {
      statements.push_back("INSERT INTO single (id, client) VALUES (" + std::to_string(key) + ", " +
                           std::to_string(client) + ")");
    }
    const Status s = ExecuteEach(*connection, statements);
    if (s.ok()) {
      (transaction ? record->acked_transactions : record->acked_singles).push_back(key);
      ++*acknowledged;
    } else if (IsConnectionLost(s)) {
      ++record->in_doubt;
      connection.reset();
    } else {
      record->tally.Count(s, statements[transaction ? 1 : 0]);
      if (transaction)
        static_cast<void>(
            connection->Execute("ROLLBACK"));  // failing, it lost the connection and the transaction with it
    }
  }
}

// One node's view of the tables the clients wrote.
struct NodeRows {
  std::set<int64_t> singles;
  std::map<int64_t, int> parts;     // txn -> rows of it
  std::map<int, int64_t> counters;  // client -> txns
};

NodeRows ReadRows(const MariaDbInstance& db) {
  NodeRows rows;
  for (const auto& row : db.Query("SELECT id FROM k.single")) rows.singles.insert(std::stoll(row.at(0)));
  for (const auto& row : db.Query("SELECT txn, COUNT(*) FROM k.multi GROUP BY txn")) {
    rows.parts[std::stoll(row.at(0))] = std::stoi(row.at(1));
  }
  for (const auto& row : db.Query("SELECT client, txns FROM k.counters")) {
    rows.counters[std::stoi(row.at(0))] = std::stoll(row.at(1));
  }
  return rows;
}

// Every acknowledged write is on `node`, and every transaction there is whole:
// all its rows, and counted once in its client's counter.
void ExpectAcknowledgedWritesWhole(const std::string& node, const NodeRows& rows,
                                   const std::vector<ClientRecord>& records) {
  int missing_singles = 0, missing_transactions = 0;
  for (const ClientRecord& record : records) {
    for (int64_t key : record.acked_singles) missing_singles += rows.singles.count(key) == 0;
    for (int64_t key : record.acked_transactions) missing_transactions += rows.parts.count(key) == 0;
  }
  EXPECT_EQ(missing_singles, 0) << "acknowledged autocommit inserts missing on " << node;
  EXPECT_EQ(missing_transactions, 0) << "acknowledged transactions missing on " << node;
  std::map<int, int64_t> transactions_per_client;
  for (const auto& [txn, parts] : rows.parts) {
    EXPECT_EQ(parts, kPartsPerTransaction) << "transaction " << txn << " is partly on " << node;
    ++transactions_per_client[static_cast<int>(txn / 10'000'000)];
  }
  for (int client = 0; client < kClients; ++client) {
    EXPECT_EQ(rows.counters.at(client), transactions_per_client[client])
        << "client " << client << "'s counter on " << node << " disagrees with its transactions' rows";
  }
}

TEST(KillMasterUnderLoadTest, AcknowledgedCommitsSurviveFiveKillsOfTheMasterAndEveryNodeEndsEqual) {
  ClusterOptions options;
  options.mysql_endpoint = true;
  Cluster cluster(options);
  cluster.StartAll();
  std::string counters = "INSERT INTO k.counters VALUES ";
  for (int client = 0; client < kClients; ++client)
    counters += (client ? ", (" : "(") + std::to_string(client) + ", 0)";
  cluster.SqlAndWait(
      "CREATE DATABASE k;\n"
      "CREATE TABLE k.single (id BIGINT PRIMARY KEY, client INT NOT NULL);\n"
      "CREATE TABLE k.multi (txn BIGINT NOT NULL, part INT NOT NULL, PRIMARY KEY (txn, part));\n"
      "CREATE TABLE k.counters (client INT PRIMARY KEY, txns BIGINT NOT NULL);\n" +
      counters + ";");
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60)));
  const uint64_t base = cluster.MasterLastSeq();

  std::vector<ClientRecord> records(kClients);
  std::atomic<int64_t> acknowledged{0};
  // Waits until the clients have had `count` more writes acknowledged.
  auto let_clients_commit = [&](int64_t count) {
    const int64_t until = acknowledged + count;
    return WaitFor([&] { return acknowledged >= until; }, seconds(60), milliseconds(5));
  };
  {
    ClientThreads clients(kClients, [&](int i, const std::atomic<bool>& stop) {
      RunClient(cluster, i, stop, &acknowledged, &records[i]);
    });
    for (int kill = 1; kill <= kKills; ++kill) {
      // Kill at a moment set by the clients' progress, not by a timer: mid
      // stream, with commits in flight, however fast the machine is.
      ASSERT_TRUE(let_clients_commit(500)) << "round " << kill << ": clients stalled\n"
                                           << cluster.MasterLog();
      cluster.KillMaster();
      cluster.StartMaster();
    }
    ASSERT_TRUE(let_clients_commit(300)) << "clients stalled after the last restart\n" << cluster.MasterLog();
  }

  ClientTally tally;
  int64_t singles = 0, transactions = 0, in_doubt = 0;
  for (const ClientRecord& record : records) {
    tally += record.tally;
    singles += static_cast<int64_t>(record.acked_singles.size());
    transactions += static_cast<int64_t>(record.acked_transactions.size());
    in_doubt += record.in_doubt;
  }
  std::cout << "acknowledged: " << singles << " inserts, " << transactions
            << " transactions; in doubt: " << in_doubt << "; " << tally.Describe() << std::endl;
  EXPECT_EQ(tally.unexpected, 0) << tally.Describe();
  EXPECT_GE(in_doubt, kKills) << "each kill should have cut off some client mid-write";

  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(120)))
      << "master #" << cluster.MasterLastSeq() << ", slaves #" << cluster.SlaveSeq(0) << " and #"
      << cluster.SlaveSeq(1);
  const NodeRows master = ReadRows(cluster.master_db());
  std::cout << "committed without an answer to the client: "
            << static_cast<int64_t>(master.singles.size() + master.parts.size()) - singles - transactions
            << std::endl;
  ExpectAcknowledgedWritesWhole("the master", master, records);
  for (int i = 0; i < cluster.slave_count(); ++i) {
    ExpectAcknowledgedWritesWhole("slave" + std::to_string(i + 1), ReadRows(cluster.slave_db(i)), records);
  }
  for (const char* table : {"single", "multi", "counters"}) cluster.ExpectTableEqualEverywhere("k", table);
  // Every log record is one transaction that is in the tables, and every
  // transaction in the tables has its record: nothing committed unlogged.
  EXPECT_EQ(std::stoll(cluster.master_db().QueryValue(
                "SELECT COUNT(*) FROM ddb_meta.replication_log WHERE seq > " + std::to_string(base))),
            static_cast<int64_t>(master.singles.size() + master.parts.size()));
}

}  // namespace
}  // namespace ddb::testing
