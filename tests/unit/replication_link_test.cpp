// The replication link, both ends in one process over loopback TCP: the
// master's ReplicationServer (one SlaveLink per slave) and the slave's
// MasterLink feeding an ApplyQueue. No MySQL: the records come from the
// master's in-memory window and the slave's "applier" is the test popping
// the queue.
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "apply_queue.h"
#include "ddb/base/log_record.h"
#include "ddb/daemon/shutdown.h"
#include "fencing.h"
#include "master_link.h"
#include "recent_records.h"
#include "replication_log.h"
#include "replication_server.h"
#include "slave_registry.h"
#include "wait.h"

namespace ddb {
namespace {

using std::chrono::milliseconds;
using testing::WaitFor;

constexpr char kSecret[] = "link-test-secret";

std::shared_ptr<spdlog::logger> Quiet(const std::string& name) {
  return std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
}

// Record #seq: one INSERT naming its own number, so order is visible.
EncodedRecordPtr Record(uint64_t seq) {
  LogRecord record;
  record.seq = seq;
  record.committed_at_micros = static_cast<int64_t>(seq) * 1000;
  record.statements.push_back({"INSERT INTO t VALUES (" + std::to_string(seq) + ")", "db", 0, {}});
  return MakeEncodedRecord(seq, record.committed_at_micros, EncodeRecordBody(record));
}

// A master with slave "s1" configured; each side's io_context has its own
// thread, as in the daemons.
class ReplicationLinkTest : public ::testing::Test {
 protected:
  ReplicationLinkTest()
      : recent_(10000, 0),
        registry_({"s1"}),
        fencing_(EpochHistory({{1, 1, "m"}})),
        server_(master_io_, settings_, recent_, registry_, fencing_, Quiet("master.link")),
        master_thread_(master_io_),
        slave_thread_(slave_io_) {
    settings_.master_name = "m";
    settings_.cluster_id = "cluster-a";
    settings_.cluster_secret = kSecret;
    settings_.heartbeat = {.interval_ms = 50, .timeout_ms = 2000};
    EXPECT_TRUE(server_.Listen("127.0.0.1", 0).ok());
    server_.Start();
    master_thread_.Start();
    slave_thread_.Start();
  }

  ~ReplicationLinkTest() override {
    if (link_) link_->Stop();
    server_.Stop();
    if (queue_) queue_->Close();
    slave_thread_.Stop();
    master_thread_.Stop();
  }

  // Starts slave `name` with `secret`, holding records up to `applied`, its
  // apply queue `capacity` records long.
  void StartSlave(size_t capacity, uint64_t applied = 0, const std::string& name = "s1",
                  const std::string& secret = kSecret) {
    slave_config_.node_name = name;
    slave_config_.cluster_secret = secret;
    slave_config_.master_host = "127.0.0.1";
    slave_config_.master_port = server_.port();
    slave_config_.reconnect_min_ms = 20;
    slave_config_.reconnect_max_ms = 100;
    slave_config_.heartbeat = {.interval_ms = 50, .timeout_ms = 2000};
    queue_ = std::make_unique<ApplyQueue>(capacity);
    Membership membership;
    membership.remember_cluster = [this](const std::string& id) {
      remembered_cluster_ = id;
      return Status::Ok();
    };
    membership.remember_epochs = [](const EpochHistory&) { return Status::Ok(); };
    link_ = std::make_unique<MasterLink>(slave_io_, slave_config_, *queue_, status_, queries_,
                                         std::move(membership), applied, Quiet("slave.link"));
    link_->Start();
  }

  // Pops records until `count` arrived or 10 s passed; their seqs in order.
  std::vector<uint64_t> Receive(size_t count, size_t batch = 1000) {
    std::vector<uint64_t> seqs;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (seqs.size() < count && std::chrono::steady_clock::now() < deadline) {
      std::vector<LogRecord> popped;
      if (!queue_->PopBatch(batch, milliseconds(50), &popped)) continue;
      for (const LogRecord& record : popped) {
        EXPECT_EQ(record.statements.at(0).sql, "INSERT INTO t VALUES (" + std::to_string(record.seq) + ")");
        seqs.push_back(record.seq);
      }
    }
    return seqs;
  }

  static std::vector<uint64_t> Range(uint64_t first, uint64_t last) {
    std::vector<uint64_t> seqs;
    for (uint64_t seq = first; seq <= last; ++seq) seqs.push_back(seq);
    return seqs;
  }

