// ReplicationLog against a scripted MySQL (FakeSqlServer): the log row
// commits with the transaction in one round trip, numbers follow commit
// order and concurrent commits are published contiguously, a failed commit
// publishes nothing, a commit whose answer was lost is settled and published
// once (and holds back later ones until then), and a DDL is logged pending /
// done with no commit window open while it runs.
#include "replication_log.h"

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "fake_sql_connection.h"
#include "wait.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;
using testing::FakeStatement;

constexpr int kErrorTableExists = 1050;
constexpr int kErrorNoSuchTable = 1146;
constexpr int kErrorRowSizeTooLarge = 1118;  // not one that says the effect is there
constexpr const char* kCommitRecord = "CALL ddb_meta.commit_record(";

std::vector<LoggedStatement> Statements(std::initializer_list<const char*> texts) {
  std::vector<LoggedStatement> statements;
  for (const char* text : texts) {
    LoggedStatement statement;
    statement.sql = text;
    statement.default_database = "app";
    statements.push_back(statement);
  }
  return statements;
}

std::string AsText(const std::vector<uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); }

LogRecord Decoded(const EncodedRecordPtr& record) {
  LogRecord decoded;
  EXPECT_TRUE(DecodeRecordPayload(record->payload, &decoded).ok());
  return decoded;
}

class ReplicationLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Answer("SELECT @@global.max_allowed_packet", FakeSqlServer::Value("67108864"));
    ASSERT_TRUE(server_.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &session_).ok());
  }

  // Everything published so far, in order.
  std::vector<EncodedRecordPtr> Published() const {
    std::vector<EncodedRecordPtr> out;
    EXPECT_TRUE(recent_.ReadAfter(0, 1000, &out));
    return out;
  }

  std::vector<FakeStatement> Sent(std::string_view prefix) const {
    std::vector<FakeStatement> sent;
    for (const FakeStatement& statement : server_.statements()) {
      if (statement.sql.substr(0, prefix.size()) == prefix) sent.push_back(statement);
    }
    return sent;
  }

  // Settling a lost answer: the session is gone and the log row says
  // `state` ("done", or no row when empty).
  void ScriptSettling(const std::string& state) {
    server_.Answer("SELECT COUNT(*) FROM information_schema.PROCESSLIST", FakeSqlServer::Value("0"));
    server_.Answer("SELECT state FROM ddb_meta.replication_log",
                   state.empty() ? FakeSqlServer::Rows({"state"}, {}) : FakeSqlServer::Value(state));
  }

  FakeSqlServer server_;
  RecentRecords recent_{1000, 0};
  std::shared_ptr<spdlog::logger> logger_ = std::make_shared<spdlog::logger>("replication-log-test");
  ReplicationLog log_{MySqlEndpoint(), &recent_, logger_, nullptr, server_.Opener()};
  std::unique_ptr<SqlConnection> session_;  // the committing session's connection (#1)
};

TEST_F(ReplicationLogTest, CommitSendsTheLogRowAndCommitInOneStatement) {
  uint64_t seq = 0;
  bool lost = true;
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq, &lost).ok());
  EXPECT_EQ(seq, 1u);
  EXPECT_FALSE(lost);

  // Nothing else runs on the session: the insert and COMMIT are one CALL.
  const std::vector<FakeStatement> calls = Sent(kCommitRecord);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(server_.Count("COMMIT"), 0u);
  const std::vector<SqlParam>& params = calls[0].params;
  ASSERT_EQ(params.size(), 3u);
  EXPECT_EQ(std::get<uint64_t>(params[0]), 1u);
  // The row's body is the record the slaves get.
  LogRecord row;
  const std::string& body = std::get<Blob>(params[2]).bytes;
  ASSERT_TRUE(
      DecodeRecordBody(std::span(reinterpret_cast<const uint8_t*>(body.data()), body.size()), &row).ok());
  EXPECT_EQ(row.statements, Statements({"INSERT INTO t VALUES (1)"}));

  const std::vector<EncodedRecordPtr> published = Published();
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0]->seq, 1u);
  EXPECT_EQ(Decoded(published[0]).statements, row.statements);
  EXPECT_EQ(std::get<int64_t>(params[1]), published[0]->committed_at_micros);
  EXPECT_EQ(log_.last_seq(), 1u);
}

