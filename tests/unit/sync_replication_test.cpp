// SyncReplication: a write waits for N slaves' acknowledgements; a wait that
// times out degrades to asynchronous until N slaves have caught up.
#include "sync_replication.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <thread>

namespace ddb {
namespace {

using std::chrono::milliseconds;

class SyncReplicationTest : public ::testing::Test {
 protected:
  SyncReplicationTest() : registry_({"s1", "s2"}) {
    s1_ = registry_.Connected("s1", "p", 0, {});
    s2_ = registry_.Connected("s2", "p", 0, {});
  }

  SyncReplication Make(int slaves, milliseconds timeout) {
    return SyncReplication(
        registry_, SyncSettings{slaves, timeout},
        std::make_shared<spdlog::logger>("sync", std::make_shared<spdlog::sinks::null_sink_mt>()));
  }

  void Acknowledge(uint64_t link, const std::string& name, uint64_t seq) {
    ddb::Ack ack;
    ack.applied_seq = seq;
    registry_.Acked(name, link, ack, 1);
  }

  SlaveRegistry registry_;
  uint64_t s1_ = 0;
  uint64_t s2_ = 0;
};

TEST_F(SyncReplicationTest, AsynchronousWritesNeverWait) {
  SyncReplication sync = Make(0, milliseconds(10000));
  EXPECT_EQ(sync.AwaitSlaves(1), "");
  EXPECT_EQ(sync.Describe(), "off (asynchronous)");
}

TEST_F(SyncReplicationTest, AWriteReturnsOnceEnoughSlavesAcknowledgeIt) {
  SyncReplication sync = Make(2, milliseconds(10000));
  std::thread slaves([&] {
    Acknowledge(s1_, "s1", 1);
    Acknowledge(s2_, "s2", 1);
  });
  const std::string warning = sync.AwaitSlaves(1);
  slaves.join();
  EXPECT_EQ(warning, "");
  EXPECT_FALSE(sync.State().degraded);
}

TEST_F(SyncReplicationTest, ATimeoutWarnsAndDegradesUntilTheSlavesCatchUp) {
  SyncReplication sync = Make(1, milliseconds(20));
  const std::string warning = sync.AwaitSlaves(1);
  EXPECT_NE(warning.find("only 0 slave(s) applied #1"), std::string::npos) << warning;
  EXPECT_TRUE(sync.State().degraded);
  EXPECT_EQ(sync.State().degraded_at_seq, 1u);
  EXPECT_NE(sync.Describe().find("DEGRADED"), std::string::npos);

  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(sync.AwaitSlaves(2), "") << "degraded: writes do not wait";
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(20));

  Acknowledge(s1_, "s1", 2);  // caught up with everything before #3
  EXPECT_FALSE(sync.AwaitSlaves(3).empty()) << "synchronous again: #3 waits, and times out";
  EXPECT_TRUE(sync.State().degraded);
  EXPECT_EQ(sync.State().degraded_at_seq, 3u);
}

TEST_F(SyncReplicationTest, SetRequiredChecksTheRangeAndLeavesDegradedMode) {
  SyncReplication sync = Make(1, milliseconds(10));
  (void)sync.AwaitSlaves(1);  // times out: degraded
  ASSERT_TRUE(sync.State().degraded);
  EXPECT_EQ(sync.SetRequired(3).code(), Status::Code::kInvalidArgument) << "only 2 slaves are configured";
  EXPECT_EQ(sync.SetRequired(-1).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(sync.SetRequired(2).ok());
  EXPECT_FALSE(sync.State().degraded);
  EXPECT_EQ(sync.State().settings.slaves, 2);
}

}  // namespace
}  // namespace ddb
