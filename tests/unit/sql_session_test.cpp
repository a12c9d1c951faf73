// SqlSession against a scripted MySQL (FakeSqlServer) and a real
// ReplicationLog on it: what is logged for autocommit writes and explicit
// transactions, what is not (reads, ROLLBACK, failed and refused
// statements), and how a lost session or a deadlock ends a transaction.
#include "sql_session.h"

#include <gtest/gtest.h>

#include <spdlog/logger.h>
#include <chrono>
#include <thread>

#include "fake_session_state.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;
using testing::FakeStatement;

constexpr const char* kCommitRecord = "CALL ddb_meta.commit_record(";

class SqlSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::AnswerSessionSetUp(server_); }

  // The statements of every record published so far, in order.
  std::vector<std::vector<std::string>> Logged() const {
    std::vector<EncodedRecordPtr> records;
    EXPECT_TRUE(recent_.ReadAfter(0, 1000, &records));
    std::vector<std::vector<std::string>> logged;
    for (const EncodedRecordPtr& record : records) {
      LogRecord decoded;
      EXPECT_TRUE(DecodeRecordPayload(record->payload, &decoded).ok());
      std::vector<std::string> texts;
      for (const LoggedStatement& statement : decoded.statements) texts.push_back(statement.sql);
      logged.push_back(texts);
    }
    return logged;
  }

  // The `index`th record published (from 0), decoded.
  LogRecord Record(size_t index) const {
    std::vector<EncodedRecordPtr> records;
    EXPECT_TRUE(recent_.ReadAfter(0, 1000, &records));
    LogRecord record;
    EXPECT_LT(index, records.size());
    if (index < records.size()) EXPECT_TRUE(DecodeRecordPayload(records[index]->payload, &record).ok());
    return record;
  }

  // The statements sent from the first that starts with `prefix` on.
  std::vector<std::string> SentFrom(std::string_view prefix) const {
    std::vector<std::string> sent;
    for (const std::string& sql : server_.Sql()) {
      if (sent.empty() && sql.substr(0, prefix.size()) != prefix) continue;
      sent.push_back(sql);
    }
    return sent;
  }

  bool WasSent(const std::string& sql) const {
    for (const std::string& sent : server_.Sql()) {
      if (sent == sql || sent.ends_with(" FOR " + sql)) return true;
    }
    return false;
  }

  void ExpectOk(const std::string& sql) {
    const ExecutionResult outcome = session_.Execute(sql);
    EXPECT_TRUE(outcome.status.ok()) << sql << ": " << outcome.status.ToString();
  }

  FakeSqlServer server_;
  RecentRecords recent_{1000, 0};
  ReplicationLog log_{MySqlEndpoint(), &recent_, std::make_shared<spdlog::logger>("sql-session-test"),
                      nullptr, server_.Opener()};
  SqlSession session_{MySqlEndpoint(), &log_, SessionOptions(), nullptr, nullptr, server_.Opener()};
};

TEST_F(SqlSessionTest, AnAutocommitWriteIsLoggedWithItsCommit) {
  ExpectOk("INSERT INTO t VALUES (1)");
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{"INSERT INTO t VALUES (1)"}}));
  EXPECT_EQ(session_.last_write_seq(), 1u);
  EXPECT_FALSE(session_.in_transaction());
  // The server session's autocommit is turned off with the clock; the
  // statement then commits with its log row, and autocommit stays off.
  const std::vector<std::string> sent = SentFrom("SET TIMESTAMP");
  ASSERT_GE(sent.size(), 3u);
  EXPECT_NE(sent[0].find("autocommit = 0"), std::string::npos) << sent[0];
  EXPECT_EQ(sent[1], "INSERT INTO t VALUES (1)");
  EXPECT_EQ(sent.back().rfind(kCommitRecord, 0), 0u) << sent.back();
  EXPECT_EQ(server_.Count("COMMIT"), 0u);
}

