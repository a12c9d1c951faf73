// SqlSession's reads with a ReadRouter: which go to a slave (over the
// registry's query hook, as a SlaveLink would run them) and which stay on
// the master, against a scripted MySQL (FakeSqlServer).
#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include "ddb/base/clock.h"
#include "fake_session_state.h"
#include "read_router.h"
#include "sql_session.h"

namespace ddb {
namespace {

using std::chrono::milliseconds;
using testing::FakeSqlServer;

class SqlSessionRoutingTest : public ::testing::Test {
 protected:
  SqlSessionRoutingTest() {
    testing::AnswerSessionSetUp(server_);
    SlaveHooks hooks;
    hooks.query = [this](QueryRequest request, milliseconds, QueryCallback done) {
      asked_.push_back(request.sql);
      QueryResult rows;
      rows.has_result_set = true;
      rows.columns = {"answer"};
      rows.rows.push_back({std::string("from s1")});
      done(Status::Ok(), rows);
    };
    link_ = registry_.Connected("s1", "127.0.0.1:1", 0, hooks);
    registry_.SetLive("s1", link_, true);
    SlaveApplied(0);
  }

  void SlaveApplied(uint64_t seq) {
    Ack ack;
    ack.applied_seq = seq;
    ack.applied_committed_at_micros = NowMicros();
    registry_.Acked("s1", link_, ack, NowMicros());
  }

  std::unique_ptr<SqlSession> Session(bool user_account = false) {
    SessionOptions options;
    options.user_account = user_account;
    return std::make_unique<SqlSession>(MySqlEndpoint(), &log_, options, &router_, nullptr, server_.Opener());
  }

  static ReadRouting Routing() {
    ReadRouting routing;
    routing.read_your_writes_wait = milliseconds(30);
    routing.read_timeout = milliseconds(1000);
    return routing;
  }

