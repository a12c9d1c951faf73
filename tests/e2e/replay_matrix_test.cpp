// The replay matrix: statements of every kind MariaDB 10.11 has, each sent
// through the master's MySQL endpoint as an application would. Each case
// either runs and leaves every node equal, or is refused with a message
// that says why and logs nothing. There is no third outcome.
#include <gtest/gtest.h>

#include <set>

#include "cluster.h"
#include "endpoint_clients.h"
#include "replay_matrix_cases.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

class ReplayMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ClusterOptions options;
    options.mysql_endpoint = true;
    cluster_ = new Cluster(options);
    cluster_->StartAll();
    ASSERT_TRUE(ExecuteThroughEndpoint(*cluster_, {"CREATE DATABASE m CHARACTER SET utf8mb4"}).ok());
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  // Every table of m on the master (views show what their tables hold).
  static std::vector<std::string> Tables() {
    std::vector<std::string> names;
    for (const auto& row : cluster_->master_db().Query(
             "SELECT table_name FROM information_schema.tables WHERE table_schema = 'm' "
             "AND table_type IN ('BASE TABLE', 'SYSTEM VERSIONED') ORDER BY table_name")) {
      names.push_back(row.at(0));
    }
    return names;
  }

  static std::string Objects(MariaDbInstance& db) {
    return db.QueryValue(
        "SELECT CONCAT_WS('|', (SELECT GROUP_CONCAT(table_name ORDER BY table_name) FROM "
        "information_schema.tables "
        "WHERE table_schema = 'm'), (SELECT GROUP_CONCAT(routine_name ORDER BY routine_name) FROM "
        "information_schema.routines WHERE routine_schema = 'm'), (SELECT GROUP_CONCAT(trigger_name ORDER BY "
        "trigger_name) FROM information_schema.triggers WHERE trigger_schema = 'm'))");
  }

  static Cluster* cluster_;
};

Cluster* ReplayMatrixTest::cluster_ = nullptr;

TEST_F(ReplayMatrixTest, EveryCaseIsRefusedWithAReasonOrLeavesEveryNodeEqual) {
  const std::vector<MatrixCase>& cases = ReplayMatrixCases();
  ASSERT_GE(cases.size(), 80u);
  for (const MatrixCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::unique_ptr<MySqlConnection> client =
        ConnectWithin(ClientEndpoint(*cluster_, "m"), std::chrono::seconds(10));
    ASSERT_TRUE(client) << "cannot connect to the endpoint";
    for (size_t i = 0; i < c.statements.size(); ++i) {
      const bool last = i + 1 == c.statements.size();
      const uint64_t seq_before = cluster_->MasterLastSeq();
      const Status s = client->Execute(c.statements[i]);
      if (last && c.refused_with != nullptr) {
        ASSERT_FALSE(s.ok()) << "expected a refusal of: " << c.statements[i];
        EXPECT_NE(s.message().find(c.refused_with), std::string::npos)
            << c.statements[i] << " was refused with: " << s.message();
        EXPECT_EQ(cluster_->MasterLastSeq(), seq_before) << "a refused statement logged something";
      } else {
        ASSERT_TRUE(s.ok()) << c.statements[i] << ": " << s.ToString();
      }
    }
    client.reset();
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60))) << "a slave stopped or fell behind";
    for (int i = 0; i < cluster_->slave_count(); ++i) {
      EXPECT_EQ(Objects(cluster_->slave_db(i)), Objects(cluster_->master_db()))
          << "schema objects on slave" << i + 1;
    }
    for (const std::string& table : Tables()) cluster_->ExpectTableEqualEverywhere("m", table);
    if (::testing::Test::HasFailure()) break;  // later cases build on this one's state
  }
}

}  // namespace
}  // namespace ddb::testing