TEST_F(SqlSessionTest, TheNextAutocommitWriteCostsTwoRoundTrips) {
  ExpectOk("INSERT INTO t VALUES (1)");
  ExpectOk("INSERT INTO t VALUES (2)");
  // The server session's autocommit is still off: the statement carries
  // its clock (SET STATEMENT) and the CALL commits it.
  const std::vector<std::string> sent = SentFrom("SET STATEMENT");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_TRUE(sent[0].ends_with(" FOR INSERT INTO t VALUES (2)")) << sent[0];
  EXPECT_EQ(sent[1].rfind(kCommitRecord, 0), 0u) << sent[1];
  EXPECT_EQ(Logged().size(), 2u);
}

TEST_F(SqlSessionTest, AfterASessionSetsAUserVariableEachWriteCarriesAllItHolds) {
  // A trigger or routine may read them, and a slave's applier holds other
  // sessions' values (session_user_variables.h).
  QueryResult held;
  held.rows = {{std::string("tag")}, {std::string("from a procedure")}};
  server_.Answer("SELECT VARIABLE_NAME FROM information_schema.USER_VARIABLES", held);
  server_.Answer("SELECT @`tag`, @`from a procedure`", FakeSqlServer::Value("'caller'"));
  ExpectOk("INSERT INTO t VALUES (1)");
  EXPECT_FALSE(WasSent("SELECT VARIABLE_NAME FROM information_schema.USER_VARIABLES"))
      << "a session that never set one pays nothing";
  ExpectOk("SET @tag = 'caller'");
  ExpectOk("INSERT INTO t VALUES (2)");
  const LogRecord second = Record(1);
  ASSERT_EQ(second.statements.size(), 1u);
  std::vector<std::string> carried;
  for (const SessionSetting& setting : second.statements.at(0).settings) {
    if (setting.name[0] == '@') carried.push_back(setting.name + " = " + setting.value);
  }
  EXPECT_EQ(carried, (std::vector<std::string>{"@`tag` = 'caller'", "@`from a procedure` = NULL"}));
}

TEST_F(SqlSessionTest, TheFirstStatementIsLexedAsTheServerReadsIt) {
  // Connected by this very statement: only then is the server's version
  // known, and with it that MariaDB skips a later version's comment.
  ExpectOk("/*M!999999 SELECT */ DELETE FROM shop.items WHERE id = 1");
  EXPECT_EQ(
      Logged(),
      (std::vector<std::vector<std::string>>{{"/*M!999999 SELECT */ DELETE FROM shop.items WHERE id = 1"}}));
}

TEST_F(SqlSessionTest, AReadAfterAnAutocommitWriteRunsWithAutocommitOnAgain) {
  ExpectOk("INSERT INTO t VALUES (1)");
  ExpectOk("SELECT * FROM t");
  ExpectOk("SELECT * FROM t WHERE id = 1");
  // One SET turns autocommit on (a read must not open a transaction that
  // would hold its snapshot and locks) and unpins the clock; the second
  // read needs nothing.
  const std::vector<std::string> sent = SentFrom("SET TIMESTAMP = DEFAULT");
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0], "SET TIMESTAMP = DEFAULT, autocommit = 1");
  EXPECT_EQ(sent[1], "SELECT * FROM t");
  EXPECT_EQ(sent[2], "SELECT * FROM t WHERE id = 1");
}

TEST_F(SqlSessionTest, APlainBeginCostsNoRoundTripOfItsOwn) {
  ExpectOk("INSERT INTO t VALUES (1)");  // leaves the server's autocommit off
  const size_t before = server_.Sql().size();
  ExpectOk("BEGIN");
  EXPECT_EQ(server_.Sql().size(), before) << "the transaction opens with its first statement";
  EXPECT_TRUE(session_.in_transaction());
  ExpectOk("UPDATE t SET a = 2 WHERE id = 1");
  ExpectOk("COMMIT");
  EXPECT_EQ(server_.Sql().size(), before + 2) << "the UPDATE, then the CALL";
  EXPECT_EQ(Logged().back(), std::vector<std::string>{"UPDATE t SET a = 2 WHERE id = 1"});
  // One with characteristics runs as typed.
  ExpectOk("START TRANSACTION READ ONLY");
  EXPECT_TRUE(WasSent("START TRANSACTION READ ONLY"));
  ExpectOk("COMMIT");
}

