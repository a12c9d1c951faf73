// Applier against a scripted MySQL (FakeSqlServer): records applied in order
// in one transaction with the position, exactly once across a lost session,
// a failing record named and held for the operator.
#include "applier.h"

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include <algorithm>
#include <map>

#include "fake_sql_connection.h"
#include "wait.h"

namespace ddb {
namespace {

using std::chrono::milliseconds;
using testing::FakeSqlServer;
using testing::FakeStatement;
using testing::StatementProper;
using testing::WaitFor;

constexpr auto kPatience = milliseconds(5000);
constexpr int kErrorNoSuchTable = 1146;
constexpr int kErrorTableExists = 1050;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The slave's MySQL as far as the applier can tell: user writes and the
// position take effect at COMMIT (or at once outside a transaction), a
// ROLLBACK or a lost session drops what was open. Installed as the fake's
// catch-all rule; tests add their own faults on top.
class SlaveDatabase {
 public:
  // What the next COMMIT does.
  enum class CommitFate { kCommits, kLostBeforeCommitting, kLostAfterCommitting };

  void Install(FakeSqlServer& server) {
    server.On("", [this](const FakeStatement& statement, QueryResult* result) {
      return Receive(statement, result);
    });
  }

  void SetNextCommit(CommitFate fate) {
    std::lock_guard<std::mutex> lock(mutex_);
    next_commit_ = fate;
  }
  void SetPosition(uint64_t seq) {
    std::lock_guard<std::mutex> lock(mutex_);
    position_ = seq;
  }
  uint64_t position() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return position_;
  }
  // The user statements that took effect, in commit order.
  std::vector<std::string> committed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return committed_;
  }

 private:
  struct Transaction {
    std::vector<std::string> writes;
    std::optional<uint64_t> position;
  };

  Status Receive(const FakeStatement& statement, QueryResult* result) {
    const std::string sql = StatementProper(statement.sql);
    std::lock_guard<std::mutex> lock(mutex_);
    if (StartsWith(sql, "SELECT GET_LOCK")) {
      *result = FakeSqlServer::Value("1");
    } else if (StartsWith(sql, "SELECT cluster_id, seq")) {
      *result = FakeSqlServer::Rows({"cluster_id", "seq", "master_committed_at"},
                                    {{"c", std::to_string(position_), "0"}});
    } else if (sql == "START TRANSACTION") {
      open_[statement.connection] = Transaction();
    } else if (sql == "ROLLBACK") {
      open_.erase(statement.connection);
    } else if (sql == "COMMIT") {
      const CommitFate fate = std::exchange(next_commit_, CommitFate::kCommits);
      if (fate != CommitFate::kLostBeforeCommitting) CommitLocked(statement.connection);
      open_.erase(statement.connection);
      if (fate != CommitFate::kCommits) return FakeSqlServer::LostSession();
    } else if (StartsWith(sql, "UPDATE ddb_meta.applied_position SET seq = ")) {
      const uint64_t seq = std::stoull(sql.substr(sql.find('=') + 1));
      auto open = open_.find(statement.connection);
      if (open != open_.end()) {
        open->second.position = seq;
      } else {
        position_ = seq;  // outside a transaction a write commits at once
      }
    } else if (!StartsWith(sql, "SELECT") && !StartsWith(sql, "SET") && !StartsWith(sql, "USE") &&
               !StartsWith(sql, "DO") && sql.find("ddb_meta.") == std::string::npos) {
      auto open = open_.find(statement.connection);
      if (open != open_.end()) {
        open->second.writes.push_back(sql);
      } else {
        committed_.push_back(sql);
      }
    }
    return Status::Ok();
  }

  void CommitLocked(int connection) {
    auto open = open_.find(connection);
    if (open == open_.end()) return;
    committed_.insert(committed_.end(), open->second.writes.begin(), open->second.writes.end());
    if (open->second.position) position_ = *open->second.position;
  }

