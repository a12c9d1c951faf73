#include "fencing.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

EpochHistory FirstEpoch() {
  EpochHistory history;
  history.Begin(1, "master");
  return history;
}

TEST(FencingTest, AHandOverHoldsWritesUntilReleasedAndNamesTheTarget) {
  Fencing fencing(FirstEpoch());
  ASSERT_TRUE(fencing.CheckWritable().ok());
  ASSERT_TRUE(fencing.HoldForHandOver("slave1", "master"));
  EXPECT_FALSE(fencing.HoldForHandOver("slave2", "master")) << "one hand-over at a time";
  const Status held = fencing.CheckWritable();
  EXPECT_EQ(held.code(), Status::Code::kMySql);
  EXPECT_EQ(held.mysql_error_code(), 1290) << "what a read-only server answers";
  EXPECT_NE(held.message().find("write to slave1"), std::string::npos) << held.message();
  EXPECT_FALSE(fencing.reason()) << "holding is not being replaced";
  fencing.ReleaseHandOver();
  EXPECT_TRUE(fencing.CheckWritable().ok());
}

TEST(FencingTest, LearningTheTargetsNewEpochFencesForGoodAndRunsTheHookOnce) {
  int hooked = 0;
  Fencing fencing(FirstEpoch(), [&hooked] { ++hooked; });
  ASSERT_TRUE(fencing.HoldForHandOver("slave1", "master"));
  EXPECT_FALSE(fencing.Learn(EpochStart{1, 1, "master"}, "node slave2")) << "its own epoch";
  EXPECT_TRUE(fencing.Learn(EpochStart{2, 41, "slave1"}, "switchover target slave1"));
  EXPECT_FALSE(fencing.Learn(EpochStart{2, 41, "slave1"}, "node slave2"));
  EXPECT_EQ(hooked, 1);
  fencing.ReleaseHandOver();
  ASSERT_TRUE(fencing.reason());
  EXPECT_NE(fencing.CheckWritable().message().find("no longer the master"), std::string::npos);
}

}  // namespace
}  // namespace ddb