TEST_F(ReplicationLogTest, ASessionIsAdmittedAsALogWriterOnceBeforeItsFirstLogWrite) {
  uint64_t seq = 0;
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq).ok());
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (2)"}), &seq).ok());
  // By ddb's own connection (the session's account may not write the
  // table), naming the session's connection, before its first CALL.
  const std::vector<FakeStatement> admitted = Sent("INSERT IGNORE INTO ddb_meta.log_writers");
  ASSERT_EQ(admitted.size(), 1u);
  EXPECT_EQ(admitted[0].sql, "INSERT IGNORE INTO ddb_meta.log_writers (id) VALUES (1)");
  EXPECT_NE(admitted[0].connection, 1);
  EXPECT_LT(admitted[0].round_trip, Sent(kCommitRecord).at(0).round_trip);

  // Another session is admitted by itself.
  std::unique_ptr<SqlConnection> other;
  ASSERT_TRUE(server_.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &other).ok());
  ASSERT_TRUE(log_.Commit(*other, Statements({"INSERT INTO t VALUES (3)"}), &seq).ok());
  EXPECT_EQ(Sent("INSERT IGNORE INTO ddb_meta.log_writers").size(), 2u);
}

TEST_F(ReplicationLogTest, ASessionWhoseAdmissionWasRemovedIsAdmittedAgainAndItsCommitGoesThrough) {
  uint64_t seq = 0;
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq).ok());
  // Someone deleted the session's row: the procedure refuses before it
  // touches anything, and the transaction is still open.
  server_.Fail(
      kCommitRecord,
      FakeSqlServer::SqlError(
          1644, "ddb_meta: only sessions of the ddb-master of this server may write the replication log"),
      1);
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (2)"}), &seq).ok());
  EXPECT_EQ(seq, 2u);
  EXPECT_EQ(Sent("INSERT IGNORE INTO ddb_meta.log_writers").size(), 2u);
  EXPECT_EQ(Sent(kCommitRecord).size(), 3u);
  EXPECT_EQ(Published().size(), 2u);
}

TEST_F(ReplicationLogTest, ASessionThatCannotBeAdmittedCommitsNothingAndLeavesNoGap) {
  server_.Fail("INSERT IGNORE INTO ddb_meta.log_writers", FakeSqlServer::SqlError(1142, "INSERT denied"), 1);
  uint64_t seq = 0;
  Status s = log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("ddb_meta.log_writers"), std::string::npos) << s.ToString();
  EXPECT_EQ(Sent(kCommitRecord).size(), 0u);
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq).ok());
  EXPECT_EQ(seq, 1u);
}

TEST_F(ReplicationLogTest, CommitsTakeConsecutiveNumbersInCommitOrder) {
  for (const char* sql : {"INSERT INTO t VALUES (1)", "UPDATE t SET a = 2", "DELETE FROM t"}) {
    uint64_t seq = 0;
    ASSERT_TRUE(log_.Commit(*session_, Statements({sql}), &seq).ok());
  }
  const std::vector<EncodedRecordPtr> published = Published();
  ASSERT_EQ(published.size(), 3u);
  for (uint64_t i = 0; i < 3; ++i) EXPECT_EQ(published[i]->seq, i + 1);
  EXPECT_EQ(Decoded(published[1]).statements, Statements({"UPDATE t SET a = 2"}));
  EXPECT_EQ(Sent(kCommitRecord)[0].params.size(), 3u)
      << "seq, time, body: the session's autocommit is untouched";
}

TEST_F(ReplicationLogTest, AFailedCommitPublishesNothingAndLeavesNoGap) {
  server_.Fail(kCommitRecord, FakeSqlServer::Deadlock(), 1);
  uint64_t seq = 0;
  bool lost = true;
  Status s = log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq, &lost);
  EXPECT_EQ(s.mysql_error_code(), 1213);
  EXPECT_FALSE(lost) << "the server answered: the session is still there";
  EXPECT_TRUE(Published().empty());
  EXPECT_EQ(log_.in_flight(), 0u);

  // Nothing was handed out after it: the next commit takes its number.
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (2)"}), &seq).ok());
  EXPECT_EQ(seq, 1u);
  ASSERT_EQ(Published().size(), 1u);
  EXPECT_EQ(Decoded(Published()[0]).statements, Statements({"INSERT INTO t VALUES (2)"}));
}