TEST_F(SqlSessionTest, AndChainOpensTheNextTransactionAtOnce) {
  ExpectOk("BEGIN");
  ExpectOk("INSERT INTO t VALUES (1)");
  ExpectOk("COMMIT AND CHAIN");
  EXPECT_TRUE(session_.in_transaction());
  ExpectOk("INSERT INTO t VALUES (2)");
  ExpectOk("ROLLBACK AND CHAIN");
  EXPECT_TRUE(session_.in_transaction());
  ExpectOk("INSERT INTO t VALUES (3)");
  ExpectOk("ROLLBACK");
  EXPECT_FALSE(session_.in_transaction());
  // Only the first transaction committed: the later inserts were not
  // autocommitted behind the user's ROLLBACK.
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{"INSERT INTO t VALUES (1)"}}));
  ExpectOk("BEGIN");
  ExpectOk("COMMIT AND NO CHAIN");
  EXPECT_FALSE(session_.in_transaction());
  // RELEASE asks the endpoint to end the connection after the reply.
  EXPECT_TRUE(session_.Execute("COMMIT RELEASE").release);
  EXPECT_TRUE(session_.Execute("ROLLBACK WORK AND NO CHAIN RELEASE").release);
  EXPECT_FALSE(session_.Execute("COMMIT NO RELEASE").release);
}

TEST_F(SqlSessionTest, AReadInAFreshTransactionTurnsTheServersAutocommitOff) {
  ExpectOk("SELECT 1");
  ExpectOk("BEGIN");
  ExpectOk("SELECT * FROM t");
  const std::vector<std::string> sent = SentFrom("SET autocommit = 0");
  ASSERT_EQ(sent.size(), 2u) << "the read opens the transaction on the server";
  EXPECT_EQ(sent[1], "SELECT * FROM t");
}

TEST_F(SqlSessionTest, AnExplicitTransactionIsLoggedAsOneRecordAtCommit) {
  ExpectOk("BEGIN");
  ExpectOk("INSERT INTO t VALUES (1)");
  ExpectOk("UPDATE t SET a = 2 WHERE id = 1");
  EXPECT_TRUE(session_.in_transaction());
  EXPECT_TRUE(Logged().empty()) << "nothing is logged before COMMIT";
  EXPECT_EQ(server_.Count(kCommitRecord), 0u);

  ExpectOk("COMMIT");
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{
                          {"INSERT INTO t VALUES (1)", "UPDATE t SET a = 2 WHERE id = 1"}}));
  EXPECT_FALSE(session_.in_transaction());
  EXPECT_EQ(server_.Count(kCommitRecord), 1u);
}

TEST_F(SqlSessionTest, RollbackLogsNothing) {
  ExpectOk("BEGIN");
  ExpectOk("INSERT INTO t VALUES (1)");
  ExpectOk("ROLLBACK");
  EXPECT_TRUE(WasSent("ROLLBACK"));
  EXPECT_FALSE(session_.in_transaction());
  ExpectOk("COMMIT");
  EXPECT_TRUE(Logged().empty());
  EXPECT_EQ(server_.Count(kCommitRecord), 0u);
}

TEST_F(SqlSessionTest, ReadsRunOnTheMasterAndAreNotLogged) {
  server_.Answer("SELECT a FROM t", FakeSqlServer::Rows({"a"}, {{"7"}}));
  const ExecutionResult outcome = session_.Execute("SELECT a FROM t");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  ASSERT_EQ(outcome.result.rows.size(), 1u);
  EXPECT_EQ(outcome.result.rows[0][0], "7");
  EXPECT_TRUE(Logged().empty());
  EXPECT_EQ(session_.last_write_seq(), 0u);
}

