// The id that names one MariaDB session across server restarts
// (MySqlConnection::ReadSessionId, used to settle a COMMIT whose answer was
// lost: lost_commits.h): its CONNECTION_ID() in full, and a server start
// time on which every connection of one server run agrees and which a
// restart moves.
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "ddb/mysql/mysql_connection.h"
#include "mariadb_instance.h"
#include "wait.h"

namespace ddb::testing {
namespace {

class SessionIdTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = MariaDbInstance::Start(dir_.path() / "server"); }

  std::unique_ptr<MySqlConnection> Open() {
    MySqlEndpoint endpoint;
    endpoint.port = server_->port();
    std::unique_ptr<MySqlConnection> connection;
    const Status s = MySqlConnection::Open(endpoint, MySqlOpenOptions{.identify_session = true}, &connection);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return connection;
  }

  static std::string ConnectionIdOf(MySqlConnection& connection) {
    QueryResult result;
    EXPECT_TRUE(connection.Execute("SELECT CONNECTION_ID()", &result).ok());
    return result.rows.at(0).at(0).value_or("");
  }

  TempDir dir_{"ddb-session-id"};
  std::unique_ptr<MariaDbInstance> server_;
};

TEST_F(SessionIdTest, OneServerRunAgreesOnItsStartAndARestartMovesIt) {
  std::unique_ptr<MySqlConnection> first = Open();
  std::unique_ptr<MySqlConnection> second = Open();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(std::to_string(first->session_id().connection_id), ConnectionIdOf(*first));
  EXPECT_EQ(std::to_string(second->session_id().connection_id), ConnectionIdOf(*second));
  EXPECT_NE(first->session_id().connection_id, second->session_id().connection_id);
  const int64_t started = first->session_id().server_started_at;
  EXPECT_LE(std::llabs(second->session_id().server_started_at - started), 2);
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  EXPECT_LE(started, now);
  EXPECT_GE(started, now - 600) << "the server started with this test";
  // Read again later on the same connection: the same run.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  MySqlSessionId again;
  ASSERT_TRUE(first->ReadSessionId(&again).ok());
  EXPECT_LE(std::llabs(again.server_started_at - started), 2);
  EXPECT_EQ(again.connection_id, first->session_id().connection_id);
  // A restart: a new run, more than the slack of two seconds later.
  first.reset();
  second.reset();
  server_->Restart();
  std::unique_ptr<MySqlConnection> after = Open();
  ASSERT_TRUE(after);
  EXPECT_GT(after->session_id().server_started_at - started, 2);
}

}  // namespace
}  // namespace ddb::testing
