// Seeding a slave (ddb-slave --seed / --seed-from): a new slave gets a
// consistent copy of a node's data and position while clients keep writing
// on the master, then streams from exactly that position and ends equal to
// the master. A target that holds data is refused without --force; a source
// that cannot prove it belongs to the slave's cluster is refused.
#include <gtest/gtest.h>

#include "cluster.h"
#include "ddb/mysql/mysql_connection.h"
#include "endpoint_clients.h"
#include "file_text.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kNewSlave = 2;  // slave3: configured on the master, started only after its seed

class SeedingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MakeCluster();
    cluster_->StartMaster();
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
  }

  // Tables of every kind of value a copy can get wrong, a generated column
  // and a view, with rows, all written through the master.
  void CreateData() {
    std::vector<std::string> setup = {
        "CREATE DATABASE shop",
        "CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, client INT NOT NULL, n INT NOT NULL, "
        "name VARCHAR(100), price DECIMAL(30,10), data VARBINARY(64))",
        "CREATE TABLE shop.odd (id INT PRIMARY KEY, t TEXT, b BLOB, d DATETIME(6), f DOUBLE, bits BIT(8), "
        "e ENUM('a','b'), u VARCHAR(20) CHARACTER SET latin1, doubled INT AS (id * 2) PERSISTENT)",
        "INSERT INTO shop.odd (id, t, b, d, f, bits, e, u) VALUES (1, 'it''s\\na \\\\ \"line\";\\n', "
        "X'00FF27220A5C', '2024-01-02 "
        "03:04:05.123456', 1.5e-7, b'10100101', 'b', 'caf\xC3\xA9'), (2, '', X'', NULL, -0.1, b'0', NULL, "
        "NULL), (3, NULL, NULL, '0000-00-00 00:00:00', 1e300, NULL, 'a', '')",
        "CREATE VIEW shop.per_client AS SELECT client, COUNT(*) AS c FROM shop.items GROUP BY client",
        "CREATE DATABASE `we``ird db`",
        "CREATE TABLE `we``ird db`.`t``1` (a BIGINT UNSIGNED, b CHAR(3))",
        "INSERT INTO `we``ird db`.`t``1` VALUES (18446744073709551615, 'x y'), (NULL, NULL)",
    };
    for (int batch = 0; batch < 10; ++batch) {
      std::string insert = "INSERT INTO shop.items (client, n, name, price, data) VALUES ";
      for (int row = 0; row < 200; ++row) {
        const std::string n = std::to_string(batch * 200 + row);
        insert += (row ? ", " : "") + std::string("(9, ") + n + ", 'row " + n + "', 12345678901234567890." +
                  n + ", X'" + (row % 2 ? "00" : "FF") + "')";
      }
      setup.push_back(insert);
    }
    const Status s = ExecuteThroughEndpoint(*cluster_, setup);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // ddb-slave for slave3 with `args` after its config; its exit code and output.
  int RunSlaveCommand(const std::vector<std::string>& args, std::string* output) {
    std::vector<std::string> argv = {DDB_SLAVE_BINARY, "--config", cluster_->slave_config(kNewSlave).string(),
                                     "--master_http_address",
                                     "127.0.0.1:" + std::to_string(cluster_->master_http_port())};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess command(argv, cluster_->dir() / ("seed-" + std::to_string(++commands_) + ".log"));
    int code = -1;
    EXPECT_TRUE(command.WaitForExit(seconds(120), &code)) << "the seed did not end within 120 s";
    *output = command.ReadLog();
    return code;
  }

  // The first rows of shop.items that differ between the master and slave
  // `i`, for a failure message that shows what went wrong.
  std::string ItemsDifferences(int i) {
    const std::string query = "SELECT id, client, n, name, price, HEX(data) FROM shop.items ORDER BY id";
    const auto master = cluster_->master_db().Query(query);
    const auto slave = cluster_->slave_db(i).Query(query);
    std::string out = "master has " + std::to_string(master.size()) + " rows, slave" + std::to_string(i + 1) +
                      " " + std::to_string(slave.size()) + "\n";
    auto row_text = [](const std::vector<std::string>& row) {
      std::string text;
      for (const std::string& value : row) text += value + " | ";
      return text;
    };
    for (size_t r = 0, shown = 0; r < std::max(master.size(), slave.size()) && shown < 5; ++r) {
      const std::string m = r < master.size() ? row_text(master[r]) : "(none)";
      const std::string s = r < slave.size() ? row_text(slave[r]) : "(none)";
      if (m == s) continue;
      out += "master: " + m + "\nslave:  " + s + "\n";
      ++shown;
    }
    return out;
  }

  void ExpectEqualToTheMaster() {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(120), {0, kNewSlave}))
        << "master #" << cluster_->MasterLastSeq() << ", slave3 #" << cluster_->SlaveSeq(kNewSlave) << "\n"
        << cluster_->SlaveLog(kNewSlave);
    for (const char* table : {"items", "odd"})
      cluster_->ExpectTableEqualEverywhere("shop", table, {0, kNewSlave});
    if (HasFailure()) ADD_FAILURE() << ItemsDifferences(0) << ItemsDifferences(kNewSlave);
    cluster_->ExpectTableEqualEverywhere("we`ird db", "t`1", {kNewSlave});
    EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT SUM(c) FROM shop.per_client"),
              cluster_->master_db().QueryValue("SELECT SUM(c) FROM shop.per_client"));
    EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT SUM(doubled) FROM shop.odd"),
              cluster_->master_db().QueryValue("SELECT SUM(doubled) FROM shop.odd"));
  }

  // Three slaves, the endpoint on; nothing started.
  void MakeCluster() {
    ClusterOptions options;
    options.slaves = 3;
    options.mysql_endpoint = true;
    cluster_ = std::make_unique<Cluster>(options);
  }

  std::unique_ptr<Cluster> cluster_;
  int commands_ = 0;
};