TEST_F(SqlSessionTest, StatementsAreLoggedWithTheDatabaseTheyRanIn) {
  server_.Answer("SELECT DATABASE()", FakeSqlServer::Value("shop"));
  ExpectOk("USE shop");
  EXPECT_EQ(session_.current_database(), "shop");
  ExpectOk("INSERT INTO t VALUES (1)");
  const LogRecord record = Record(0);
  ASSERT_EQ(record.statements.size(), 1u);
  EXPECT_EQ(record.statements[0].default_database, "shop");
}

TEST_F(SqlSessionTest, AnUnsafeStatementIsRefusedWithItsReasonAndNotRun) {
  const ExecutionResult outcome = session_.Execute("INSERT INTO t VALUES (UUID())");
  EXPECT_EQ(outcome.status.code(), Status::Code::kRefused);
  EXPECT_NE(outcome.status.message().find("UUID"), std::string::npos) << outcome.status.ToString();
  EXPECT_NE(outcome.status.message().find("unsafe for replication"), std::string::npos);
  EXPECT_FALSE(WasSent("INSERT INTO t VALUES (UUID())"));
  EXPECT_TRUE(Logged().empty());
}

TEST_F(SqlSessionTest, AnUnsafeStatementRunsWithAWarningWhenSoConfigured) {
  SqlSession warn_only(MySqlEndpoint(), &log_, SessionOptions{.refuse_unsafe = false}, nullptr, nullptr,
                       server_.Opener());
  const ExecutionResult outcome = warn_only.Execute("INSERT INTO t VALUES (UUID())");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  ASSERT_EQ(outcome.warnings.size(), 1u);
  EXPECT_NE(outcome.warnings[0].find("UUID"), std::string::npos) << outcome.warnings[0];
  EXPECT_EQ(Logged().size(), 1u);
}

TEST_F(SqlSessionTest, WritesToDdbMetaAreRefusedBeforeConnecting) {
  const ExecutionResult outcome = session_.Execute("DELETE FROM ddb_meta.replication_log");
  EXPECT_EQ(outcome.status.code(), Status::Code::kRefused);
  EXPECT_EQ(server_.connections_opened(), 0);
}

// select_order_ids.h: one row numbered is safe; several, in the SELECT's
// order, are undone and refused.
TEST_F(SqlSessionTest, RowsNumberedInASelectsOrderAreRolledBackAndRefused) {
  server_.Answer("SELECT COLUMN_NAME FROM information_schema.COLUMNS", FakeSqlServer::Value("id"));
  QueryResult one;
  one.affected_rows = 1;
  one.insert_id = 10;
  server_.Answer("INSERT INTO t (v) SELECT v FROM u WHERE id = 1", one);
  ExpectOk("INSERT INTO t (v) SELECT v FROM u WHERE id = 1");
  EXPECT_EQ(Logged().size(), 1u);
  QueryResult three = one;
  three.affected_rows = 3;
  server_.Answer("INSERT INTO t (v) SELECT v FROM u", three);
  const ExecutionResult outcome = session_.Execute("INSERT INTO t (v) SELECT v FROM u");
  EXPECT_EQ(outcome.status.code(), Status::Code::kRefused) << outcome.status.ToString();
  EXPECT_NE(outcome.status.message().find("rolled back"), std::string::npos);
  EXPECT_EQ(SentFrom("INSERT INTO t (v) SELECT v FROM u\n").size(), 0u);
  EXPECT_EQ(Logged().size(), 1u);
  EXPECT_EQ(server_.Sql().back(), "ROLLBACK");
  // In a transaction only the statement is undone.
  ExpectOk("BEGIN");
  EXPECT_EQ(session_.Execute("INSERT INTO t (v) SELECT v FROM u").status.code(), Status::Code::kRefused);
  EXPECT_EQ(server_.Sql().back(), "ROLLBACK TO SAVEPOINT ddb_before_program");
  EXPECT_TRUE(session_.in_transaction());
}

