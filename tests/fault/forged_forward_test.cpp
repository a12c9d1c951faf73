// A slave that knows the cluster secret but breaks the rules: over a raw,
// authenticated link it forwards what no slave console sends (DDL, account
// changes, SET GLOBAL, admin statements, several statements at once). The
// master refuses each with a clear error and a log line and runs none of it,
// while what a slave console does forward (DML, transactions, reads,
// session SET) still runs and replicates.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster.h"
#include "raw_slave_link.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

TEST(ForgedForwardTest, MasterRunsOnlyWhatASlaveConsoleSends) {
  ClusterOptions options;
  options.slaves = 2;
  options.heartbeat_timeout_ms = 30000;  // the raw link sends no heartbeats of its own
  Cluster cluster(options);
  cluster.StartMaster();
  cluster.StartSlave(0);
  cluster.SqlAndWait(
      "CREATE DATABASE f;\nCREATE TABLE f.t (id INT PRIMARY KEY, v INT);\nINSERT INTO f.t VALUES (1, 1);");

  // slave2's name and the secret: an authenticated peer.
  RawSlaveLink link(cluster.replication_port(), "slave2", options.secret);

  // What a slave console forwards runs, as before.
  const std::vector<std::string> allowed = {
      "INSERT INTO f.t VALUES (2, 2)",
      "SET SESSION sql_mode = 'STRICT_ALL_TABLES'",
      "BEGIN",
      "UPDATE f.t SET v = 5 WHERE id = 1",
      "SELECT v FROM f.t WHERE id = 1",
      "SAVEPOINT s1",
      "ROLLBACK TO SAVEPOINT s1",
      "COMMIT",
  };
  for (const std::string& sql : allowed) {
    const ForwardReply reply = link.Forward(1, sql, "f");
    EXPECT_TRUE(reply.result.ok) << sql << ": " << reply.result.message;
  }

  const std::vector<std::string> forged = {
      "DROP TABLE f.t",
      "CREATE DATABASE evil",
      "ALTER TABLE f.t ADD COLUMN w INT",
      "TRUNCATE TABLE f.t",
      "CREATE USER 'intruder'@'%' IDENTIFIED BY 'pw'",
      "GRANT ALL ON *.* TO 'intruder'@'%'",
      "SET PASSWORD FOR 'root'@'localhost' = PASSWORD('x')",
      "SET GLOBAL max_connections = 1",
      "SET @@global.read_only = 1",
      "SELECT * FROM f.t INTO OUTFILE '/tmp/ddb-forged-forward.txt'",
      "SHUTDOWN",
      "FLUSH PRIVILEGES",
      "KILL 1",
      "LOCK TABLES f.t WRITE",
      "USE mysql",
      "INSERT INTO f.t VALUES (3, 3); DROP TABLE f.t",
      "/*!50000 DROP TABLE f.t */",
      "SET STATEMENT max_statement_time = 1 FOR DROP TABLE f.t",
  };
  for (const std::string& sql : forged) {
    const ForwardReply reply = link.Forward(1, sql, "f");
    EXPECT_FALSE(reply.result.ok) << "the master ran: " << sql;
    EXPECT_NE(reply.result.message.find("is refused in a forwarded session"), std::string::npos)
        << sql << ": " << reply.result.message;
    EXPECT_EQ(reply.committed_seq, 0u) << sql;
  }

  // Nothing of it ran on the master.
  EXPECT_EQ(cluster.master_db().QueryValue("SELECT COUNT(*) FROM f.t"), "2");
  EXPECT_EQ(cluster.master_db().QueryValue("SELECT v FROM f.t WHERE id = 1"), "5");
  EXPECT_EQ(
      cluster.master_db().QueryValue(
          "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = 'f' AND table_name = 't'"),
      "2");
  EXPECT_EQ(cluster.master_db().QueryValue(
                "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'evil'"),
            "0");
  EXPECT_EQ(cluster.master_db().QueryValue("SELECT COUNT(*) FROM mysql.user WHERE user = 'intruder'"), "0");
  EXPECT_NE(cluster.master_db().QueryValue("SELECT @@global.max_connections"), "1");
  EXPECT_EQ(cluster.master_db().QueryValue("SELECT @@global.read_only"), "0");
  // One warning per forged statement names the slave.
  const std::string log = cluster.MasterLog();
  size_t warnings = 0;
  for (size_t at = log.find("slave 'slave2' forwarded a statement no slave console sends");
       at != std::string::npos;
       at = log.find("slave 'slave2' forwarded a statement no slave console sends", at + 1)) {
    ++warnings;
  }
  EXPECT_EQ(warnings, forged.size()) << log;

  // The real slave got what was allowed, and only that.
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(60), {0})) << cluster.SlaveLog(0);
  cluster.ExpectTableEqualEverywhere("f", "t", {0});
}

}  // namespace
}  // namespace ddb::testing
