// Least privilege at the MySQL endpoint (docs/security.md): each endpoint
// user runs as the MySQL account of its name and password, so MariaDB
// answers what that account may not do with its own errors, reads routed to
// slaves are first accepted by the master for that account, and the objects
// it creates name it as definer on every node. KILL takes the endpoint's
// connection ids (what clients know) and acts on one's own sessions only.
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

class EndpointPrivilegesTest : public MySqlEndpointTest {
 protected:
  // app (root's privileges), reader (DML on shop.items only) and ghost (no
  // MySQL account at all).
  void SetUp() override {
    StartCluster({"--client_users",
                  std::string(kClientUser) + ":" + kClientPassword + ",reader:reader-pw,ghost:ghost-pw"});
    // Made through the endpoint, so the slaves have the accounts too.
    const ProgramRun setup = Endpoint(
        "CREATE DATABASE shop;\n"
        "CREATE TABLE shop.items (id INT PRIMARY KEY, v INT);\n"
        "CREATE TABLE shop.secrets (id INT PRIMARY KEY, code VARCHAR(20));\n"
        "INSERT INTO shop.items VALUES (1, 10), (2, 20);\n"
        "INSERT INTO shop.secrets VALUES (1, 'hush');\n"
        "CREATE USER 'reader'@'localhost' IDENTIFIED BY 'reader-pw';\n"
        "GRANT SELECT, INSERT, UPDATE, DELETE ON shop.items TO 'reader'@'localhost';\n");
    ASSERT_EQ(setup.exit_code, 0) << setup.output;
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(std::chrono::seconds(60)));
  }

  ProgramRun AsReader(const std::string& sql) {
    return Mariadb(cluster_->client_port(), "reader", "reader-pw", sql);
  }
};

TEST_F(EndpointPrivilegesTest, MariaDbAnswersWhatTheAccountMayNotDo) {
  const ProgramRun global = AsReader("SET GLOBAL max_connections = 500;\n");
  EXPECT_NE(global.exit_code, 0);
  EXPECT_NE(ErrorLine(global.output).find("ERROR 1227 (42000)"), std::string::npos) << global.output;
  EXPECT_NE(global.output.find("SUPER"), std::string::npos) << global.output;
  EXPECT_NE(cluster_->master_db().QueryValue("SELECT @@global.max_connections"), "500");

  const std::string file = (cluster_->dir() / "outfile.txt").string();
  const ProgramRun outfile = AsReader("SELECT * FROM shop.items INTO OUTFILE '" + file + "';\n");
  EXPECT_NE(outfile.exit_code, 0);
  EXPECT_NE(ErrorLine(outfile.output).find("ERROR 1227 (42000)"), std::string::npos) << outfile.output;
  EXPECT_NE(outfile.output.find("FILE"), std::string::npos) << outfile.output;
  EXPECT_FALSE(std::filesystem::exists(file));

  const ProgramRun ddl = AsReader("CREATE TABLE shop.mine (id INT PRIMARY KEY);\n");
  EXPECT_NE(ErrorLine(ddl.output).find("ERROR 1142 (42000)"), std::string::npos) << ddl.output;
  const ProgramRun other = AsReader("UPDATE shop.secrets SET code = 'told';\n");
  EXPECT_NE(ErrorLine(other.output).find("ERROR 1142 (42000)"), std::string::npos) << other.output;

  // What it may do, it does, and the slaves get it.
  const ProgramRun write =
      AsReader("INSERT INTO shop.items VALUES (3, 30);\nUPDATE shop.items SET v = v + 1;\n");
  EXPECT_EQ(write.exit_code, 0) << write.output;
  ExpectSlavesEqual("shop", {"items", "secrets"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT SUM(v) FROM shop.items"), "63");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                             "TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'mine'"),
            "0");
}

TEST_F(EndpointPrivilegesTest, AReadTheAccountMayNotRunIsNotAnsweredByASlave) {
  // read_from = slaves: without the master's check, a slave's query session
  // (ddb's account) would answer it.
  for (int i = 0; i < 3; ++i) {
    const ProgramRun denied = AsReader("SELECT code FROM shop.secrets;\n");
    EXPECT_NE(denied.exit_code, 0);
    EXPECT_NE(ErrorLine(denied.output).find("ERROR 1142 (42000)"), std::string::npos) << denied.output;
    EXPECT_EQ(denied.output.find("hush"), std::string::npos) << denied.output;
  }
  const ProgramRun allowed = AsReader("SELECT SUM(v) FROM shop.items;\n");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
  EXPECT_NE(allowed.output.find("30"), std::string::npos) << allowed.output;
}

TEST_F(EndpointPrivilegesTest, AReadARoleAllowedIsNotAnsweredByASlaveOnceTheRoleIsDropped) {
  ASSERT_EQ(Endpoint("CREATE ROLE secrets_reader;\n"
                     "GRANT SELECT ON shop.secrets TO secrets_reader;\n"
                     "GRANT secrets_reader TO 'reader'@'localhost';\n")
                .exit_code,
            0);
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(std::chrono::seconds(60)));
  // One session: the read is allowed (and described) with the role, then
  // asked again, the same text, without it.
  const ProgramRun run = AsReader(
      "SET ROLE secrets_reader;\n"
      "SELECT code FROM shop.secrets;\n"
      "SET ROLE NONE;\n"
      "SELECT CONCAT('role now: ', COALESCE(CURRENT_ROLE(), 'none'));\n"
      "SELECT code FROM shop.secrets;\n");
  EXPECT_NE(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("role now: none"), std::string::npos) << run.output;
  EXPECT_NE(ErrorLine(run.output).find("ERROR 1142 (42000)"), std::string::npos) << run.output;
  // Once, with the role; not a second time without it.
  const size_t first = run.output.find("hush");
  ASSERT_NE(first, std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("hush", first + 1), std::string::npos) << run.output;
}