TEST_F(SqlSessionTest, AVariableNumberingSeveralRowsWithoutOrderIsRolledBackAndRefused) {
  QueryResult one;
  one.affected_rows = 1;
  server_.Answer("UPDATE t SET pos = (@i := @i + 1) WHERE id = 1", one);
  ExpectOk("UPDATE t SET pos = (@i := @i + 1) WHERE id = 1");
  QueryResult four;
  four.affected_rows = 4;
  server_.Answer("UPDATE t SET pos = (@i := @i + 1)", four);
  const ExecutionResult outcome = session_.Execute("UPDATE t SET pos = (@i := @i + 1)");
  EXPECT_EQ(outcome.status.code(), Status::Code::kRefused) << outcome.status.ToString();
  EXPECT_NE(outcome.status.message().find("user variable row by row"), std::string::npos);
  EXPECT_EQ(server_.Sql().back(), "ROLLBACK");
  EXPECT_EQ(Logged().size(), 1u);
}

TEST_F(SqlSessionTest, ATableMadeFromDatabaseWithoutADefaultDatabaseIsRefused) {
  QueryResult no_database = testing::FakeSessionState();
  no_database.rows[0][ReplicatedVariables().size() + 1] = std::nullopt;
  server_.Answer(SelectReplicatedVariablesSql(), no_database);
  const ExecutionResult outcome = session_.Execute("CREATE TABLE d.t AS SELECT DATABASE() AS db");
  EXPECT_EQ(outcome.status.code(), Status::Code::kRefused) << outcome.status.ToString();
  EXPECT_NE(outcome.status.message().find("USE a database first"), std::string::npos);
  EXPECT_TRUE(SentFrom("CREATE TABLE").empty());
  // A procedure's query runs in the procedure's own database.
  ExpectOk("CREATE PROCEDURE d.p() SELECT DATABASE()");
}

// mariadb-dump --all-databases selects each database it lists, ddb_meta too.
TEST_F(SqlSessionTest, DdbMetaMayBeTheDefaultDatabaseOfReadsButNotOfWrites) {
  server_.Answer("SELECT DATABASE()", FakeSqlServer::Value("ddb_meta"));
  ExpectOk("USE ddb_meta");
  for (const char* write :
       {"DELETE FROM replication_log", "CALL commit_record(1)", "TRUNCATE TABLE log_state", "DO 1"}) {
    const ExecutionResult outcome = session_.Execute(write);
    EXPECT_EQ(outcome.status.code(), Status::Code::kRefused) << write;
    EXPECT_NE(outcome.status.message().find("default database"), std::string::npos)
        << outcome.status.ToString();
  }
  EXPECT_TRUE(SentFrom("DELETE").empty());
  EXPECT_TRUE(Logged().empty());
  ExpectOk("SET @x = 1");
}

TEST_F(SqlSessionTest, AFailedAutocommitWriteIsRolledBackAndNotLogged) {
  server_.Fail("INSERT INTO t", FakeSqlServer::SqlError(1062, "Duplicate entry '1' for key 'PRIMARY'"));
  const ExecutionResult outcome = session_.Execute("INSERT INTO t VALUES (1)");
  EXPECT_EQ(outcome.status.mysql_error_code(), 1062);
  const std::vector<std::string> after = SentFrom("INSERT INTO t");
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[1], "ROLLBACK");
  EXPECT_TRUE(Logged().empty());
  EXPECT_FALSE(session_.in_transaction());
}

