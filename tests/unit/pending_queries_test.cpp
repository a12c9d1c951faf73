// PendingQueries: a routed read waits for its answer until its deadline;
// after it, it is answered TimedOut and forgotten (its late answer finds
// nobody), and a closed link answers every one still waiting.
#include "pending_queries.h"

#include <gtest/gtest.h>

#include <vector>

namespace ddb {
namespace {

using std::chrono::milliseconds;
using Clock = PendingQueries::Clock;

TEST(PendingQueriesTest, AnAnswerReachesItsAskerOnce) {
  PendingQueries pending;
  const Clock::time_point now = Clock::now();
  int answered = 0;
  const uint64_t id = pending.Add([&](Status status, QueryResult) { answered += status.ok() ? 1 : 100; },
                                  now + milliseconds(50), now, "s1");
  QueryCallback done = pending.Take(id);
  ASSERT_TRUE(done);
  done(Status::Ok(), QueryResult());
  EXPECT_EQ(answered, 1);
  EXPECT_FALSE(pending.Take(id)) << "a second answer to the same id finds nobody";
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingQueriesTest, QueriesPastTheirDeadlineAreAnsweredTimedOutAndForgotten) {
  PendingQueries pending;
  const Clock::time_point start = Clock::now();
  std::vector<Status> outcomes;
  auto record = [&](Status status, QueryResult) { outcomes.push_back(status); };
  const uint64_t early = pending.Add(record, start + milliseconds(10), start, "s1");
  const uint64_t late = pending.Add(record, start + milliseconds(1000), start, "s1");
  EXPECT_NE(early, late);
  // A slave that stays linked and never answers: the next query sweeps.
  pending.Add(record, start + milliseconds(1100), start + milliseconds(100), "s1");
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].code(), Status::Code::kTimedOut);
  EXPECT_NE(outcomes[0].message().find("slave 's1' did not answer"), std::string::npos);
  EXPECT_FALSE(pending.Take(early)) << "its late answer is dropped";
  EXPECT_TRUE(pending.Take(late)) << "not yet due";
  EXPECT_EQ(pending.size(), 1u);
}

TEST(PendingQueriesTest, AClosedLinkAnswersEveryWaitingQuery) {
  PendingQueries pending;
  const Clock::time_point now = Clock::now();
  int unavailable = 0;
  for (int i = 0; i < 3; ++i) {
    pending.Add(
        [&](Status status, QueryResult) { unavailable += status.code() == Status::Code::kUnavailable; },
        now + milliseconds(1000), now, "s1");
  }
  pending.FailAll(Status::Unavailable("the link closed"));
  EXPECT_EQ(unavailable, 3);
  EXPECT_EQ(pending.size(), 0u);
}

}  // namespace
}  // namespace ddb
