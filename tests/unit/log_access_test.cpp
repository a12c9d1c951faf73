#include "log_access.h"

#include <gtest/gtest.h>

#include "fake_sql_connection.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;

TEST(LogAccessTest, AnAccountIsGrantedTheLogsProceduresOncePerProcess) {
  FakeSqlServer server;
  LogAccess access(MySqlEndpoint(), server.Opener());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(access.Admit("app@%").ok());
  EXPECT_EQ(server.Count("GRANT EXECUTE ON PROCEDURE ddb_meta."), std::size(kLogProcedures));
  EXPECT_EQ(server.Count("GRANT EXECUTE ON PROCEDURE ddb_meta.commit_record TO `app`@`%`"), 1u);
}

TEST(LogAccessTest, AGrantRefusedNamesWhatDdbsAccountLacks) {
  FakeSqlServer server;
  server.Fail("GRANT EXECUTE", FakeSqlServer::SqlError(1044, "Access denied for user 'ddb'@'localhost'"));
  LogAccess access(MySqlEndpoint(), server.Opener());
  const Status s = access.Admit("app@%");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("WITH GRANT OPTION"), std::string::npos) << s.message();
  EXPECT_EQ(server.Count("GRANT EXECUTE"), 1u);
  // Not remembered as granted: the next session tries again.
  ASSERT_TRUE(access.Admit("app@%").ok());
  EXPECT_EQ(server.Count("GRANT EXECUTE"), 1 + std::size(kLogProcedures));
}

TEST(LogAccessTest, AnAccountMySqlRefusesIsToldHowToCreateIt) {
  FakeSqlServer server;
  server.FailOpen(FakeSqlServer::SqlError(1045, "Access denied for user 'ghost'@'localhost'"));
  LogAccess access(MySqlEndpoint(), server.Opener());
  std::unique_ptr<SqlConnection> connection;
  const Status s = access.Open(MySqlEndpoint(), MySqlOpenOptions(), &connection);
  EXPECT_EQ(s.mysql_error_code(), 1045);
  EXPECT_NE(s.message().find("create it through ddb"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace ddb
