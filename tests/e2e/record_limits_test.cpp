// A transaction too large for one log record is refused at COMMIT, rolled
// back, and the session goes on working; nothing half-replicated.
#include <gtest/gtest.h>

#include "cluster.h"
#include "endpoint_clients.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

// 1 MiB packets: a record may be at most half of it less the envelope
// (ReplicationLog::CheckRecordFits), so ~450 KiB.
constexpr int kMaxPacket = 1024 * 1024;

class RecordLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions options;
    options.mysql_endpoint = true;
    options.slaves = 1;
    cluster_ = std::make_unique<Cluster>(options);
    cluster_->master_db().Execute("SET GLOBAL max_allowed_packet = " + std::to_string(kMaxPacket));
    cluster_->StartAll();
    ASSERT_TRUE(ExecuteThroughEndpoint(
                    *cluster_, {"CREATE DATABASE big", "CREATE TABLE big.t (id INT PRIMARY KEY, v LONGTEXT)"})
                    .ok());
    client_ = ConnectWithin(ClientEndpoint(*cluster_, "big"), std::chrono::seconds(10));
    ASSERT_TRUE(client_);
  }

  static std::string InsertOf(int id, size_t bytes) {
    return "INSERT INTO t VALUES (" + std::to_string(id) + ", '" + std::string(bytes, 'x') + "')";
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<MySqlConnection> client_;
};

TEST_F(RecordLimitsTest, ATransactionTooLargeForOneRecordIsRefusedAtCommitAndTheSessionGoesOn) {
  const uint64_t before = cluster_->MasterLastSeq();
  ASSERT_TRUE(client_->Execute("BEGIN").ok());
  for (int id = 1; id <= 5; ++id) ASSERT_TRUE(client_->Execute(InsertOf(id, 100 * 1024)).ok());
  const Status commit = client_->Execute("COMMIT");
  ASSERT_FALSE(commit.ok());
  EXPECT_NE(commit.message().find("too large to replicate"), std::string::npos) << commit.ToString();
  EXPECT_NE(commit.message().find("rolled back"), std::string::npos) << commit.ToString();

  // The same session: nothing of it stayed, and it works as before.
  QueryResult count;
  ASSERT_TRUE(client_->Execute("SELECT COUNT(*) FROM t", &count).ok());
  EXPECT_EQ(count.rows.at(0).at(0).value_or(""), "0");
  ASSERT_TRUE(client_->Execute(InsertOf(10, 10)).ok());
  EXPECT_EQ(cluster_->MasterLastSeq(), before + 1) << "only the small insert is logged";

  // One statement alone can be too large as well (it fits the packet, not the record).
  const Status single = client_->Execute(InsertOf(11, 600 * 1024));
  ASSERT_FALSE(single.ok());
  EXPECT_NE(single.message().find("too large to replicate"), std::string::npos) << single.ToString();
  ASSERT_TRUE(client_->Execute("SELECT COUNT(*) FROM t", &count).ok());
  EXPECT_EQ(count.rows.at(0).at(0).value_or(""), "1");

  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)));
  cluster_->ExpectTableEqualEverywhere("big", "t");
}

}  // namespace
}  // namespace ddb::testing
