// A master's MySQL that hands out AUTO_INCREMENT values interleaved between
// sessions (innodb_autoinc_lock_mode = 2) is refused: a slave's replay gives
// one INSERT ... SELECT consecutive values, so the rows would differ.
#include <gtest/gtest.h>

#include "ddb/daemon/config_check.h"
#include "fake_sql_connection.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;

constexpr char kAsk[] = "SELECT @@global.innodb_autoinc_lock_mode";

std::string RefusalFor(FakeSqlServer& server) {
  std::unique_ptr<SqlConnection> connection;
  EXPECT_TRUE(server.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection).ok());
  return AutoIncrementModeRefusal(*connection);
}

std::string RefusalWithMode(const std::string& mode) {
  FakeSqlServer server;
  server.Answer(kAsk, FakeSqlServer::Rows({"mode"}, {{mode}}));
  return RefusalFor(server);
}

TEST(AutoIncrementModeRefusalTest, InterleavedModeIsRefusedWithTheFix) {
  const std::string refusal = RefusalWithMode("2");
  EXPECT_NE(refusal.find("innodb_autoinc_lock_mode = 2"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("set innodb_autoinc_lock_mode = 1"), std::string::npos) << refusal;
}

TEST(AutoIncrementModeRefusalTest, TraditionalAndConsecutiveModesAreFine) {
  EXPECT_EQ(RefusalWithMode("0"), "");
  EXPECT_EQ(RefusalWithMode("1"), "");
}

TEST(AutoIncrementModeRefusalTest, AServerWithoutTheVariableRefusesNothing) {
  FakeSqlServer server;
  server.Fail(kAsk, FakeSqlServer::SqlError(1193, "Unknown system variable 'innodb_autoinc_lock_mode'"));
  EXPECT_EQ(RefusalFor(server), "");
}

}  // namespace
}  // namespace ddb
