#include "ddb/mysql/replay_session.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fake_sql_connection.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;

LoggedStatement Statement(std::vector<SessionSetting> settings) {
  LoggedStatement statement;
  statement.sql = "INSERT INTO t VALUES (DATE_FORMAT(NOW(), '%W'))";
  statement.settings = std::move(settings);
  return statement;
}

class ReplaySessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Opener()(MySqlEndpoint{}, MySqlOpenOptions{}, &connection_).ok());
  }

  // The SET that went before the last statement ("" when none did).
  std::string LastSet() const {
    const std::vector<std::string> sent = server_.Sql();
    return sent.size() >= 2 && sent[sent.size() - 2].starts_with("SET ") ? sent[sent.size() - 2] : "";
  }

  FakeSqlServer server_;
  std::unique_ptr<SqlConnection> connection_;
};

TEST_F(ReplaySessionTest, SeldomChangedVariablesTravelOnlyWhenUnusualAndAreSetBackWithout) {
  ReplaySession session(*connection_);
  // The first statement sets every seldom-changed variable to MariaDB's
  // default: the applier's session may start from its server's my.cnf.
  ASSERT_TRUE(session.Execute(Statement({{"sql_mode", "''"}})).ok());
  EXPECT_NE(LastSet().find("@@session.lc_time_names = 'en_US'"), std::string::npos) << LastSet();
  EXPECT_NE(LastSet().find("@@session.system_versioning_asof = DEFAULT"), std::string::npos) << LastSet();
  ASSERT_TRUE(session.Execute(Statement({{"sql_mode", "''"}, {"lc_time_names", "'de_DE'"}})).ok());
  EXPECT_EQ(LastSet(), "SET @@session.lc_time_names = 'de_DE'");
  ASSERT_TRUE(session.Execute(Statement({{"sql_mode", "''"}, {"lc_time_names", "'de_DE'"}})).ok());
  EXPECT_EQ(LastSet(), "");
  ASSERT_TRUE(session.Execute(Statement({{"sql_mode", "''"}})).ok());
  EXPECT_EQ(LastSet(), "SET @@session.lc_time_names = 'en_US'");
}

TEST_F(ReplaySessionTest, AfterACallTheContextIsSetAgain) {
  // A procedure may SET what this session remembers as set.
  ReplaySession session(*connection_);
  ASSERT_TRUE(session.Execute(Statement({{"time_zone", "'SYSTEM'"}})).ok());
  LoggedStatement call = Statement({{"time_zone", "'SYSTEM'"}});
  call.sql = "CALL set_tz()";
  ASSERT_TRUE(session.Execute(call).ok());
  ASSERT_TRUE(session.Execute(Statement({{"time_zone", "'SYSTEM'"}})).ok());
  EXPECT_NE(LastSet().find("@@session.time_zone = 'SYSTEM'"), std::string::npos) << LastSet();
}

TEST_F(ReplaySessionTest, UserVariablesAStatementDoesNotCarryAreNullForIt) {
  // The applier's one session replays every master session: what one set
  // is not there for the next, whose triggers and routines would read it.
  ReplaySession session(*connection_);
  ASSERT_TRUE(session.Execute(Statement({{"@`Tag`", "'first'"}, {"@n", "5"}})).ok());
  EXPECT_NE(LastSet().find("@`Tag` = 'first', @n = 5"), std::string::npos) << LastSet();
  ASSERT_TRUE(session.Execute(Statement({{"@tag", "'second'"}})).ok());
  EXPECT_NE(LastSet().find("@tag = 'second', @n = NULL"), std::string::npos) << LastSet();
  ASSERT_TRUE(session.Execute(Statement({})).ok());
  EXPECT_NE(LastSet().find("@`Tag` = NULL"), std::string::npos) << LastSet();
  ASSERT_TRUE(session.Execute(Statement({})).ok());
  EXPECT_EQ(LastSet(), "") << "cleared once";
}

TEST_F(ReplaySessionTest, VariablesAProcedureSetAreClearedForTheNextStatement) {
  ReplaySession session(*connection_);
  QueryResult held;
  held.rows = {{std::string("set inside")}};
  server_.Answer("SELECT VARIABLE_NAME FROM information_schema.USER_VARIABLES", held);
  LoggedStatement call = Statement({});
  call.sql = "CALL set_inside()";
  ASSERT_TRUE(session.Execute(call).ok());
  EXPECT_EQ(server_.Sql().back(), "SELECT VARIABLE_NAME FROM information_schema.USER_VARIABLES");
  ASSERT_TRUE(session.Execute(Statement({})).ok());
  EXPECT_NE(LastSet().find("@`set inside` = NULL"), std::string::npos) << LastSet();
}

TEST_F(ReplaySessionTest, ADroppedDefaultDatabaseIsUsedAgainOnceRecreated) {
  // The master's sessions: one in shop; another, with no database, drops
  // shop and makes it again; a third in shop creates a table. The applier
  // replays all three in one session, which the DROP left without one.
  ReplaySession session(*connection_);
  LoggedStatement in_shop = Statement({});
  in_shop.default_database = "shop";
  ASSERT_TRUE(session.Execute(in_shop).ok());
  EXPECT_EQ(server_.Sql().front(), "USE `shop`");
  LoggedStatement drop = Statement({});
  drop.sql = "DROP DATABASE shop";
  ASSERT_TRUE(session.Execute(drop).ok());
  LoggedStatement create = Statement({});
  create.sql = "CREATE DATABASE shop";
  ASSERT_TRUE(session.Execute(create).ok());
  const size_t before = server_.Sql().size();
  ASSERT_TRUE(session.Execute(in_shop).ok());
  const std::vector<std::string> sent = server_.Sql();
  EXPECT_NE(std::find(sent.begin() + static_cast<std::ptrdiff_t>(before), sent.end(), "USE `shop`"),
            sent.end());
}

TEST(ReplicatedVariableLiteralTest, NumbersBareStringsQuotedAndAsOfDefaultAKeyword) {
  const ReplicatedVariable number{"group_concat_max_len", true, "1048576"};
  const ReplicatedVariable text{"lc_time_names", false, "'en_US'"};
  const ReplicatedVariable as_of{"system_versioning_asof", false, "DEFAULT"};
  EXPECT_EQ(ReplicatedVariableLiteral(number, "10"), "10");
  EXPECT_EQ(ReplicatedVariableLiteral(text, "de_DE"), "'de_DE'");
  EXPECT_EQ(ReplicatedVariableLiteral(as_of, "DEFAULT"), "DEFAULT");
  EXPECT_EQ(ReplicatedVariableLiteral(as_of, "2020-01-01 00:00:00.000000"), "'2020-01-01 00:00:00.000000'");
}

}  // namespace
}  // namespace ddb