// Each client inserts and updates its own rows, autocommit and in
// transactions, until stopped.
void Write(const Cluster& cluster, int client, const std::atomic<bool>& stop, ClientTally* tally) {
  Status error;
  std::unique_ptr<MySqlConnection> connection =
      ConnectWithin(ClientEndpoint(cluster, "shop"), seconds(30), &error);
  if (!connection) return tally->Count(error, "connect");
  const std::string c = std::to_string(client);
  for (int64_t n = 0; !stop; ++n) {
    const std::string v = std::to_string(n);
    const std::vector<std::string> work =
        n % 3 == 0
            ? std::vector<std::string>{"BEGIN",
                                       "INSERT INTO items (client, n, name, price, data) VALUES (" + c +
                                           ", " + v + ", 'tx " + v + "', " + v + ".5, X'0A0B')",
                                       "UPDATE items SET n = n + 1, price = price * 2 WHERE client = " + c +
                                           " ORDER BY id DESC LIMIT 2",
                                       "COMMIT"}
            : std::vector<std::string>{"INSERT INTO items (client, n, name) VALUES (" + c + ", " + v +
                                       ", 'it''s " + v + "')"};
    const Status s = ExecuteEach(*connection, work);
    if (s.ok()) {
      ++tally->commits;
    } else {
      tally->Count(s, work.back());
      static_cast<void>(connection->Execute("ROLLBACK"));  // a failed transaction ends here either way
    }
  }
}