TEST_F(ReplicationLogTest, ACommitThatLostItsAnswerButCommittedIsPublishedOnce) {
  server_.Fail(kCommitRecord, FakeSqlServer::LostSession(), 1);
  ScriptSettling("done");
  uint64_t seq = 0;
  bool lost = false;
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq, &lost).ok());
  EXPECT_EQ(seq, 1u);
  EXPECT_TRUE(lost) << "the caller must reopen its session";

  // Settled on another connection: the lost session is ended first, then
  // its log row read.
  const std::vector<FakeStatement> kills = Sent("KILL CONNECTION 1");
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_NE(kills[0].connection, 1);
  EXPECT_EQ(Sent(kCommitRecord).size(), 1u) << "never sent again";

  std::unique_ptr<SqlConnection> reopened;
  ASSERT_TRUE(server_.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &reopened).ok());
  ASSERT_TRUE(log_.Commit(*reopened, Statements({"INSERT INTO t VALUES (2)"}), &seq).ok());
  EXPECT_EQ(seq, 2u);
  const std::vector<EncodedRecordPtr> published = Published();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(Decoded(published[0]).statements, Statements({"INSERT INTO t VALUES (1)"}));
  EXPECT_EQ(published[1]->seq, 2u);
}

TEST_F(ReplicationLogTest, ACommitThatLostItsAnswerAndDidNotCommitReportsTheErrorAndLogsNothing) {
  server_.Fail(kCommitRecord, FakeSqlServer::LostSession(), 1);
  ScriptSettling("");
  uint64_t seq = 0;
  bool lost = false;
  Status s = log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq, &lost);
  EXPECT_EQ(s.mysql_error_code(), 2013);
  EXPECT_NE(s.message().find("did not commit"), std::string::npos) << s.ToString();
  EXPECT_TRUE(lost);
  EXPECT_TRUE(Published().empty());
  EXPECT_EQ(log_.in_flight(), 0u);
}

TEST_F(ReplicationLogTest, ConcurrentCommitsArePublishedContiguouslyEachWithItsOwnStatements) {
  // Each COMMIT takes its own time, so they finish out of number order.
  server_.On(kCommitRecord, [](const FakeStatement& statement, QueryResult*) {
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::get<uint64_t>(statement.params[0]) * 7919 % 500));
    return Status::Ok();
  });
  constexpr int kSessions = 8;
  constexpr int kCommitsEach = 25;
  std::mutex mutex;
  std::map<uint64_t, std::string> committed;  // seq -> the statement committed with it
  std::vector<std::thread> sessions;
  for (int session = 0; session < kSessions; ++session) {
    sessions.emplace_back([&, session] {
      std::unique_ptr<SqlConnection> connection;
      ASSERT_TRUE(server_.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection).ok());
      for (int i = 0; i < kCommitsEach; ++i) {
        const std::string sql = "INSERT INTO t VALUES (" + std::to_string(session * 1000 + i) + ")";
        uint64_t seq = 0;
        ASSERT_TRUE(log_.Commit(*connection, Statements({sql.c_str()}), &seq).ok());
        std::lock_guard<std::mutex> lock(mutex);
        EXPECT_TRUE(committed.emplace(seq, sql).second) << "#" << seq << " handed out twice";
      }
    });
  }
  for (std::thread& session : sessions) session.join();

  const std::vector<EncodedRecordPtr> published = Published();
  ASSERT_EQ(published.size(), static_cast<size_t>(kSessions * kCommitsEach));
  for (size_t i = 0; i < published.size(); ++i) {
    ASSERT_EQ(published[i]->seq, i + 1);
    EXPECT_EQ(Decoded(published[i]).statements[0].sql, committed[i + 1]);
  }
}

TEST_F(ReplicationLogTest, NoCommitReachesTheServerWhileADdlRuns) {
  std::thread committer;
  uint64_t ddl_seq = 0;
  uint64_t commit_seq = 0;
  ASSERT_TRUE(
      log_.RunDdl(
              *session_, Statements({"ALTER TABLE t ADD c INT"})[0],
              [&] {
                committer = std::thread([&] {
                  std::unique_ptr<SqlConnection> other;
                  ASSERT_TRUE(server_.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &other).ok());
                  EXPECT_TRUE(
                      log_.Commit(*other, Statements({"INSERT INTO t VALUES (1)"}), &commit_seq).ok());
                });
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                EXPECT_EQ(server_.Count(kCommitRecord), 0u) << "a commit window opened during the DDL";
                return session_->Execute("ALTER TABLE t ADD c INT");
              },
              &ddl_seq)
          .ok());
  committer.join();
  EXPECT_EQ(ddl_seq, 1u);
  EXPECT_EQ(commit_seq, 2u);
  ASSERT_EQ(Published().size(), 2u);
  EXPECT_EQ(Decoded(Published()[0]).kind, RecordKind::kDdl);
}