TEST_F(SqlSessionTest, AFailedStatementInATransactionIsNotLoggedButTheOthersAre) {
  server_.Fail("INSERT INTO t VALUES (1)", FakeSqlServer::SqlError(1062, "Duplicate entry"), 1);
  ExpectOk("BEGIN");
  EXPECT_FALSE(session_.Execute("INSERT INTO t VALUES (1)").status.ok());
  ExpectOk("INSERT INTO t VALUES (2)");
  ExpectOk("COMMIT");
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{"INSERT INTO t VALUES (2)"}}));
}

TEST_F(SqlSessionTest, ADeadlockEndsTheTransactionAndItsCommitLogsNothing) {
  ExpectOk("BEGIN");
  ExpectOk("INSERT INTO t VALUES (1)");
  server_.Fail("SET STATEMENT timestamp", FakeSqlServer::Deadlock(), 1);
  EXPECT_EQ(session_.Execute("UPDATE t SET a = 1").status.mysql_error_code(), 1213);
  EXPECT_FALSE(session_.in_transaction()) << "InnoDB rolled the whole transaction back";
  ExpectOk("COMMIT");
  EXPECT_TRUE(Logged().empty());
  EXPECT_EQ(server_.Count(kCommitRecord), 0u);
}

TEST_F(SqlSessionTest, ASessionLostInATransactionSaysNothingWasLoggedAndReconnects) {
  ExpectOk("BEGIN");
  ExpectOk("INSERT INTO t VALUES (1)");
  server_.Fail("SET STATEMENT timestamp", FakeSqlServer::LostSession(), 1);
  const ExecutionResult lost = session_.Execute("INSERT INTO t VALUES (2)");
  EXPECT_EQ(lost.status.mysql_error_code(), 2013);
  EXPECT_NE(lost.status.message().find("rolled back; nothing was logged"), std::string::npos)
      << lost.status.ToString();
  EXPECT_FALSE(session_.in_transaction());

  ExpectOk("INSERT INTO t VALUES (3)");
  EXPECT_EQ(server_.connections_opened(), 3) << "the session's two, and ddb's own that admits log writers";
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{"INSERT INTO t VALUES (3)"}}));
}

TEST_F(SqlSessionTest, ACommitThatLostItsAnswerButCommittedCountsAsWritten) {
  server_.Fail(kCommitRecord, FakeSqlServer::LostSession(), 1);
  server_.Answer("SELECT COUNT(*) FROM information_schema.PROCESSLIST", FakeSqlServer::Value("0"));
  server_.Answer("SELECT state FROM ddb_meta.replication_log", FakeSqlServer::Value("done"));
  ExpectOk("INSERT INTO t VALUES (1)");
  EXPECT_EQ(session_.last_write_seq(), 1u);
  EXPECT_EQ(Logged().size(), 1u);
  // The session was ended to settle it: the next statement runs on a new one.
  ExpectOk("INSERT INTO t VALUES (2)");
  int runs_of_the_second = 0;
  for (const FakeStatement& statement : server_.statements()) {
    if (testing::StatementProper(statement.sql) == "INSERT INTO t VALUES (2)") {
      ++runs_of_the_second;
      EXPECT_NE(statement.connection, 1);
    }
  }
  EXPECT_GE(runs_of_the_second, 1);
  EXPECT_EQ(Logged().size(), 2u);
  EXPECT_EQ(session_.last_write_seq(), 2u);
}

TEST_F(SqlSessionTest, BeginCommitsAnOpenTransactionThroughTheLog) {
  ExpectOk("BEGIN");
  ExpectOk("INSERT INTO t VALUES (1)");
  ExpectOk("BEGIN");
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{"INSERT INTO t VALUES (1)"}}));
  EXPECT_TRUE(session_.in_transaction());
}