TEST_F(EndpointPrivilegesTest, AnEndpointUserWithoutAnAccountIsToldWhy) {
  const ProgramRun ghost = Mariadb(cluster_->client_port(), "ghost", "ghost-pw", "SELECT 1;\n");
  EXPECT_NE(ghost.exit_code, 0);
  EXPECT_NE(ghost.output.find("Access denied for user 'ghost'"), std::string::npos) << ghost.output;
  EXPECT_NE(ghost.output.find("create it through ddb"), std::string::npos) << ghost.output;
}

TEST_F(EndpointPrivilegesTest, TheLogsProceduresTakeCallsFromThisMastersSessionsOnly) {
  // Writing through the endpoint gives reader's account EXECUTE on the log's
  // procedures (its log rows go in its own transactions). Straight to the
  // master's MySQL, that account must still not be able to write the log:
  // a forged record would be replayed by every slave's applier, a deleted
  // row taken for a gap.
  ASSERT_EQ(AsReader("INSERT INTO shop.items VALUES (3, 30);\n").exit_code, 0);
  MariaDbInstance& master = cluster_->master_db();
  const std::string rows = "SELECT COUNT(*), MAX(seq), SUM(LENGTH(body)) FROM ddb_meta.replication_log";
  const std::string before = master.QueryValue(rows);
  const std::string last = master.QueryValue("SELECT MAX(seq) FROM ddb_meta.replication_log");
  const std::string next = std::to_string(std::stoull(last) + 1);
  // Over the server's socket: the account is 'reader'@'localhost'.
  int direct_runs = 0;
  auto direct = [&](const std::string& sql) {
    const std::string file = WriteFile("direct-" + std::to_string(++direct_runs) + ".sql", sql + "\n");
    return Run({"/bin/sh", "-c",
                "exec mariadb --no-defaults --batch --socket='" + master.socket_path().string() +
                    "' -u reader -preader-pw < '" + file + "'"});
  };
  for (const std::string& call : {
           "CALL ddb_meta.commit_record(" + next + ", 0, _binary'DROP DATABASE shop');",
           "CALL ddb_meta.ddl_pending(" + next + ", 0, _binary'DROP DATABASE shop');",
           "CALL ddb_meta.ddl_done(" + last + ", 0, _binary'DROP DATABASE shop');",
           "CALL ddb_meta.ddl_forget(" + last + ");",
       }) {
    const ProgramRun run = direct(call);
    EXPECT_NE(run.exit_code, 0) << call;
    EXPECT_NE(ErrorLine(run.output).find("ERROR 1644 (45000)"), std::string::npos) << call << "\n"
                                                                                   << run.output;
    EXPECT_NE(run.output.find("only sessions of the ddb-master of this server may write the replication log"),
              std::string::npos)
        << call << "\n"
        << run.output;
  }
  // Nor can it admit itself.
  const ProgramRun admit = direct("INSERT INTO ddb_meta.log_writers VALUES (CONNECTION_ID());");
  EXPECT_NE(ErrorLine(admit.output).find("ERROR 1142 (42000)"), std::string::npos) << admit.output;
  EXPECT_EQ(master.QueryValue(rows), before) << "the log changed";

  // The master's sessions still write, and the rows of those that ended
  // are removed as new ones come (each run below is a new connection).
  int connections = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    const ProgramRun write = AsReader("UPDATE shop.items SET v = v + 1 WHERE id = 1;\n");
    ASSERT_EQ(write.exit_code, 0) << write.output;
    ++connections;
    const int admitted = std::stoi(master.QueryValue("SELECT COUNT(*) FROM ddb_meta.log_writers"));
    if (connections >= 10 && admitted < connections / 2) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << admitted << " sessions admitted after " << connections << " connections";
  }
  ExpectSlavesEqual("shop", {"items", "secrets"});
}