TEST_F(ReplicationLogTest, ALaterCommitWaitsToBePublishedUntilALostOneIsSettled) {
  server_.Fail(kCommitRecord, FakeSqlServer::LostSession(), 1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  // The lost session takes a while to end.
  server_.On(
      "SELECT COUNT(*) FROM information_schema.PROCESSLIST",
      [released](const FakeStatement&, QueryResult* result) {
        released.wait_for(std::chrono::seconds(5));
        *result = FakeSqlServer::Value("0");
        return Status::Ok();
      },
      1);
  server_.Answer("SELECT state FROM ddb_meta.replication_log", FakeSqlServer::Value("done"));
  std::thread first([&] {
    uint64_t seq = 0;
    EXPECT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq).ok());
    EXPECT_EQ(seq, 1u);
  });
  ASSERT_TRUE(testing::WaitFor([&] { return server_.Count(kCommitRecord) == 1; }, std::chrono::seconds(5)));

  std::unique_ptr<SqlConnection> other;
  ASSERT_TRUE(server_.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &other).ok());
  uint64_t seq = 0;
  ASSERT_TRUE(log_.Commit(*other, Statements({"INSERT INTO t VALUES (2)"}), &seq).ok());
  EXPECT_EQ(seq, 2u);
  EXPECT_TRUE(Published().empty()) << "#2 was published before #1's outcome was known";

  release.set_value();
  first.join();
  const std::vector<EncodedRecordPtr> published = Published();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(Decoded(published[0]).statements, Statements({"INSERT INTO t VALUES (1)"}));
  EXPECT_EQ(Decoded(published[1]).statements, Statements({"INSERT INTO t VALUES (2)"}));
}

TEST_F(ReplicationLogTest, RefusesARecordLargerThanHalfTheMaxPacketBeforeTakingANumber) {
  server_.Answer("SELECT @@global.max_allowed_packet", FakeSqlServer::Value("262144"));
  const std::string big = "INSERT INTO t VALUES ('" + std::string(100000, 'x') + "')";
  uint64_t seq = 0;
  Status s = log_.Commit(*session_, Statements({big.c_str()}), &seq);
  EXPECT_EQ(s.code(), Status::Code::kRefused);
  EXPECT_NE(s.message().find("too large to replicate"), std::string::npos) << s.ToString();
  EXPECT_TRUE(Sent(kCommitRecord).empty());
  EXPECT_EQ(log_.in_flight(), 0u);

  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq).ok());
  EXPECT_EQ(seq, 1u);
}

TEST_F(ReplicationLogTest, DdlIsLoggedPendingThenRunThenMarkedDone) {
  LoggedStatement ddl = Statements({"CREATE TABLE t (id INT)"})[0];
  bool ran = false;
  uint64_t seq = 0;
  ASSERT_TRUE(log_.RunDdl(
                      *session_, ddl,
                      [&] {
                        ran = true;
                        return session_->Execute("CREATE TABLE t (id INT)");
                      },
                      &seq)
                  .ok());
  EXPECT_TRUE(ran);
  EXPECT_EQ(seq, 1u);
  EXPECT_EQ(log_.ddl_count(), 1u);
  // Each bookkeeping write through a procedure that commits it, around the DDL.
  std::vector<std::string> sent;  // on the session's connection (ddb's own admitted it first)
  for (const FakeStatement& statement : server_.statements()) {
    if (statement.connection == 1) sent.push_back(statement.sql);
  }
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].rfind("CALL ddb_meta.ddl_pending(1, ", 0), 0u) << sent[0];
  EXPECT_EQ(sent[1], "CREATE TABLE t (id INT)");
  EXPECT_EQ(sent[2].rfind("CALL ddb_meta.ddl_done(1, ", 0), 0u) << sent[2];

  const std::vector<EncodedRecordPtr> published = Published();
  ASSERT_EQ(published.size(), 1u);
  const LogRecord record = Decoded(published[0]);
  EXPECT_EQ(record.kind, RecordKind::kDdl);
  EXPECT_EQ(record.statements, std::vector<LoggedStatement>{ddl});
}