  mutable std::mutex mutex_;
  CommitFate next_commit_ = CommitFate::kCommits;
  uint64_t position_ = 0;
  std::vector<std::string> committed_;
  std::map<int, Transaction> open_;  // by connection
};

std::string InsertSql(uint64_t n) { return "INSERT INTO t VALUES (" + std::to_string(n) + ")"; }

// A transaction of one INSERT, logged with the sql_mode every master
// statement carries (which lets runs after the first travel as one batch).
LogRecord Transaction(uint64_t seq) {
  LogRecord record;
  record.seq = seq;
  record.committed_at_micros = 1700000000000000 + static_cast<int64_t>(seq);
  LoggedStatement statement;
  statement.sql = InsertSql(seq);
  statement.default_database = "app";
  statement.timestamp_micros = record.committed_at_micros;
  statement.settings.push_back({"sql_mode", "'STRICT_TRANS_TABLES'"});
  record.statements.push_back(statement);
  return record;
}

LogRecord Ddl(uint64_t seq, std::string sql) {
  LogRecord record = Transaction(seq);
  record.kind = RecordKind::kDdl;
  record.statements[0].sql = std::move(sql);
  return record;
}

class ApplierTest : public ::testing::Test {
 protected:
  void SetUp() override { database_.Install(server_); }
  void TearDown() override {
    if (applier_) applier_->Stop();
  }

  // Starts an applier at stored position `from` that groups up to
  // `batch_records` records per transaction.
  void Start(size_t batch_records = 10, uint64_t from = 0) {
    database_.SetPosition(from);
    StoredPosition position;
    position.seq = from;
    applier_ = std::make_unique<Applier>(MySqlEndpoint(), queue_, status_, batch_records,
                                         /*retention_seconds=*/3600, position,
                                         std::make_shared<spdlog::logger>("applier-test"), server_.Opener());
    applier_->Start();
  }

  void Push(LogRecord record) { ASSERT_TRUE(queue_.TryPush(record)); }
  // Transactions 1 to `last`.
  void PushThrough(uint64_t last) {
    for (uint64_t seq = 1; seq <= last; ++seq) Push(Transaction(seq));
  }

  bool AppliedThrough(uint64_t seq) {
    return WaitFor([&] { return applier_->applied_seq() >= seq; }, kPatience);
  }
  bool StoppedOnError() {
    return WaitFor([&] { return status_.Snapshot().applier == ApplierState::kError; }, kPatience);
  }

  // The statements sent on `connection` from its first START TRANSACTION on.
  std::vector<std::string> TransactionStatements(int connection = 1) const {
    std::vector<std::string> sent;
    for (const FakeStatement& statement : server_.statements()) {
      if (statement.connection != connection) continue;
      if (sent.empty() && statement.sql != "START TRANSACTION") continue;
      sent.push_back(StatementProper(statement.sql));
    }
    return sent;
  }

  std::vector<std::string> Inserts(std::initializer_list<uint64_t> values) const {
    std::vector<std::string> inserts;
    for (uint64_t value : values) inserts.push_back(InsertSql(value));
    return inserts;
  }

  FakeSqlServer server_;
  SlaveDatabase database_;
  ApplyQueue queue_{100};
  SlaveStatusBoard status_;
  std::unique_ptr<Applier> applier_;
};

TEST_F(ApplierTest, AppliesARunInOrderInOneTransactionWithItsPosition) {
  PushThrough(3);
  Start();
  ASSERT_TRUE(AppliedThrough(3));
  applier_->Stop();

  EXPECT_EQ(database_.committed(), Inserts({1, 2, 3}));
  EXPECT_EQ(database_.position(), 3u);
  // One START TRANSACTION ... COMMIT around the three, the position last.
  const std::vector<std::string> sent = TransactionStatements();
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(std::count(sent.begin(), sent.end(), "START TRANSACTION"), 1);
  EXPECT_EQ(std::count(sent.begin(), sent.end(), "COMMIT"), 1);
  EXPECT_EQ(sent.back(), "COMMIT");
  EXPECT_TRUE(StartsWith(sent[sent.size() - 2], "UPDATE ddb_meta.applied_position SET seq = 3,"))
      << sent[sent.size() - 2];
  EXPECT_EQ(status_.Snapshot().applied_seq, 3u);
}

