// SlaveRegistry: one entry per configured slave; a newer link supersedes an
// older one; only live acknowledgements count for sync waits.
#include "slave_registry.h"

#include <gtest/gtest.h>

#include <thread>

namespace ddb {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

Ack AckOf(uint64_t seq, ApplierReport applier = ApplierReport::kRunning) {
  Ack ack;
  ack.applied_seq = seq;
  ack.applier = applier;
  return ack;
}

SlaveStatus StatusOf(const SlaveRegistry& registry, const std::string& name) {
  for (const SlaveStatus& status : registry.Snapshot()) {
    if (status.name == name) return status;
  }
  ADD_FAILURE() << "no slave " << name;
  return {};
}

TEST(SlaveRegistryTest, KnowsOnlyConfiguredSlaves) {
  SlaveRegistry registry({"s1", "s2"});
  EXPECT_TRUE(registry.Knows("s1"));
  EXPECT_FALSE(registry.Knows("s3"));
  EXPECT_EQ(registry.Count(), 2);
  EXPECT_EQ(StatusOf(registry, "s2").state, SlaveState::kNeverConnected);
}

TEST(SlaveRegistryTest, ANewLinkStopsTheOldOneAndTheOldOnesNewsIsIgnored) {
  SlaveRegistry registry({"s1"});
  int old_stopped = 0;
  const uint64_t old_link = registry.Connected("s1", "10.0.0.1:1", 5, {[&] { ++old_stopped; }, nullptr});
  const uint64_t new_link = registry.Connected("s1", "10.0.0.1:2", 5, {});
  EXPECT_EQ(old_stopped, 1);
  EXPECT_NE(old_link, new_link);
  registry.Acked("s1", old_link, AckOf(99), 1);
  registry.Disconnected("s1", old_link, "old socket died");
  const SlaveStatus status = StatusOf(registry, "s1");
  EXPECT_EQ(status.acked_seq, 5u) << "a superseded link's ack must not move the position";
  EXPECT_EQ(status.state, SlaveState::kCatchingUp);
  EXPECT_EQ(status.peer, "10.0.0.1:2");
  EXPECT_EQ(status.connects, 2u);
  EXPECT_EQ(status.disconnects, 0u);
}

TEST(SlaveRegistryTest, AcksMoveForwardOnlyAndReportTheApplier) {
  SlaveRegistry registry({"s1"});
  const uint64_t link = registry.Connected("s1", "p", 0, {});
  registry.SetLive("s1", link, true);
  registry.Acked("s1", link, AckOf(10), 1);
  registry.Acked("s1", link, AckOf(7), 2);
  EXPECT_EQ(StatusOf(registry, "s1").acked_seq, 10u);
  EXPECT_EQ(StatusOf(registry, "s1").state, SlaveState::kOnline);
  Ack stopped = AckOf(10, ApplierReport::kStopped);
  stopped.error_seq = 11;
  stopped.error = "Duplicate entry";
  registry.Acked("s1", link, stopped, 3);
  const SlaveStatus status = StatusOf(registry, "s1");
  EXPECT_EQ(status.state, SlaveState::kError);
  EXPECT_NE(status.applier_problem.find("#11"), std::string::npos) << status.applier_problem;
  registry.SetLive("s1", link, false);
  EXPECT_EQ(StatusOf(registry, "s1").state, SlaveState::kError) << "an error outlasts a change of feed";
}

TEST(SlaveRegistryTest, OnlyConnectedSlavesCountAsAcknowledging) {
  SlaveRegistry registry({"s1", "s2"});
  registry.RestorePositions({{"s1", 50}, {"s2", 50}});
  EXPECT_EQ(registry.CountAcked(40), 0) << "a position from before a restart says nothing about new writes";
  const uint64_t link = registry.Connected("s1", "p", 50, {});
  EXPECT_EQ(registry.CountAcked(40), 1);
  registry.Disconnected("s1", link, "gone");
  EXPECT_EQ(registry.CountAcked(40), 0);
  EXPECT_EQ(StatusOf(registry, "s1").state, SlaveState::kOffline);
  EXPECT_EQ(StatusOf(registry, "s1").last_error, "gone");
}

TEST(SlaveRegistryTest, WaitForAcksReturnsWhenEnoughSlavesAckOrAtTheDeadline) {
  SlaveRegistry registry({"s1", "s2"});
  const uint64_t l1 = registry.Connected("s1", "p", 0, {});
  const uint64_t l2 = registry.Connected("s2", "p", 0, {});
  EXPECT_EQ(registry.WaitForAcks(3, 1, steady_clock::now() + milliseconds(20)), 0);
  std::thread acker([&] {
    registry.Acked("s1", l1, AckOf(3), 1);
    registry.Acked("s2", l2, AckOf(4), 1);
  });
  const int acked = registry.WaitForAcks(3, 2, steady_clock::now() + std::chrono::seconds(10));
  acker.join();
  EXPECT_EQ(acked, 2);
}

TEST(SlaveRegistryTest, SetNamesAddsAndRemovesAndStopsRemovedLinks) {
  SlaveRegistry registry({"s1", "s2"});
  int stopped = 0;
  registry.Connected("s2", "p", 0, {[&] { ++stopped; }, nullptr});
  const std::string change = registry.SetNames({"s1", "s3"});
  EXPECT_EQ(stopped, 1);
  EXPECT_TRUE(registry.Knows("s3"));
  EXPECT_FALSE(registry.Knows("s2"));
  EXPECT_NE(change.find("added: s3"), std::string::npos) << change;
  EXPECT_NE(change.find("removed: s2"), std::string::npos) << change;
  EXPECT_EQ(registry.SetNames({"s1", "s3"}), "slaves unchanged");
}

TEST(SlaveRegistryTest, QuerySlaveGoesThroughTheLinkAndTimesOut) {
  SlaveRegistry registry({"s1", "s2"});
  QueryResult result;
  EXPECT_EQ(registry.QuerySlave("s9", {}, milliseconds(10), &result).code(), Status::Code::kNotFound);
  EXPECT_EQ(registry.QuerySlave("s1", {}, milliseconds(10), &result).code(), Status::Code::kUnavailable);
  std::string asked;
  registry.Connected("s1", "p", 0,
                     {nullptr, [&](QueryRequest request, std::chrono::milliseconds, QueryCallback done) {
                        asked = request.sql;
                        QueryResult rows;
                        rows.columns = {"x"};
                        done(Status::Ok(), rows);
                      }});
  QueryRequest request;
  request.sql = "SELECT 1";
  ASSERT_TRUE(registry.QuerySlave("s1", request, milliseconds(1000), &result).ok());
  EXPECT_EQ(asked, "SELECT 1");
  EXPECT_EQ(result.columns, std::vector<std::string>{"x"});
  registry.Connected(
      "s2", "p", 0,
      {nullptr, [](QueryRequest, std::chrono::milliseconds, QueryCallback) { /* never answers */ }});
  EXPECT_EQ(registry.QuerySlave("s2", request, milliseconds(20), &result).code(), Status::Code::kTimedOut);
}

}  // namespace
}  // namespace ddb