TEST_F(ReplicationLogTest, AFailedDdlRemovesItsPendingRowAndPublishesNothing) {
  uint64_t seq = 0;
  Status s = log_.RunDdl(
      *session_, Statements({"ALTER TABLE missing ADD c INT"})[0],
      [] { return FakeSqlServer::SqlError(kErrorNoSuchTable, "Table 'app.missing' doesn't exist"); }, &seq);
  EXPECT_EQ(s.mysql_error_code(), kErrorNoSuchTable);
  EXPECT_EQ(server_.Count("CALL ddb_meta.ddl_forget(1)"), 1u);
  EXPECT_TRUE(Published().empty());
  EXPECT_EQ(log_.ddl_count(), 1u);

  // The number was taken back: the next write gets it.
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq).ok());
  EXPECT_EQ(seq, 1u);
}

TEST_F(ReplicationLogTest, RunQuiescedSeesEveryNumberPublished) {
  uint64_t seq = 0;
  ASSERT_TRUE(log_.Commit(*session_, Statements({"INSERT INTO t VALUES (1)"}), &seq).ok());
  uint64_t seen = 0;
  ASSERT_TRUE(log_.RunQuiesced(
                      [&](uint64_t published) {
                        seen = published;
                        return Status::Ok();
                      },
                      std::chrono::milliseconds(100))
                  .ok());
  EXPECT_EQ(seen, 1u);
}

// Recovery after a crash: a DDL left 'pending' is re-executed; "already
// exists" means it ran before the crash, any other error that it did not.
class ReplicationLogRecoverTest : public ::testing::Test {
 protected:
  // Recovers with `sql` left pending as #7, its re-execution failing with
  // `error`, and `newest` the table's newest seq afterwards; returns the
  // last seq Recover reports.
  uint64_t RecoverPendingDdl(const std::string& sql, Status error, const std::string& newest) {
    LogRecord record;
    record.kind = RecordKind::kDdl;
    record.statements = Statements({sql.c_str()});
    server_.Answer("SELECT seq, body FROM ddb_meta.replication_log WHERE state = 'pending'",
                   FakeSqlServer::Rows({"seq", "body"}, {{"7", AsText(EncodeRecordBody(record))}}));
    server_.Fail(sql, std::move(error));
    server_.Answer("SELECT GREATEST(", FakeSqlServer::Value(newest));
    uint64_t last_seq = 0;
    EXPECT_TRUE(ReplicationLog::Recover(MySqlEndpoint(), logger_, &last_seq, server_.Opener()).ok());
    return last_seq;
  }

  FakeSqlServer server_;
  spdlog::logger logger_{"replication-log-recover-test"};
};

TEST_F(ReplicationLogRecoverTest, APendingDdlWhoseEffectIsThereIsMarkedDone) {
  EXPECT_EQ(RecoverPendingDdl("CREATE TABLE t (id INT)",
                              FakeSqlServer::SqlError(kErrorTableExists, "Table 't' already exists"), "7"),
            7u);
  EXPECT_EQ(server_.Count("UPDATE ddb_meta.replication_log SET state = 'done'"), 1u);
  EXPECT_EQ(server_.Count("DELETE FROM ddb_meta.replication_log"), 0u);
}

TEST_F(ReplicationLogRecoverTest, APendingDdlThatCannotHaveRunIsRemoved) {
  // The table's newest row was the pending DDL: after it is gone, #6.
  EXPECT_EQ(RecoverPendingDdl("ALTER TABLE t ADD c INT",
                              FakeSqlServer::SqlError(kErrorRowSizeTooLarge, "Row size too large"), "6"),
            6u);
  EXPECT_EQ(server_.Count("DELETE FROM ddb_meta.replication_log WHERE seq = 7"), 1u);
  EXPECT_EQ(server_.Count("UPDATE ddb_meta.replication_log SET state = 'done'"), 0u);
}

TEST_F(ReplicationLogRecoverTest, ReportsAnUnreachableServer) {
  server_.FailOpen(Status::MySql(2003, "HY000", "Can't connect to MySQL server"));
  uint64_t last_seq = 0;
  EXPECT_EQ(ReplicationLog::Recover(MySqlEndpoint(), logger_, &last_seq, server_.Opener()).mysql_error_code(),
            2003);
}

}  // namespace
}  // namespace ddb