TEST_F(SeedingTest, ANewSlaveSeededFromTheMasterWhileFourClientsWriteEndsEqualToIt) {
  CreateData();
  std::vector<ClientTally> tallies(4);
  auto clients = std::make_unique<ClientThreads>(
      4, [this, &tallies](int i, const std::atomic<bool>& stop) { Write(*cluster_, i, stop, &tallies[i]); });
  // Writes are under way before the snapshot starts.
  ASSERT_TRUE(WaitFor([this] { return cluster_->MasterLastSeq() > 200; }, seconds(60)));
  std::string output;
  const int code = RunSlaveCommand({"--seed"}, &output);
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("seed: snapshot of master at #"), std::string::npos) << output;
  EXPECT_NE(output.find("seed: target"), std::string::npos) << output;
  const uint64_t seeded = cluster_->SlaveSeq(kNewSlave);
  EXPECT_GT(seeded, 200u);
  EXPECT_NE(output.find("position #" + std::to_string(seeded)), std::string::npos) << output;
  // More writes after the snapshot, which the slave must stream.
  ASSERT_TRUE(WaitFor([this, seeded] { return cluster_->MasterLastSeq() > seeded + 100; }, seconds(60)));
  cluster_->StartSlave(kNewSlave);
  ASSERT_TRUE(WaitFor([this, seeded] { return cluster_->SlaveSeq(kNewSlave) > seeded; }, seconds(60)))
      << cluster_->SlaveLog(kNewSlave);
  clients->Stop();
  ClientTally total;
  for (const ClientTally& tally : tallies) total += tally;
  EXPECT_EQ(total.unexpected, 0) << total.Describe();
  EXPECT_GT(total.commits, 0);
  ExpectEqualToTheMaster();
}

TEST_F(SeedingTest, ANonEmptyTargetIsRefusedWithoutForceAndReplacedWithIt) {
  CreateData();
  cluster_->slave_db(kNewSlave).Execute("CREATE DATABASE stale");
  cluster_->slave_db(kNewSlave).Execute("CREATE TABLE stale.t (a INT)");
  std::string output;
  EXPECT_NE(RunSlaveCommand({"--seed"}, &output), 0);
  EXPECT_NE(output.find("is not empty (databases stale)"), std::string::npos) << output;
  EXPECT_NE(output.find("--force"), std::string::npos) << output;
  EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE "
                                                     "SCHEMA_NAME = 'stale'"),
            "1");

  ASSERT_EQ(RunSlaveCommand({"--seed", "--force"}, &output), 0) << output;
  EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE "
                                                     "SCHEMA_NAME = 'stale'"),
            "0");
  cluster_->StartSlave(kNewSlave);
  ExpectEqualToTheMaster();
}

TEST_F(SeedingTest, ASlaveSeededFromAnotherSlaveEndsEqualToTheMaster) {
  CreateData();
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60), {0}));
  std::string output;
  const std::string slave1 = "slave1=127.0.0.1:" + std::to_string(cluster_->slave_http_port(0));
  ASSERT_EQ(
      RunSlaveCommand({"--seed-from", "slave1", "--seed_sources", "slave9=127.0.0.1:1, " + slave1}, &output),
      0)
      << output;
  EXPECT_NE(output.find("seed: snapshot of slave1 at #" + std::to_string(cluster_->SlaveSeq(0))),
            std::string::npos)
      << output;
  EXPECT_NE(RunSlaveCommand({"--seed-from", "slave7"}, &output), 0);
  EXPECT_NE(output.find("no such name in 'seed_sources'"), std::string::npos) << output;
  const uint64_t seeded = cluster_->SlaveSeq(kNewSlave);
  EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT COUNT(*) FROM ddb_meta.applied_records"), "0");
  cluster_->StartSlave(kNewSlave);
  const Status s = ExecuteThroughEndpoint(
      *cluster_, {"INSERT INTO shop.items (client, n, name) VALUES (5, 1, 'after the seed')",
                  "UPDATE shop.odd SET t = CONCAT(t, '+') WHERE id = 1"});
  ASSERT_TRUE(s.ok()) << s.ToString();
  ExpectEqualToTheMaster();
  // It stores the records it applied from its seeded position on, as the
  // master logged them (issue 19: any slave can feed the others).
  const auto stored = cluster_->slave_db(kNewSlave).Query(
      "SELECT seq, committed_at, HEX(body) FROM ddb_meta.applied_records ORDER BY seq");
  EXPECT_GE(stored.size(), 2u);
  EXPECT_EQ(stored,
            cluster_->master_db().Query("SELECT seq, committed_at, HEX(body) FROM ddb_meta.replication_log "
                                        "WHERE state = 'done' AND seq > " +
                                        std::to_string(seeded) + " ORDER BY seq"));
}

