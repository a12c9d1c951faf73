// Which MariaDB sessions may call the log's procedures (log_writers.h).
// That the procedures refuse every other connection is shown end to end
// (EndpointPrivilegesTest.TheLogsProceduresTakeCallsFromThisMastersSessionsOnly).
#include "log_writers.h"

#include <gtest/gtest.h>

#include "fake_sql_connection.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;

MySqlSessionId Session(uint64_t id) { return MySqlSessionId{id, 1700000000}; }

class LogWritersTest : public ::testing::Test {
 protected:
  size_t Admissions() const { return server_.Count("INSERT IGNORE INTO ddb_meta.log_writers"); }

  FakeSqlServer server_;
};

TEST_F(LogWritersTest, ASessionIsWrittenOnceAndAgainAfterItWasForgotten) {
  LogWriters writers(MySqlEndpoint(), server_.Opener());
  ASSERT_TRUE(writers.Admit(Session(7)).ok());
  ASSERT_TRUE(writers.Admit(Session(7)).ok());
  EXPECT_EQ(Admissions(), 1u);
  // The same connection id on a restarted server is another connection.
  ASSERT_TRUE(writers.Admit(MySqlSessionId{7, 1800000000}).ok());
  EXPECT_EQ(Admissions(), 2u);
  writers.Forget(Session(7));
  ASSERT_TRUE(writers.Admit(Session(7)).ok());
  EXPECT_EQ(Admissions(), 3u);
  EXPECT_EQ(server_.connections_opened(), 1) << "one connection of ddb's own serves every admission";
}

TEST_F(LogWritersTest, RowsOfSessionsThatAreGoneAreRemovedAndLiveOnesKept) {
  LogWriters writers(MySqlEndpoint(), server_.Opener(), std::chrono::milliseconds(0));
  server_.Answer("SELECT ID FROM information_schema.PROCESSLIST",
                 FakeSqlServer::Rows({"ID"}, {{"2"}, {"3"}, {"40"}}));
  ASSERT_TRUE(writers.Admit(Session(1)).ok());
  ASSERT_TRUE(writers.Admit(Session(2)).ok());  // looks first: 1 is gone, its row goes
  EXPECT_EQ(server_.Count("DELETE FROM ddb_meta.log_writers WHERE id IN (1)"), 1u);
  ASSERT_TRUE(writers.Admit(Session(3)).ok());
  ASSERT_TRUE(writers.Admit(Session(40)).ok());
  EXPECT_EQ(server_.Count("DELETE FROM ddb_meta.log_writers"), 1u) << "2 and 3 are live";
  EXPECT_EQ(Admissions(), 4u);
}

TEST_F(LogWritersTest, ALostConnectionOfDdbsOwnIsReopenedOnce) {
  LogWriters writers(MySqlEndpoint(), server_.Opener());
  ASSERT_TRUE(writers.Admit(Session(1)).ok());
  server_.Fail("INSERT IGNORE INTO ddb_meta.log_writers", FakeSqlServer::LostSession(), 1);
  ASSERT_TRUE(writers.Admit(Session(2)).ok());
  EXPECT_EQ(server_.connections_opened(), 2);
  ASSERT_TRUE(writers.ForgetAll().ok());
  EXPECT_EQ(server_.Count("DELETE FROM ddb_meta.log_writers"), 1u);
  // Forgotten: admitted again.
  ASSERT_TRUE(writers.Admit(Session(1)).ok());
  EXPECT_EQ(Admissions(), 4u);
}

TEST_F(LogWritersTest, TheProcedureCheckNamesTheCallingConnection) {
  const std::string sql = LogWriters::RequireWriterSql();
  EXPECT_NE(sql.find("SELECT 1 FROM ddb_meta.log_writers WHERE id = CONNECTION_ID()"), std::string::npos)
      << sql;
  EXPECT_TRUE(LogWriters::IsRefusal(FakeSqlServer::SqlError(
      1644, "ddb_meta: only sessions of the ddb-master of this server may write the replication log")));
  EXPECT_FALSE(LogWriters::IsRefusal(FakeSqlServer::SqlError(1644, "another SIGNAL")));
}

}  // namespace
}  // namespace ddb
