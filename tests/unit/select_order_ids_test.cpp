// INSERT … SELECT without ORDER BY that leaves an AUTO_INCREMENT column to
// the server: unsafe, whatever else the statement looks like, once the
// catalog says the table has one; every other shape asks nothing.
#include "select_order_ids.h"

#include <gtest/gtest.h>

#include <memory>

#include "fake_sql_connection.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;

class SelectOrderIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // shop.t has an AUTO_INCREMENT column named id; nothing else has one.
    server_.On("SELECT COLUMN_NAME FROM information_schema.COLUMNS",
               [](const testing::FakeStatement& statement, QueryResult* result) {
                 const bool t = statement.params.size() == 2 &&
                                std::get<std::string>(statement.params[0]) == "shop" &&
                                std::get<std::string>(statement.params[1]) == "t";
                 *result = t ? FakeSqlServer::Value("id") : FakeSqlServer::Rows({"COLUMN_NAME"}, {});
                 return Status::Ok();
               });
    ASSERT_TRUE(server_.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection_).ok());
  }

  std::string Reason(const std::string& sql) {
    std::string reason;
    const Status s = SelectOrderIdsUnsafeReason(*connection_, ParseStatement(sql), "shop", &reason);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return reason;
  }

  FakeSqlServer server_;
  std::unique_ptr<SqlConnection> connection_;
};

TEST_F(SelectOrderIdsTest, RowsNumberedInTheSelectsOrderAreUnsafe) {
  for (const char* sql :
       {"INSERT INTO t (v) SELECT v FROM u WHERE n > 3", "insert t (v, n) select v, n from u",
        "INSERT INTO shop.t (v) WITH x AS (SELECT v FROM u) SELECT v FROM x",
        "INSERT INTO t (v) (SELECT v FROM u)"}) {
    const std::string reason = Reason(sql);
    EXPECT_NE(reason.find("AUTO_INCREMENT column id"), std::string::npos) << sql << ": " << reason;
    EXPECT_NE(reason.find("ORDER BY on a unique key"), std::string::npos) << reason;
  }
}

TEST_F(SelectOrderIdsTest, OtherShapesAreSafeAndMostAskNothing) {
  for (const char* sql :
       {"INSERT INTO t (v) SELECT v FROM u ORDER BY id", "INSERT INTO t SELECT * FROM u",
        "INSERT INTO t (id, v) SELECT id, v FROM u", "INSERT INTO t (`ID`, v) SELECT id, v FROM u",
        "INSERT INTO t (v) VALUES ('a'), ('b')", "INSERT INTO t (v) SELECT 'one row'",
        "INSERT INTO t (v) SELECT (SELECT MAX(v) FROM u)", "INSERT INTO other (v) SELECT v FROM u",
        "UPDATE t SET v = 1", "INSERT IGNORE INTO t (v) SELECT v FROM u"}) {
    EXPECT_EQ(Reason(sql), "") << sql;
  }
  EXPECT_EQ(server_.Count("SELECT COLUMN_NAME"), 3u) << "asked only for the column lists without ORDER BY";
}

}  // namespace
}  // namespace ddb
