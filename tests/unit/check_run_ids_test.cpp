// CheckRunIds: no two consistency checks of one master share a run id, and
// none reuses an id already stored, whatever the clock says.
#include "check_run_ids.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace ddb {
namespace {

TEST(CheckRunIdsTest, IsTheStartTimeWhenNothingNewerIsStored) {
  CheckRunIds ids;
  EXPECT_EQ(ids.Next(1'000'000, 0), 1'000'000u);
  EXPECT_EQ(ids.Next(2'000'000, 1'000'000), 2'000'000u);
}

TEST(CheckRunIdsTest, TwoChecksInOneMicrosecondGetConsecutiveIds) {
  CheckRunIds ids;
  EXPECT_EQ(ids.Next(5'000, 0), 5'000u);
  EXPECT_EQ(ids.Next(5'000, 0), 5'001u);
}

TEST(CheckRunIdsTest, AClockBehindTheStoredRunsStillGivesANewerId) {
  // A new master whose clock is an hour behind its predecessor's.
  CheckRunIds ids;
  const uint64_t predecessor = 10'000'000'000;
  EXPECT_EQ(ids.Next(predecessor - 3'600'000'000, predecessor), predecessor + 1);
}

TEST(CheckRunIdsTest, ConcurrentChecksNeverShareAnId) {
  CheckRunIds ids;
  constexpr int kThreads = 4;
  constexpr int kEach = 1000;
  std::vector<std::vector<uint64_t>> given(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&ids, &given, t] {
      for (int i = 0; i < kEach; ++i) given[t].push_back(ids.Next(42, 0));  // one frozen clock
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<uint64_t> distinct;
  for (const auto& each : given) distinct.insert(each.begin(), each.end());
  EXPECT_EQ(distinct.size(), static_cast<size_t>(kThreads * kEach));
}

}  // namespace
}  // namespace ddb