TEST_F(SqlSessionTest, DdlCommitsTheOpenTransactionThenIsLoggedByItself) {
  ExpectOk("BEGIN");
  ExpectOk("INSERT INTO t VALUES (1)");
  ExpectOk("CREATE TABLE u (id INT PRIMARY KEY)");
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{"INSERT INTO t VALUES (1)"},
                                                             {"CREATE TABLE u (id INT PRIMARY KEY)"}}));
  EXPECT_EQ(session_.last_write_seq(), 2u);
  // Its metadata locks are taken without waiting, and the session's own
  // lock_wait_timeout given back afterwards.
  EXPECT_TRUE(WasSent("SET SESSION lock_wait_timeout = 0"));
  EXPECT_TRUE(WasSent("SET SESSION lock_wait_timeout = 60"));
}

TEST_F(SqlSessionTest, DdlWhoseMetadataLockIsBusyIsTriedAgain) {
  server_.Fail("CREATE TABLE u", FakeSqlServer::SqlError(1205, "Lock wait timeout exceeded"), 2);
  ExpectOk("CREATE TABLE u (id INT PRIMARY KEY)");
  EXPECT_EQ(server_.Count("CREATE TABLE u"), 3u);
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{"CREATE TABLE u (id INT PRIMARY KEY)"}}));
  EXPECT_EQ(session_.last_write_seq(), 1u) << "the busy tries left no gap";
}

// A slow wait before the try (the DDL barrier under a steady write load,
// the log's own row) says nothing about which lock failed: only the
// statement's own run is timed.
TEST_F(SqlSessionTest, DdlWhoseMetadataLockIsBusyIsTriedAgainHoweverLongItWaitedForItsTurn) {
  server_.On(
      "CALL ddb_meta.ddl_pending",
      [](const FakeStatement&, QueryResult*) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));
        return Status::Ok();
      },
      1);
  server_.Fail("CREATE TABLE u", FakeSqlServer::SqlError(1205, "Lock wait timeout exceeded"), 1);
  ExpectOk("CREATE TABLE u (id INT PRIMARY KEY)");
  EXPECT_EQ(server_.Count("CREATE TABLE u"), 2u);
}

// The same error after the session's innodb_lock_wait_timeout is a row lock
// the statement waited for (CREATE TABLE ... SELECT reading locked rows):
// the user's answer, not tried again while every commit waits.
TEST_F(SqlSessionTest, DdlThatWaitedItsRowLockTimeoutIsNotTriedAgain) {
  server_.Answer("SELECT @@session.lock_wait_timeout",
                 FakeSqlServer::Rows({"lock_wait_timeout", "innodb_lock_wait_timeout"}, {{"60", "1"}}), 1);
  server_.On(
      "CREATE TABLE u",
      [](const FakeStatement&, QueryResult*) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1050));
        return FakeSqlServer::SqlError(1205, "Lock wait timeout exceeded");
      },
      1);
  const ExecutionResult result = session_.Execute("CREATE TABLE u SELECT * FROM t");
  EXPECT_EQ(result.status.mysql_error_code(), 1205) << result.status.ToString();
  EXPECT_EQ(server_.Count("CREATE TABLE u"), 1u);
  EXPECT_TRUE(Logged().empty());
  EXPECT_TRUE(WasSent("SET SESSION lock_wait_timeout = 60"));
}

TEST_F(SqlSessionTest, TemporaryTablesStayOnTheMasterUnlogged) {
  ExpectOk("CREATE TEMPORARY TABLE tmp (id INT)");
  ExpectOk("INSERT INTO tmp SELECT id FROM t");
  ExpectOk("SELECT * FROM tmp");
  EXPECT_TRUE(WasSent("CREATE TEMPORARY TABLE tmp (id INT)"));
  EXPECT_TRUE(WasSent("INSERT INTO tmp SELECT id FROM t"));
  EXPECT_TRUE(Logged().empty());
  // Its rows into a table that replicates: the master reads them, and runs
  // and logs them as values.
  server_.Answer("SELECT id FROM tmp", FakeSqlServer::Rows({"id"}, {{"7"}, {"it's"}}));
  ExpectOk("INSERT INTO t SELECT id FROM tmp");
  EXPECT_FALSE(WasSent("INSERT INTO t SELECT id FROM tmp"));
  const std::string as_values = "INSERT INTO t VALUES (_utf8mb4 X'37'), (_utf8mb4 X'69742773')";
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{as_values}}));
  EXPECT_EQ(session_.Execute("INSERT INTO t SELECT id FROM tmp ON DUPLICATE KEY UPDATE id = 1").status.code(),
            Status::Code::kRefused);
  ExpectOk("DROP TEMPORARY TABLE tmp");
  // Without the temporary table, `tmp` is a table like any other.
  ExpectOk("INSERT INTO tmp VALUES (1)");
  EXPECT_EQ(Logged(), (std::vector<std::vector<std::string>>{{as_values}, {"INSERT INTO tmp VALUES (1)"}}));
}