  SlaveStatus MasterView() const { return registry_.Snapshot().at(0); }

  // What the links refer to outlives the io_contexts: stopped contexts
  // destroy the coroutines they still hold, and with them the links.
  LinkSettings settings_;
  RecentRecords recent_;
  SlaveRegistry registry_;
  Fencing fencing_;
  SlaveConfig slave_config_;
  SlaveStatusBoard status_;
  QueryWorker queries_{MySqlEndpoint{}};  // never started: the master sends no queries here
  std::unique_ptr<ApplyQueue> queue_;
  asio::io_context master_io_;
  asio::io_context slave_io_;
  ReplicationServer server_;
  std::unique_ptr<MasterLink> link_;
  IoThread master_thread_;
  IoThread slave_thread_;
  std::string remembered_cluster_;
};

TEST_F(ReplicationLinkTest, TheBacklogThenLiveRecordsArriveInOrderAndAcksReachTheMaster) {
  for (uint64_t seq = 1; seq <= 50; ++seq) recent_.Append(Record(seq));
  StartSlave(1000);
  EXPECT_EQ(Receive(50), Range(1, 50));
  EXPECT_EQ(remembered_cluster_, "cluster-a") << "a slave joining for the first time keeps the cluster id";

  for (uint64_t seq = 51; seq <= 60; ++seq) recent_.Append(Record(seq));
  EXPECT_EQ(Receive(10), Range(51, 60)) << "records committed while linked are pushed as they come";

  link_->Applied(60);
  EXPECT_TRUE(WaitFor([&] { return MasterView().acked_seq == 60; }, milliseconds(5000)))
      << "the master's view of s1: #" << MasterView().acked_seq;
  EXPECT_EQ(MasterView().state, SlaveState::kOnline);
  EXPECT_EQ(status_.Snapshot().link, LinkState::kConnected);
}

TEST_F(ReplicationLinkTest, ASlaveResumesAfterWhatItHoldsWithoutGapsOrRepeats) {
  for (uint64_t seq = 1; seq <= 30; ++seq) recent_.Append(Record(seq));
  StartSlave(1000, /*applied=*/20);
  EXPECT_EQ(Receive(10), Range(21, 30));
}

TEST_F(ReplicationLinkTest, AFullApplyQueueHoldsTheStreamBackAndLosesNothing) {
  constexpr uint64_t kRecords = 2000;
  for (uint64_t seq = 1; seq <= kRecords; ++seq) recent_.Append(Record(seq));
  StartSlave(/*capacity=*/3);
  // Nobody pops: the link hands over three records and then reads no more.
  ASSERT_TRUE(WaitFor([&] { return status_.Snapshot().received_seq == 3; }, milliseconds(5000)));
  EXPECT_FALSE(WaitFor([&] { return status_.Snapshot().received_seq > 3; }, milliseconds(300)))
      << "the link must not take records the queue has no room for";
  // A slow applier, a few records at a time: still every record, in order.
  EXPECT_EQ(Receive(kRecords, /*batch=*/2), Range(1, kRecords));
}

TEST_F(ReplicationLinkTest, AWrongSecretIsRefusedAndNothingIsSent) {
  for (uint64_t seq = 1; seq <= 5; ++seq) recent_.Append(Record(seq));
  StartSlave(1000, 0, "s1", "not-the-secret");
  ASSERT_TRUE(WaitFor([&] { return status_.Snapshot().link == LinkState::kRefused; }, milliseconds(5000)))
      << LinkStateName(status_.Snapshot().link) << ": " << status_.Snapshot().link_detail;
  std::vector<LogRecord> popped;
  EXPECT_FALSE(queue_->PopBatch(10, milliseconds(100), &popped));
  EXPECT_EQ(MasterView().state, SlaveState::kNeverConnected);
  EXPECT_TRUE(remembered_cluster_.empty()) << "a master that did not prove itself is not joined";
}

TEST_F(ReplicationLinkTest, ASlaveTheMasterDoesNotKnowIsRefused) {
  recent_.Append(Record(1));
  StartSlave(1000, 0, "stranger");
  ASSERT_TRUE(WaitFor([&] { return status_.Snapshot().link == LinkState::kRefused; }, milliseconds(5000)))
      << LinkStateName(status_.Snapshot().link) << ": " << status_.Snapshot().link_detail;
  EXPECT_NE(status_.Snapshot().link_detail.find("stranger"), std::string::npos)
      << status_.Snapshot().link_detail;
}

}  // namespace
}  // namespace ddb
