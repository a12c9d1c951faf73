#include "slave_status.h"

#include <gtest/gtest.h>

#include <thread>

namespace ddb {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(SlaveStatusBoardTest, WaitUntilAppliedWakesWhenTheApplierGetsThere) {
  SlaveStatusBoard board;
  board.SetApplied(4, 0, 4);
  std::thread applier([&] {
    std::this_thread::sleep_for(milliseconds(20));
    board.SetApplied(6, 0, 2);
  });
  EXPECT_TRUE(board.WaitUntilApplied(6, steady_clock::now() + std::chrono::seconds(10)));
  applier.join();
  EXPECT_EQ(board.Snapshot().applied_seq, 6u);
}

TEST(SlaveStatusBoardTest, WaitUntilAppliedGivesUpAtTheDeadline) {
  SlaveStatusBoard board;
  board.SetApplied(4, 0, 4);
  EXPECT_TRUE(board.WaitUntilApplied(3, steady_clock::now()));  // already there
  const auto start = steady_clock::now();
  EXPECT_FALSE(board.WaitUntilApplied(5, start + milliseconds(30)));
  EXPECT_GE(steady_clock::now() - start, milliseconds(30));
}

TEST(MasterSilenceTest, AMasterWithoutItsMySqlCountsAsSilentFromWhenThatWasSeen) {
  SlaveStatusSnapshot status;
  status.started_at_micros = 1'000'000;
  status.master_heard_at_micros = 9'000'000;  // heartbeats keep coming
  EXPECT_EQ(MasterSilentMicros(status, 10'000'000), 1'000'000);
  status.master_unusable_since_micros = 4'000'000;  // but its MySQL is gone since then
  EXPECT_EQ(MasterSilentMicros(status, 10'000'000), 6'000'000);

  SlaveStatusBoard board;
  board.SetMasterUnusable(true);
  const int64_t since = board.Snapshot().master_unusable_since_micros;
  EXPECT_NE(since, 0);
  board.SetMasterUnusable(true);  // still: the first moment stays
  EXPECT_EQ(board.Snapshot().master_unusable_since_micros, since);
  board.SetMasterUnusable(false);
  EXPECT_EQ(board.Snapshot().master_unusable_since_micros, 0);
}

}  // namespace
}  // namespace ddb