TEST_F(ApplierTest, RunsAfterTheFirstTravelAsOneRoundTrip) {
  PushThrough(4);
  Start(/*batch_records=*/2);
  ASSERT_TRUE(AppliedThrough(4));
  applier_->Stop();

  EXPECT_EQ(database_.committed(), Inserts({1, 2, 3, 4}));
  // The second run, 3 and 4: its transaction, records and position in the
  // round trip of its START TRANSACTION.
  std::optional<uint64_t> round_trip;
  std::vector<std::string> batch;
  for (const FakeStatement& statement : server_.statements()) {
    if (StatementProper(statement.sql) == InsertSql(3)) round_trip = statement.round_trip;
  }
  ASSERT_TRUE(round_trip.has_value());
  for (const FakeStatement& statement : server_.statements()) {
    if (statement.round_trip == *round_trip) batch.push_back(StatementProper(statement.sql));
  }
  ASSERT_GE(batch.size(), 5u);
  EXPECT_EQ(batch.front(), "START TRANSACTION");
  EXPECT_EQ(batch.back(), "COMMIT");
  EXPECT_NE(std::find(batch.begin(), batch.end(), InsertSql(4)), batch.end());
  EXPECT_TRUE(StartsWith(batch[batch.size() - 2], "UPDATE ddb_meta.applied_position SET seq = 4,"));
}

TEST_F(ApplierTest, ABatchedStatementCarriesItsClockInASetStatement) {
  PushThrough(4);
  LogRecord set_variable = Transaction(5);
  set_variable.statements[0].sql = "SET @a = NOW()";
  Push(set_variable);
  Start(/*batch_records=*/2);
  ASSERT_TRUE(AppliedThrough(5));
  applier_->Stop();

  // Records 3 and 4 travel in a batch: the clock in the statement, no SET
  // of the session's timestamp of its own.
  const std::vector<std::string> sent = server_.Sql();
  EXPECT_NE(
      std::find(sent.begin(), sent.end(), "SET STATEMENT timestamp = 1700000000.000004 FOR " + InsertSql(4)),
      sent.end());
  EXPECT_EQ(std::count_if(sent.begin(), sent.end(),
                          [](const std::string& sql) {
                            return sql.find("@@session.timestamp = 1700000000.000004") != std::string::npos;
                          }),
            0);
  // A SET is not wrapped (SET STATEMENT would undo a clock it assigns): its
  // clock is set before it.
  EXPECT_NE(std::find(sent.begin(), sent.end(), "SET @@session.timestamp = 1700000000.000005"), sent.end());
  EXPECT_NE(std::find(sent.begin(), sent.end(), "SET @a = NOW()"), sent.end());
}

TEST_F(ApplierTest, ABatchedInsertCarriesItsInsertIdInTheSetStatementToo) {
  // Records 1 and 2 set the session up; 3 and 4 travel in a batch.
  PushThrough(3);
  LogRecord generated = Transaction(4);
  generated.statements[0].settings.push_back({"insert_id", "41"});
  Push(generated);
  Start(/*batch_records=*/2);
  ASSERT_TRUE(AppliedThrough(4));
  applier_->Stop();

  const std::vector<std::string> sent = server_.Sql();
  EXPECT_NE(std::find(sent.begin(), sent.end(),
                      "SET STATEMENT insert_id = 41, timestamp = 1700000000.000004 FOR " + InsertSql(4)),
            sent.end());
  EXPECT_EQ(std::count_if(
                sent.begin(), sent.end(),
                [](const std::string& sql) { return sql.find("@@session.insert_id") != std::string::npos; }),
            0)
      << "no SET of its own";
}

TEST_F(ApplierTest, SkipsRecordsAtOrBelowTheStoredPosition) {
  PushThrough(4);
  Start(10, /*from=*/2);
  ASSERT_TRUE(AppliedThrough(4));
  applier_->Stop();
  EXPECT_EQ(database_.committed(), Inserts({3, 4}));
}