TEST_F(EndpointPrivilegesTest, ProgramsAndViewsNameTheirCreatorAsDefinerOnEveryNode) {
  const ProgramRun made = Endpoint(
      "CREATE VIEW shop.cheap AS SELECT id FROM shop.items WHERE v < 15;\n"
      "CREATE PROCEDURE shop.bump() UPDATE shop.items SET v = v + 1;\n"
      "CREATE TRIGGER shop.items_bi BEFORE INSERT ON shop.items FOR EACH ROW SET NEW.v = NEW.v;\n");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(std::chrono::seconds(60)));
  const std::string definer = std::string(kClientUser) + "@localhost";
  for (MariaDbInstance* db : {&cluster_->master_db(), &cluster_->slave_db(0), &cluster_->slave_db(1)}) {
    EXPECT_EQ(db->QueryValue("SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_NAME = 'cheap'"),
              definer);
    EXPECT_EQ(db->QueryValue("SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_NAME = 'bump'"),
              definer);
    EXPECT_EQ(
        db->QueryValue("SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_NAME = 'items_bi'"),
        definer);
  }
}

TEST_F(EndpointPrivilegesTest, KillTakesEndpointConnectionIdsAndOnlyOnesOwn) {
  const std::string script = WriteFile("kill.py", R"py(
import sys, threading, time
import pymysql
port = int(sys.argv[1])
def connect(user, password):
    return pymysql.connect(host="127.0.0.1", port=port, user=user, password=password, autocommit=True)
a, b = connect("app", "app-pw"), connect("app", "app-pw")
reader = connect("reader", "reader-pw")
outcome = {}
def sleeper():
    started = time.monotonic()
    try:
        a.cursor().execute("SELECT SLEEP(30)")
        outcome["result"] = "returned"
    except pymysql.err.OperationalError as e:
        outcome["result"] = "error %d" % e.args[0]
    outcome["seconds"] = time.monotonic() - started
t = threading.Thread(target=sleeper)
t.start()
time.sleep(1)
for who, conn in (("reader", reader), ("app", b)):
    try:
        conn.cursor().execute("KILL QUERY %d" % a.thread_id())
        print(who, "kill: ok")
    except pymysql.err.OperationalError as e:
        print(who, "kill: error", e.args[0])
t.join(40)
print("sleep:", outcome["result"], "after %.0f s" % outcome["seconds"])
try:
    b.cursor().execute("KILL QUERY 99999")
except pymysql.err.OperationalError as e:
    print("unknown id:", e.args[0], e.args[1])
try:
    b.cursor().execute("KILL CONNECTION %d" % a.thread_id())
except pymysql.err.Error as e:
    print("kill connection:", e.args)
try:
    a.cursor().execute("SELECT 1")
    print("a: still connected")
except pymysql.err.Error as e:
    print("a: gone")
b.cursor().execute("INSERT INTO shop.items VALUES (7, 70)")
print("b: wrote")
)py");
  const ProgramRun run = Run({kPython, script, std::to_string(cluster_->client_port())});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("reader kill: error 1094"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("app kill: ok"), std::string::npos) << run.output;
  // MariaDB answers a SELECT whose query was killed with ERROR 1317.
  EXPECT_TRUE(run.output.find("sleep: error 1317 after 1 s") != std::string::npos ||
              run.output.find("sleep: returned after 1 s") != std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("kill connection:"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("unknown id: 1094 Unknown thread id: 99999"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("a: gone"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("b: wrote"), std::string::npos) << run.output;
  // ddb's own MySQL sessions (the log's, the slaves' appliers) went on.
  ExpectSlavesEqual("shop", {"items"});
}

}  // namespace
}  // namespace ddb::testing
