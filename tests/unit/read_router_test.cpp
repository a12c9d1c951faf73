// ReadRouter: reads go round robin to online slaves within max_lag_seconds
// that hold the session's last write; a failing slave is benched; nothing
// qualifying means the master reads.
#include "read_router.h"

#include <gtest/gtest.h>

#include <set>

#include "ddb/base/clock.h"

namespace ddb {
namespace {

using std::chrono::milliseconds;

// Two online slaves whose links answer a read with a one-row result naming
// the slave, or with what `answer_` says.
class ReadRouterTest : public ::testing::Test {
 protected:
  ReadRouterTest() : registry_({"s1", "s2"}), recent_(100, 0) {
    for (int seq = 1; seq <= 10; ++seq) {
      auto record = std::make_shared<EncodedRecord>();
      record->seq = static_cast<uint64_t>(seq);
      record->committed_at_micros = NowMicros();
      recent_.Append(record);
    }
    for (const char* name : {"s1", "s2"}) {
      links_[name] = registry_.Connected(name, "p", 0, {nullptr, Answerer(name)});
      registry_.SetLive(name, links_[name], true);
      SetAcked(name, 10);
    }
  }

  std::function<void(QueryRequest, milliseconds, QueryCallback)> Answerer(std::string name) {
    return [this, name](QueryRequest, milliseconds, QueryCallback done) {
      ++asked_[name];
      auto it = answer_.find(name);
      if (it != answer_.end()) {
        done(it->second, QueryResult{});
        return;
      }
      QueryResult rows;
      rows.has_result_set = true;
      rows.rows.push_back({name});
      done(Status::Ok(), rows);
    };
  }

  void SetAcked(const std::string& name, uint64_t seq, int64_t committed_at = 0) {
    Ack ack;
    ack.applied_seq = seq;
    ack.applied_committed_at_micros = committed_at;
    registry_.Acked(name, links_[name], ack, NowMicros());
  }

  ReadRouter Router(bool from_slaves = true) {
    ReadRouting routing;
    routing.from_slaves = from_slaves;
    routing.max_lag_seconds = 5.0;
    routing.read_your_writes_wait = milliseconds(30);
    routing.read_timeout = milliseconds(1000);
    return ReadRouter(registry_, recent_, routing);
  }

  SlaveRegistry registry_;
  RecentRecords recent_;
  std::map<std::string, uint64_t> links_;
  std::map<std::string, int> asked_;
  std::map<std::string, Status> answer_;
};

TEST_F(ReadRouterTest, ReadsTakeTurnsOverTheSlaves) {
  ReadRouter router = Router();
  std::set<std::string> answered;
  for (int i = 0; i < 4; ++i) {
    QueryResult result;
    std::string by;
    ASSERT_TRUE(router.TryRead({}, 0, &result, &by));
    ASSERT_EQ(result.rows.size(), 1u);
    EXPECT_EQ(*result.rows[0][0], by) << "the result is the answering slave's";
    answered.insert(by);
  }
  EXPECT_EQ(answered, (std::set<std::string>{"s1", "s2"}));
  EXPECT_EQ(asked_["s1"], 2);
  EXPECT_EQ(asked_["s2"], 2);
}

TEST_F(ReadRouterTest, OnlyASlaveHoldingTheSessionsLastWriteAnswers) {
  // The session just wrote #11; only s2 has applied it. s1, one record
  // behind, is well within max_lag_seconds but would not show the write.
  auto record = std::make_shared<EncodedRecord>();
  record->seq = 11;
  record->committed_at_micros = NowMicros();
  recent_.Append(record);
  SetAcked("s2", 11);
  ReadRouter router = Router();
  for (int i = 0; i < 3; ++i) {
    QueryResult result;
    std::string by;
    ASSERT_TRUE(router.TryRead({}, 11, &result, &by));
    EXPECT_EQ(by, "s2");
  }
  EXPECT_EQ(asked_["s1"], 0);
}

TEST_F(ReadRouterTest, NoSlaveWithTheWriteMeansTheMasterReadsAfterTheWait) {
  ReadRouter router = Router();
  QueryResult result;
  std::string by;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(router.TryRead({}, 11, &result, &by));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(30)) << "waited for a slave to catch up";
  EXPECT_TRUE(by.empty());
}

TEST_F(ReadRouterTest, NoSlaveOnlineMeansTheMasterReadsWithoutWaiting) {
  for (const char* name : {"s1", "s2"}) registry_.Disconnected(name, links_[name], "gone");
  ReadRouting routing;
  routing.read_your_writes_wait = milliseconds(5000);
  ReadRouter router(registry_, recent_, routing);
  QueryResult result;
  std::string by;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(router.TryRead({}, 11, &result, &by));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000)) << "nothing to wait for";
}