TEST_F(SeedingTest, ASourceOfAnotherClusterOrWithoutTheSecretIsRefused) {
  CreateData();
  std::string output;
  EXPECT_NE(RunSlaveCommand({"--seed", "--cluster_secret", "not-the-cluster-secret-0123"}, &output), 0);
  EXPECT_NE(output.find("not signed with this cluster's cluster_secret"), std::string::npos) << output;
  EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue(
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'"),
            "0");

  ASSERT_EQ(RunSlaveCommand({"--seed"}, &output), 0) << output;
  cluster_->slave_db(kNewSlave).Execute(
      "UPDATE ddb_meta.applied_position SET cluster_id = 'another-cluster'");
  EXPECT_NE(RunSlaveCommand({"--seed", "--force"}, &output), 0);
  EXPECT_NE(output.find("this slave to cluster another-cluster"), std::string::npos) << output;
  // Refused before anything was dropped.
  EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT COUNT(*) FROM shop.odd"), "3");
}

// A slave that was away while the records it needs were purged is refused
// by the master with the command that fixes it, and that one command
// (--seed --force) brings it back equal.
TEST_F(SeedingTest, ASlavePastThePurgeHorizonIsReseededWithOneCommand) {
  CreateData();
  std::string output;
  ASSERT_EQ(RunSlaveCommand({"--seed"}, &output), 0) << output;
  cluster_->StartSlave(kNewSlave);
  ASSERT_TRUE(
      WaitFor([&] { return cluster_->SlaveLog(kNewSlave).find("connected to master") != std::string::npos; },
              seconds(30)))
      << cluster_->SlaveLog(kNewSlave);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60), {0, kNewSlave})) << cluster_->SlaveLog(kNewSlave);
  cluster_->StopSlave(kNewSlave);
  const uint64_t away_at = cluster_->SlaveSeq(kNewSlave);

  // While it is away, the master forgets it and purges everything acknowledged.
  std::string mysql_addresses, http_addresses;
  for (int i : {0, 1}) {
    const std::string name = "slave" + std::to_string(i + 1);
    mysql_addresses += (i ? "," : "") + name + "=127.0.0.1:" + std::to_string(cluster_->slave_db(i).port());
    http_addresses += (i ? "," : "") + name + "=127.0.0.1:" + std::to_string(cluster_->slave_http_port(i));
  }
  cluster_->StopMaster();
  cluster_->StartMaster({"--slaves", "slave1,slave2", "--slave_mysql_addresses", mysql_addresses,
                         "--slave_http_addresses", http_addresses, "--log_retention_seconds", "0",
                         "--purge_interval_ms", "100"});
  for (int batch = 0; batch < 3; ++batch) {
    const Status s = ExecuteThroughEndpoint(
        *cluster_,
        {"INSERT INTO shop.items (client, n, name) VALUES (7, " + std::to_string(batch) + ", 'later')"});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  ASSERT_TRUE(WaitFor(
      [&] {
        return std::stoull(cluster_->master_db().QueryValue(
                   "SELECT purged_through FROM ddb_meta.log_state WHERE id = 1")) > away_at;
      },
      seconds(60)))
      << cluster_->MasterLog();

  cluster_->StopMaster();
  cluster_->StartMaster();
  cluster_->StartSlave(kNewSlave);
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster_->SlaveLog(kNewSlave).find("re-seed this slave: ddb-slave --seed --force") !=
               std::string::npos;
      },
      seconds(30)))
      << cluster_->SlaveLog(kNewSlave);
  EXPECT_EQ(cluster_->SlaveSeq(kNewSlave), away_at) << "nothing applied past the gap";
  cluster_->StopSlave(kNewSlave);

  ASSERT_EQ(RunSlaveCommand({"--seed", "--force"}, &output), 0) << output;
  cluster_->StartSlave(kNewSlave);
  ExpectEqualToTheMaster();
}

