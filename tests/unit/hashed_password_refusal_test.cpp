// A slave's MySQL that would refuse the hashed passwords ddb replays is
// named by ddb-slave --check and at start.
#include <gtest/gtest.h>

#include "ddb/daemon/config_check.h"
#include "fake_sql_connection.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;

constexpr char kAsk[] = "SELECT @@global.strict_password_validation";

std::string RefusalWith(std::optional<std::string> strict, std::optional<std::string> plugins) {
  FakeSqlServer server;
  server.Answer(kAsk, FakeSqlServer::Rows({"strict", "plugins"}, {{std::move(strict), std::move(plugins)}}));
  std::unique_ptr<SqlConnection> connection;
  EXPECT_TRUE(server.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection).ok());
  return HashedPasswordRefusal(*connection);
}

TEST(HashedPasswordRefusalTest, AStrictValidationPluginIsNamedWithTheFix) {
  const std::string refusal = RefusalWith("1", "simple_password_check");
  EXPECT_NE(refusal.find("simple_password_check"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("SET GLOBAL strict_password_validation = OFF"), std::string::npos) << refusal;
}

TEST(HashedPasswordRefusalTest, NoPluginOrNotStrictRefusesNothing) {
  EXPECT_EQ(RefusalWith("1", std::nullopt), "")
      << "strict is the default, but without a plugin it checks nothing";
  EXPECT_EQ(RefusalWith("0", "simple_password_check"), "");
}

TEST(HashedPasswordRefusalTest, AServerThatCannotSayRefusesNothing) {
  FakeSqlServer server;
  server.Fail(kAsk, FakeSqlServer::SqlError(1193, "Unknown system variable 'strict_password_validation'"));
  std::unique_ptr<SqlConnection> connection;
  ASSERT_TRUE(server.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection).ok());
  EXPECT_EQ(HashedPasswordRefusal(*connection), "");
}

}  // namespace
}  // namespace ddb