TEST_F(ReadRouterTest, ASlaveTooFarBehindIsSkipped) {
  // s1 applied #1, committed a minute ago; #2 on have left the two-record
  // window, so its lag is bounded by #1's commit time: 60 s > 5 s.
  SlaveRegistry behind({"s1"});
  const uint64_t link = behind.Connected("s1", "p", 0, {nullptr, Answerer("s1")});
  behind.SetLive("s1", link, true);
  Ack ack;
  ack.applied_seq = 1;
  ack.applied_committed_at_micros = NowMicros() - 60'000'000;
  behind.Acked("s1", link, ack, NowMicros());
  RecentRecords window(2, 0);
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    auto record = std::make_shared<EncodedRecord>();
    record->seq = seq;
    record->committed_at_micros = NowMicros();
    window.Append(record);
  }
  ReadRouting routing;
  routing.max_lag_seconds = 5.0;
  routing.read_your_writes_wait = milliseconds(0);
  ReadRouter router(behind, window, routing);
  QueryResult result;
  std::string by;
  EXPECT_FALSE(router.TryRead({}, 0, &result, &by));
  EXPECT_EQ(asked_["s1"], 0);
}

TEST_F(ReadRouterTest, AFailingSlaveIsBenchedAndTheReadGoesElsewhere) {
  answer_["s1"] = Status::Unavailable("link closed");
  ReadRouter router = Router();
  for (int i = 0; i < 4; ++i) {
    QueryResult result;
    std::string by;
    ASSERT_TRUE(router.TryRead({}, 0, &result, &by));
    EXPECT_EQ(by, "s2");
  }
  EXPECT_EQ(asked_["s1"], 1) << "asked once, then benched";
}

TEST_F(ReadRouterTest, AMySqlErrorFromASlaveLetsTheMasterAnswer) {
  answer_["s1"] = Status::MySql(1146, "42S02", "Table 'db.t' doesn't exist");
  answer_["s2"] = answer_["s1"];
  ReadRouter router = Router();
  QueryResult result;
  std::string by;
  EXPECT_FALSE(router.TryRead({}, 0, &result, &by));
  EXPECT_EQ(asked_["s1"] + asked_["s2"], 1) << "one slave's MySQL error is the answer: no second slave";
}

TEST_F(ReadRouterTest, AResultTooLargeForTheLinkIsReadOnTheMasterAndBenchesNoSlave) {
  answer_["s1"] = Status::Refused("the result (20000000 bytes) is larger than a slave sends the master");
  answer_["s2"] = answer_["s1"];
  ReadRouter router = Router();
  for (int i = 0; i < 2; ++i) {
    QueryResult result;
    std::string by;
    EXPECT_FALSE(router.TryRead({}, 0, &result, &by)) << "the master reads it";
    EXPECT_EQ(asked_["s1"] + asked_["s2"], i + 1) << "one slave asked per read: a refusal is the answer";
  }
  answer_.clear();
  QueryResult result;
  std::string by;
  EXPECT_TRUE(router.TryRead({}, 0, &result, &by)) << "neither slave was benched";
}

TEST_F(ReadRouterTest, ReadFromMasterRoutesNothing) {
  ReadRouter router = Router(false);
  QueryResult result;
  std::string by;
  EXPECT_FALSE(router.TryRead({}, 0, &result, &by));
  router.set_from_slaves(true);
  EXPECT_TRUE(router.TryRead({}, 0, &result, &by));
}

}  // namespace
}  // namespace ddb