// Data the master's MariaDB held before ddb ran (never in the log) reaches
// a new slave through its snapshot: 51,000 rows in 3 databases.
TEST_F(SeedingTest, AMasterWithFiftyThousandPreExistingRowsInThreeDatabasesGetsThemOntoANewSlave) {
  const std::vector<std::string> databases = {"pre1", "pre2", "pre3"};
  for (const std::string& db : databases) {
    cluster_->master_db().Execute("CREATE DATABASE " + db);
    cluster_->master_db().Execute("CREATE TABLE " + db +
                                  ".t (id INT PRIMARY KEY, v VARCHAR(40), d DECIMAL(12,2), at DATETIME)");
    cluster_->master_db().Execute("INSERT INTO " + db +
                                  ".t SELECT seq, CONCAT('row ', seq), seq / 7, "
                                  "'2024-01-01' + INTERVAL seq MINUTE FROM " +
                                  db + ".seq_1_to_17000");
  }
  std::string output;
  ASSERT_EQ(RunSlaveCommand({"--seed"}, &output), 0) << output;
  cluster_->StartSlave(kNewSlave);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60), {kNewSlave})) << cluster_->SlaveLog(kNewSlave);
  for (const std::string& db : databases) {
    EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT COUNT(*) FROM " + db + ".t"), "17000");
    EXPECT_EQ(cluster_->slave_db(kNewSlave).TableChecksum(db, "t"),
              cluster_->master_db().TableChecksum(db, "t"))
        << db;
  }
}

// A view over another view is created after it, whatever their names: here
// the dependent views sort first (a_view over m_view over z_view over a
// table), and one database's view reads another's.
TEST_F(SeedingTest, ViewsOverViewsAreCreatedAfterTheViewsTheyRead) {
  const Status s = ExecuteThroughEndpoint(
      *cluster_,
      {"CREATE DATABASE views", "CREATE TABLE views.t (id INT PRIMARY KEY, v INT)",
       "INSERT INTO views.t VALUES (1, 10), (2, 20), (3, 30)",
       "CREATE VIEW views.z_view AS SELECT id, v FROM views.t WHERE v > 10",
       "CREATE VIEW views.m_view AS SELECT id, v * 2 AS w FROM views.z_view",
       "CREATE VIEW views.a_view AS SELECT SUM(w) AS total FROM views.m_view", "CREATE DATABASE another",
       "CREATE VIEW another.b_view AS SELECT total + 1 AS more FROM views.a_view"});
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::string output;
  ASSERT_EQ(RunSlaveCommand({"--seed"}, &output), 0) << output;
  EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT total FROM views.a_view"), "100");
  EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT more FROM another.b_view"), "101");
}

