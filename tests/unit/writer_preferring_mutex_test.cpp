#include "writer_preferring_mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "wait.h"

namespace ddb {
namespace {

TEST(WriterPreferringMutexTest, AWaitingExclusiveOwnerHoldsBackNewSharedOwners) {
  WriterPreferringMutex mutex;
  mutex.lock_shared();  // a commit in its window
  std::atomic<bool> exclusive_held{false};
  std::thread ddl([&] {
    mutex.lock();
    exclusive_held = true;
    mutex.unlock();
  });
  // Once the DDL waits, a commit arriving now does not get in before it
  // (std::shared_mutex on glibc would let it in, and every one after it).
  const bool held_back = testing::WaitFor(
      [&] {
        if (!mutex.try_lock_shared()) return true;
        mutex.unlock_shared();
        return false;
      },
      std::chrono::milliseconds(5000));
  EXPECT_TRUE(held_back);
  EXPECT_FALSE(exclusive_held.load());
  mutex.unlock_shared();
  ddl.join();
  EXPECT_TRUE(exclusive_held.load());
  ASSERT_TRUE(mutex.try_lock_shared());
  mutex.unlock_shared();
}

}  // namespace
}  // namespace ddb