TEST_F(ApplierTest, CommitLostAfterItTookEffectIsNotAppliedTwice) {
  PushThrough(3);
  database_.SetNextCommit(SlaveDatabase::CommitFate::kLostAfterCommitting);
  Start();
  ASSERT_TRUE(AppliedThrough(3));
  Push(Transaction(4));
  ASSERT_TRUE(AppliedThrough(4));
  applier_->Stop();

  // The stored position, read on the new connection, said 3 committed.
  EXPECT_EQ(server_.connections_opened(), 2);
  EXPECT_EQ(database_.committed(), Inserts({1, 2, 3, 4}));
  EXPECT_EQ(server_.Count(InsertSql(2)), 1u) << "re-sent after the reconnect";
  EXPECT_EQ(database_.position(), 4u);
}

TEST_F(ApplierTest, CommitLostBeforeItTookEffectIsAppliedAgainOnANewSession) {
  PushThrough(3);
  database_.SetNextCommit(SlaveDatabase::CommitFate::kLostBeforeCommitting);
  Start();
  ASSERT_TRUE(AppliedThrough(3));
  applier_->Stop();

  EXPECT_EQ(server_.connections_opened(), 2);
  EXPECT_EQ(database_.committed(), Inserts({1, 2, 3}));
  EXPECT_EQ(server_.Count(InsertSql(2)), 2u) << "once per session";
  EXPECT_EQ(database_.position(), 3u);
}

TEST_F(ApplierTest, SessionLostMidTransactionReconnectsAndAppliesEachRecordOnce) {
  PushThrough(3);
  server_.Fail(InsertSql(2), FakeSqlServer::LostSession(), 1);
  Start();
  ASSERT_TRUE(AppliedThrough(3));
  applier_->Stop();

  EXPECT_EQ(server_.connections_opened(), 2);
  EXPECT_EQ(database_.committed(), Inserts({1, 2, 3}));
}

TEST_F(ApplierTest, WaitsForMySqlAndReportsItDown) {
  server_.FailOpen(Status::MySql(2003, "HY000", "Can't connect to MySQL server"), 2);
  Push(Transaction(1));
  Start();
  EXPECT_TRUE(WaitFor([&] { return status_.Snapshot().applier == ApplierState::kMySqlDown; }, kPatience));
  ASSERT_TRUE(AppliedThrough(1));
  EXPECT_EQ(status_.Snapshot().applier, ApplierState::kRunning);
  EXPECT_EQ(database_.committed(), Inserts({1}));
}

TEST_F(ApplierTest, DeadlockInARunRetriesItRecordByRecord) {
  PushThrough(3);
  server_.Fail(InsertSql(2), FakeSqlServer::Deadlock(), 1);
  Start();
  ASSERT_TRUE(AppliedThrough(3));
  applier_->Stop();

  EXPECT_EQ(database_.committed(), Inserts({1, 2, 3}));
  EXPECT_EQ(server_.connections_opened(), 1);
  EXPECT_EQ(status_.Snapshot().apply_errors, 0u);
}

TEST_F(ApplierTest, ADeadlockOnASingleRecordIsRetriedByItself) {
  // Like MariaDB's replica with slave_transaction_retries = 10: another
  // session's locks at that moment are no reason to stop.
  Push(Transaction(1));
  server_.Fail(InsertSql(1), FakeSqlServer::Deadlock(), 3);
  Start();
  ASSERT_TRUE(AppliedThrough(1));
  EXPECT_EQ(database_.committed(), Inserts({1}));
  EXPECT_EQ(status_.Snapshot().apply_error.seq, 0u) << "never stopped for the operator";
}