// The accounts clients log in with come with the copy, as with a replica
// made by mariabackup: a seeded slave lets in the same users with the same
// grants and roles as one that replayed their CREATE USERs (HAProxy's read
// frontend sends clients straight to the slaves' MariaDB).
TEST_F(SeedingTest, AccountsRolesAndGrantsComeWithTheCopy) {
  MariaDbInstance& master = cluster_->master_db();
  for (const char* sql :
       {"CREATE DATABASE acct", "CREATE TABLE acct.t (id INT PRIMARY KEY)", "INSERT INTO acct.t VALUES (7)",
        "CREATE ROLE reader_role", "GRANT SELECT ON acct.* TO reader_role",
        "CREATE USER 'reader'@'%' IDENTIFIED BY 'reader-pw'", "GRANT reader_role TO 'reader'@'%'",
        "SET DEFAULT ROLE reader_role FOR 'reader'@'%'",
        "CREATE USER 'writer'@'127.0.0.1' IDENTIFIED BY 'writer-pw' WITH MAX_USER_CONNECTIONS 5",
        "GRANT INSERT, SELECT ON acct.t TO 'writer'@'127.0.0.1'"}) {
    master.Execute(sql);
  }
  std::string output;
  ASSERT_EQ(RunSlaveCommand({"--seed"}, &output), 0) << output;
  MariaDbInstance& seeded = cluster_->slave_db(kNewSlave);
  for (const char* account : {"'reader'@'%'", "'writer'@'127.0.0.1'", "reader_role"}) {
    EXPECT_EQ(seeded.Query(std::string("SHOW GRANTS FOR ") + account),
              master.Query(std::string("SHOW GRANTS FOR ") + account))
        << account;
  }
  EXPECT_EQ(seeded.QueryValue("SHOW CREATE USER 'writer'@'127.0.0.1'"),
            master.QueryValue("SHOW CREATE USER 'writer'@'127.0.0.1'"));
  // The password works there: the hash came along.
  MySqlEndpoint reader;
  reader.port = seeded.port();
  reader.user = "writer";
  reader.password = "writer-pw";
  std::unique_ptr<MySqlConnection> connection;
  ASSERT_TRUE(MySqlConnection::Open(reader, &connection).ok());
  QueryResult rows;
  ASSERT_TRUE(connection->Execute("SELECT id FROM acct.t", &rows).ok());
  ASSERT_EQ(rows.rows.size(), 1u);
  EXPECT_EQ(rows.rows[0][0].value_or(""), "7");
}

// A master started for the first time on a MariaDB that already holds data
// names it (the start's log line and \status), since a slave replaying the
// log from #1 never gets it; a seed copies it.
class AdoptionTest : public SeedingTest {
 protected:
  void SetUp() override {
    MakeCluster();
    MariaDbInstance& master = cluster_->master_db();
    for (const char* db : {"legacy", "crm"}) {
      master.Execute(std::string("CREATE DATABASE ") + db);
      master.Execute(std::string("CREATE TABLE ") + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
      master.Execute(std::string("INSERT INTO ") + db + ".t SELECT seq, CONCAT('v', seq) FROM " + db +
                     ".seq_1_to_500");
    }
    master.Execute("CREATE TABLE legacy.u (id INT PRIMARY KEY)");
    cluster_->StartMaster();
    cluster_->StartSlave(0);
  }
};

TEST_F(AdoptionTest, TablesHeldBeforeTheFirstStartAreNamedAndASeedCopiesThem) {
  const std::string summary = "3 tables in 2 databases (crm, legacy) were here before ddb";
  EXPECT_TRUE(
      WaitFor([&] { return ReadFile(cluster_->dir() / "master.log").find(summary) != std::string::npos; },
              seconds(10)))
      << ReadFile(cluster_->dir() / "master.log");
  EXPECT_NE(cluster_->SqlOutput("\\status").find("adopted:     " + summary), std::string::npos)
      << cluster_->SqlOutput("\\status");
  // Tables made after the first start are ddb's own: not listed.
  ASSERT_TRUE(ExecuteThroughEndpoint(*cluster_, {"CREATE TABLE legacy.later (id INT PRIMARY KEY)"}).ok());
  EXPECT_NE(cluster_->SqlOutput("\\status").find(summary), std::string::npos);

  std::string output;
  ASSERT_EQ(RunSlaveCommand({"--seed"}, &output), 0) << output;
  for (const char* db : {"legacy", "crm"}) {
    EXPECT_EQ(cluster_->slave_db(kNewSlave).TableChecksum(db, "t"),
              cluster_->master_db().TableChecksum(db, "t"))
        << db;
  }
  EXPECT_EQ(cluster_->slave_db(kNewSlave).QueryValue("SELECT COUNT(*) FROM crm.t"), "500");
}

}  // namespace
}  // namespace ddb::testing
