#include "ddl_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

namespace ddb {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(DdlGateTest, AnOpenGateLetsSessionsThroughAtOnce) {
  DdlGate gate(milliseconds(500));
  const auto start = steady_clock::now();
  gate.AwaitTurn();
  EXPECT_LT(steady_clock::now() - start, milliseconds(100));
}

TEST(DdlGateTest, AClosedGateHoldsNewTransactionsUntilTheDdlIsDone) {
  DdlGate gate(milliseconds(5000));
  std::atomic<bool> passed{false};
  std::thread session;
  {
    DdlGate::Closed closed(gate);
    session = std::thread([&] {
      gate.AwaitTurn();
      passed = true;
    });
    std::this_thread::sleep_for(milliseconds(100));
    EXPECT_FALSE(passed) << "a session started a transaction while a DDL waited for its turn";
  }
  session.join();  // the DDL is done: the gate opened
  EXPECT_TRUE(passed);
}

// A transaction left open would keep a waiting DDL from ever running, and
// the gate from ever opening: it opens after max_closed all the same.
TEST(DdlGateTest, TheGateOpensAfterMaxClosedEvenWhileTheDdlStillWaits) {
  DdlGate gate(milliseconds(200));
  DdlGate::Closed closed(gate);
  const auto start = steady_clock::now();
  gate.AwaitTurn();
  const auto waited = steady_clock::now() - start;
  EXPECT_GE(waited, milliseconds(150));
  EXPECT_LT(waited, milliseconds(2000));
}

TEST(DdlGateTest, TwoWaitingDdlsKeepItClosedUntilBothAreDone) {
  DdlGate gate(milliseconds(5000));
  std::atomic<bool> passed{false};
  std::thread session;
  auto first = std::make_unique<DdlGate::Closed>(gate);
  {
    DdlGate::Closed second(gate);
    session = std::thread([&] {
      gate.AwaitTurn();
      passed = true;
    });
    first.reset();
    std::this_thread::sleep_for(milliseconds(100));
    EXPECT_FALSE(passed);
  }
  session.join();
  EXPECT_TRUE(passed);
}

}  // namespace
}  // namespace ddb