TEST_F(ApplierTest, ADeadlockThatPersistsStopsTheApplierForTheOperator) {
  Push(Transaction(1));
  server_.Fail(InsertSql(1), FakeSqlServer::Deadlock(), FakeSqlServer::kAlways);
  Start();
  ASSERT_TRUE(StoppedOnError());
  EXPECT_EQ(status_.Snapshot().apply_error.seq, 1u);
  EXPECT_NE(status_.Snapshot().apply_error.error.find("1213"), std::string::npos);
  EXPECT_GE(server_.Count(InsertSql(1)), 11u) << "the first try and ten retries";
  EXPECT_TRUE(database_.committed().empty());
}

TEST_F(ApplierTest, FailingRecordStopsTheApplierNamingItsStatement) {
  PushThrough(3);
  server_.Fail(InsertSql(2), FakeSqlServer::SqlError(kErrorNoSuchTable, "Table 'app.t' doesn't exist"),
               FakeSqlServer::kAlways);
  Start();
  ASSERT_TRUE(StoppedOnError());

  const SlaveStatusSnapshot status = status_.Snapshot();
  EXPECT_EQ(status.apply_error.seq, 2u);
  EXPECT_EQ(status.apply_error.statement, InsertSql(2));
  EXPECT_NE(status.apply_error.error.find("1146"), std::string::npos) << status.apply_error.error;
  // The records before it are applied; nothing of it or after it.
  EXPECT_EQ(applier_->applied_seq(), 1u);
  EXPECT_EQ(database_.committed(), Inserts({1}));
  EXPECT_EQ(database_.position(), 1u);
}

TEST_F(ApplierTest, SkipMovesThePositionPastTheFailedRecordWithoutItsStatements) {
  PushThrough(3);
  server_.Fail(InsertSql(2), FakeSqlServer::SqlError(kErrorNoSuchTable, "Table 'app.t' doesn't exist"),
               FakeSqlServer::kAlways);
  Start();
  ASSERT_TRUE(StoppedOnError());
  ASSERT_TRUE(applier_->Skip().ok());
  ASSERT_TRUE(AppliedThrough(3));
  applier_->Stop();

  EXPECT_EQ(database_.committed(), Inserts({1, 3}));
  EXPECT_EQ(database_.position(), 3u);
  // Stored although skipped: a slave fed from this one's log sees no hole.
  bool stored_two = false;
  for (const FakeStatement& statement : server_.statements()) {
    if (StartsWith(statement.sql, "INSERT INTO ddb_meta.applied_records") && !statement.params.empty() &&
        std::get<uint64_t>(statement.params[0]) == 2) {
      stored_two = true;
    }
  }
  EXPECT_TRUE(stored_two);
}

TEST_F(ApplierTest, OperatorCommandsAreRefusedWhileRunning) {
  Start();
  EXPECT_FALSE(applier_->Retry().ok());
  EXPECT_FALSE(applier_->Skip().ok());
}

TEST_F(ApplierTest, DdlAlreadyAppliedBeforeARestartMovesThePositionPastIt) {
  Push(Ddl(1, "CREATE TABLE t (id INT)"));
  Push(Transaction(2));
  server_.Fail("CREATE TABLE t", FakeSqlServer::SqlError(kErrorTableExists, "Table 't' already exists"), 1);
  Start();
  ASSERT_TRUE(AppliedThrough(2));
  applier_->Stop();
  EXPECT_EQ(database_.committed(), Inserts({2}));
  EXPECT_EQ(status_.Snapshot().apply_errors, 0u);
}

TEST_F(ApplierTest, DdlThatFailsLaterIsAnError) {
  Push(Transaction(1));
  Push(Ddl(2, "CREATE TABLE t (id INT)"));
  server_.Fail("CREATE TABLE t", FakeSqlServer::SqlError(kErrorTableExists, "Table 't' already exists"), 1);
  Start();
  ASSERT_TRUE(StoppedOnError());
  EXPECT_EQ(status_.Snapshot().apply_error.seq, 2u);
  EXPECT_EQ(status_.Snapshot().apply_error.statement, "CREATE TABLE t (id INT)");
  EXPECT_EQ(applier_->applied_seq(), 1u);
}

}  // namespace
}  // namespace ddb