TEST_F(SqlSessionTest, TemporaryRowsTooLargeForALogRecordAreRefusedBeforeTheyRun) {
  // 256 KiB packets: a record of at most 128 KiB less the envelope.
  server_.Answer("SELECT @@global.max_allowed_packet", FakeSqlServer::Value("262144"));
  ExpectOk("CREATE TEMPORARY TABLE tmp (v VARCHAR(40))");
  std::vector<std::vector<std::optional<std::string>>> rows(4000, {std::string(30, 'x')});
  QueryResult staged = FakeSqlServer::Rows({"v"}, {});
  staged.rows = rows;
  server_.Answer("SELECT v FROM tmp", staged);
  const ExecutionResult result = session_.Execute("INSERT INTO t SELECT v FROM tmp");
  EXPECT_EQ(result.status.code(), Status::Code::kRefused) << result.status.ToString();
  EXPECT_NE(result.status.message().find("4000 rows"), std::string::npos) << result.status.message();
  EXPECT_TRUE(SentFrom("INSERT INTO t").empty());
  EXPECT_TRUE(Logged().empty());
}

TEST_F(SqlSessionTest, ASlaveConsolesForwardedSessionMakesNoTemporaryTable) {
  SessionOptions forwarded;
  forwarded.temporary_tables = false;
  SqlSession session(MySqlEndpoint(), &log_, forwarded, nullptr, nullptr, server_.Opener());
  const ExecutionResult outcome = session.Execute("CREATE TEMPORARY TABLE tmp (id INT)");
  EXPECT_EQ(outcome.status.code(), Status::Code::kRefused);
  EXPECT_NE(outcome.status.message().find("slave's console"), std::string::npos) << outcome.status.ToString();
  EXPECT_FALSE(WasSent("CREATE TEMPORARY TABLE tmp (id INT)"));
}

}  // namespace
}  // namespace ddb

namespace ddb {
namespace {

TEST_F(SqlSessionTest, TheAccountIsAdmittedWithTheStateReadOnConnectAndARefusalEndsTheConnection) {
  std::vector<std::string> admitted;
  bool refuse = true;
  SqlSession session(MySqlEndpoint(), &log_, SessionOptions(), nullptr, nullptr, server_.Opener(),
                     [&](const std::string& current_user) {
                       admitted.push_back(current_user);
                       return refuse ? Status::Refused("no log access for " + current_user) : Status::Ok();
                     });
  const ExecutionResult refused = session.Execute("INSERT INTO t VALUES (1)");
  EXPECT_NE(refused.status.message().find("no log access for app@%"), std::string::npos)
      << refused.status.ToString();
  EXPECT_EQ(server_.Count("INSERT INTO t"), 0u) << "nothing runs before the account is admitted";
  EXPECT_EQ(server_.Count("SELECT CURRENT_USER()"), 0u) << "the account comes with the session's state";
  refuse = false;
  EXPECT_TRUE(session.Execute("INSERT INTO t VALUES (1)").status.ok());
  EXPECT_EQ(admitted, (std::vector<std::string>{"app@%", "app@%"})) << "a refused connection is not kept";
}

}  // namespace
}  // namespace ddb