  FakeSqlServer server_;
  RecentRecords recent_{1000, 0};
  ReplicationLog log_{MySqlEndpoint(), &recent_, std::make_shared<spdlog::logger>("routing-test"), nullptr,
                      server_.Opener()};
  SlaveRegistry registry_{{"s1"}};
  ReadRouter router_{registry_, recent_, Routing()};
  uint64_t link_ = 0;
  std::vector<std::string> asked_;  // reads the slave ran
};

TEST_F(SqlSessionRoutingTest, AReadOutsideATransactionIsAnsweredByASlaveAndNeverReachesTheMaster) {
  auto session = Session();
  const ExecutionResult outcome = session->Execute("SELECT a FROM t");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  EXPECT_EQ(outcome.answered_by, "s1");
  ASSERT_EQ(outcome.result.rows.size(), 1u);
  EXPECT_EQ(outcome.result.rows[0][0], "from s1");
  EXPECT_EQ(asked_, (std::vector<std::string>{"SELECT a FROM t"}));
  EXPECT_EQ(server_.Count("SELECT a FROM t"), 0u);
}

TEST_F(SqlSessionRoutingTest, FoundRowsAndRowCountAfterASlavesReadAreThoseOfTheRead) {
  // The master's session never ran the read: its own FOUND_ROWS() and
  // ROW_COUNT() would describe an earlier statement.
  auto session = Session();
  ASSERT_EQ(session->Execute("SELECT a FROM t").answered_by, "s1");
  ASSERT_TRUE(session->Execute("SELECT FOUND_ROWS(), ROW_COUNT()").status.ok());
  // Numbers now, which any node answers alike.
  EXPECT_EQ(asked_.back(), "SELECT 1 AS `FOUND_ROWS()`, -1 AS `ROW_COUNT()`");
  // For the next statement only: after one the master ran, its own count.
  ASSERT_TRUE(session->Execute("SELECT @@version").status.ok());
  ASSERT_TRUE(session->Execute("SELECT FOUND_ROWS()").status.ok());
  EXPECT_EQ(server_.Count("SELECT FOUND_ROWS()"), 1u);
}

TEST_F(SqlSessionRoutingTest, ReadsInATransactionOrWithAutocommitOffStayOnTheMaster) {
  auto session = Session();
  ASSERT_TRUE(session->Execute("BEGIN").status.ok());
  EXPECT_EQ(session->Execute("SELECT a FROM t").answered_by, "") << "a transaction reads its own snapshot";
  ASSERT_TRUE(session->Execute("COMMIT").status.ok());
  // The session reads its autocommit back from the server after a SET.
  server_.Answer(SelectReplicatedVariablesSql(), testing::FakeSessionState("0"));
  ASSERT_TRUE(session->Execute("SET autocommit = 0").status.ok());
  EXPECT_EQ(session->Execute("SELECT b FROM t").answered_by, "") << "autocommit off opens a transaction";
  server_.Answer(SelectReplicatedVariablesSql(), testing::FakeSessionState("1"));
  ASSERT_TRUE(session->Execute("SET autocommit = 1").status.ok());
  EXPECT_EQ(session->Execute("SELECT c FROM t").answered_by, "s1");
  EXPECT_EQ(asked_, (std::vector<std::string>{"SELECT c FROM t"}));
  EXPECT_EQ(server_.Count("SELECT a FROM t"), 1u);
  EXPECT_EQ(server_.Count("SELECT b FROM t"), 1u);
}

TEST_F(SqlSessionRoutingTest, AfterAWriteOnlyASlaveThatAppliedItAnswers) {
  auto session = Session();
  ASSERT_TRUE(session->Execute("INSERT INTO t VALUES (1)").status.ok());
  ASSERT_EQ(session->last_write_seq(), 1u);
  // s1 has not applied #1: after read_your_writes_wait the master answers.
  EXPECT_EQ(session->Execute("SELECT a FROM t").answered_by, "master");
  EXPECT_TRUE(asked_.empty());
  SlaveApplied(1);
  EXPECT_EQ(session->Execute("SELECT a FROM t").answered_by, "s1");
  EXPECT_EQ(Session()->Execute("SELECT a FROM t").answered_by, "s1") << "another session wrote nothing";
}

TEST_F(SqlSessionRoutingTest, AnEndpointAccountsReadGoesToASlaveOnlyIfTheMasterAcceptsItForThatAccount) {
  const Status denied =
      FakeSqlServer::SqlError(1142, "SELECT command denied to user 'app'@'%' for table 'secret'");
  server_.Fail("PREPARE SELECT * FROM secret", denied);
  server_.Fail("SELECT * FROM secret", denied);
  auto session = Session(/*user_account=*/true);
  const ExecutionResult refused = session->Execute("SELECT * FROM secret");
  EXPECT_EQ(refused.status.mysql_error_code(), 1142) << refused.status.ToString();
  EXPECT_TRUE(asked_.empty()) << "the slave's query session has ddb's privileges, not the user's";
  EXPECT_EQ(session->Execute("SELECT a FROM t").answered_by, "s1");
  EXPECT_EQ(server_.Count("PREPARE SELECT a FROM t"), 1u) << "the privilege check is a prepare";
}

// What an account may read changes with its role: a read described with one
// is asked again once the role changed (SET ROLE), or a slave would answer it.
TEST_F(SqlSessionRoutingTest, AReadIsDescribedAgainOnceTheSessionsRoleChanged) {
  auto session = Session(/*user_account=*/true);
  server_.Answer(SelectReplicatedVariablesSql(), testing::FakeSessionState("1", "auditor"));
  ASSERT_TRUE(session->Execute("SET ROLE auditor").status.ok());
  EXPECT_EQ(session->Execute("SELECT * FROM secret").answered_by, "s1");
  server_.Answer(SelectReplicatedVariablesSql(), testing::FakeSessionState("1"));
  server_.Fail("PREPARE SELECT * FROM secret",
               FakeSqlServer::SqlError(1142, "SELECT command denied to user 'app'@'%' for table 'secret'"));
  server_.Fail("SELECT * FROM secret",
               FakeSqlServer::SqlError(1142, "SELECT command denied to user 'app'@'%' for table 'secret'"));
  ASSERT_TRUE(session->Execute("SET ROLE NONE").status.ok());
  const ExecutionResult refused = session->Execute("SELECT * FROM secret");
  EXPECT_EQ(refused.status.mysql_error_code(), 1142) << refused.status.ToString();
  EXPECT_EQ(asked_, (std::vector<std::string>{"SELECT * FROM secret"}))
      << "asked of a slave once, with the role";
  EXPECT_EQ(server_.Count("PREPARE SELECT * FROM secret"), 2u);
}

// A read's form is described once; a prepare that lost the connection is not
// MySQL's answer about the statement, so it is not kept as a refusal.
TEST_F(SqlSessionRoutingTest, AConnectionLostWhileDescribingAReadIsNotKeptAsARefusal) {
  server_.Fail("PREPARE SELECT a FROM t WHERE id = ?", FakeSqlServer::LostSession());
  auto session = Session(/*user_account=*/true);
  session->Execute("SELECT a FROM t WHERE id = 1");  // the connection is lost under it
  for (const std::string sql : {"SELECT a FROM t WHERE id = 2", "SELECT a FROM t WHERE id = 3"}) {
    const std::string by = session->Execute(sql).answered_by;
    EXPECT_TRUE(by == "s1" || by == "s2") << sql << " answered by '" << by << "'";
  }
  EXPECT_EQ(server_.Count("PREPARE SELECT a FROM t WHERE id = ?"), 2u);
  EXPECT_EQ(server_.Count("PREPARE SELECT a FROM t WHERE id = 3"), 0u) << "the form was described";
}

}  // namespace
}  // namespace ddb
