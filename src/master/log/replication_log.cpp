#include "replication_log.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "ddb/mysql/replay_session.h"
#include "ddb/protocol/frame.h"
#include "ddb/sql/partial_drop.h"

namespace ddb {
namespace {

// The log insert and the COMMIT in one round trip (master_schema.cpp).
constexpr const char* kCommitRecordSql = "CALL ddb_meta.commit_record(?, ?, ?)";
// A DDL's bookkeeping, each write with its COMMIT (master_schema.cpp).
constexpr const char* kDdlPendingSql = "CALL ddb_meta.ddl_pending(?, ?, ?)";
constexpr const char* kDdlDoneSql = "CALL ddb_meta.ddl_done(?, ?, ?)";
constexpr const char* kDdlForgetSql = "CALL ddb_meta.ddl_forget(?)";

// How long a session whose COMMIT answer was lost waits for the outcome
// before it is told that it is not known yet.
constexpr auto kLostCommitWait = std::chrono::seconds(10);
// How long a DDL whose answer was lost keeps every commit waiting while it
// is settled; past it the next writer tries again.
constexpr auto kDdlSettleDeadline = std::chrono::seconds(30);
constexpr auto kDdlSettlePause = std::chrono::milliseconds(500);
// Room for what travels around a record body: the CALL's text and the other
// parameters, the frame header.
constexpr uint64_t kRecordEnvelopeBytes = 64 * 1024;

Blob AsBlob(const std::vector<uint8_t>& bytes) { return Blob{std::string(bytes.begin(), bytes.end())}; }

// Re-executes each DDL left 'pending' by a crash. Success, or an error that
// says its effect is already there, means it is applied: mark it done. Any
// other error means it never took effect: remove it, it is never shipped.
Status ResolvePendingDdl(SqlConnection& connection, spdlog::logger& logger) {
  QueryResult pending;
  if (Status s = connection.Execute(
          "SELECT seq, body FROM ddb_meta.replication_log WHERE state = 'pending' ORDER BY seq", &pending);
      !s.ok()) {
    return s;
  }
  for (const auto& row : pending.rows) {
    const uint64_t seq = std::stoull(*row[0]);
    const std::string& body = *row[1];
    LogRecord record;
    Status decoded = DecodeRecordBody(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(body.data()), body.size()), &record);
    Status applied = decoded;
    std::string failed_sql;
    if (decoded.ok()) {
      ReplaySession replay(connection);
      for (const LoggedStatement& statement : record.statements) {
        applied = replay.Execute(statement);
        if (!applied.ok()) {
          failed_sql = statement.sql;
          break;
        }
      }
    }
    if (applied.ok() || (applied.code() == Status::Code::kMySql &&
                         IsAlreadyAppliedDdlError(applied.mysql_error_code(), failed_sql))) {
      logger.warn("recovery: pending DDL #{} is applied; marking it done ({})", seq,
                  applied.ok() ? "re-executed" : applied.ToString());
      // A multi-object DROP fails on re-execution for the names it dropped
      // the first time: ship the form that cannot fail on the slaves.
      std::string final_body = body;
      if (!applied.ok() && record.statements.size() == 1) {
        if (std::optional<std::string> partial = PartialDropStatement(record.statements[0].sql, applied)) {
          record.statements[0].sql = *partial;
          const std::vector<uint8_t> encoded = EncodeRecordBody(record);
          final_body.assign(encoded.begin(), encoded.end());
        }
      }
      if (Status s = connection.ExecuteWithParams(
              "UPDATE ddb_meta.replication_log SET state = 'done', committed_at = ?, body = ? WHERE seq = ?",
              {NowMicros(), Blob{final_body}, seq});
          !s.ok()) {
        return s;
      }
    } else {
      logger.warn("recovery: pending DDL #{} did not take effect ({}); removed from the log, never shipped",
                  seq, applied.ToString());
      if (Status s =
              connection.ExecuteWithParams("DELETE FROM ddb_meta.replication_log WHERE seq = ?", {seq});
          !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

Status LoadLastSeq(SqlConnection& connection, uint64_t* last_seq) {
  QueryResult result;
  // A promoted slave's log may end in gaps, which have no row: the floor
  // keeps their numbers from being handed out again.
  if (Status s =
          connection.Execute("SELECT GREATEST(COALESCE((SELECT MAX(seq) FROM ddb_meta.replication_log), 0),"
                             " COALESCE((SELECT last_seq_floor FROM ddb_meta.log_state WHERE id = 1), 0))",
                             &result);
      !s.ok()) {
    return s;
  }
  *last_seq = std::stoull(*result.rows.at(0).at(0));
  return Status::Ok();
}

}  // namespace

EncodedRecordPtr MakeEncodedRecord(uint64_t seq, int64_t committed_at_micros, std::span<const uint8_t> body) {
  auto record = std::make_shared<EncodedRecord>();
  record->seq = seq;
  record->committed_at_micros = committed_at_micros;
  record->payload = EncodeRecordPayload(seq, committed_at_micros, body);
  return record;
}

ReplicationLog::ReplicationLog(MySqlEndpoint endpoint, RecentRecords* recent,
                               std::shared_ptr<spdlog::logger> logger, const Fencing* fencing, SqlOpener open)
    : endpoint_(std::move(endpoint)),
      open_(std::move(open)),
      logger_(std::move(logger)),
      fencing_(fencing),
      writers_(endpoint_, open_),
      sequencer_(recent, recent->last_seq()),
      lost_(endpoint_, &sequencer_, logger_, open_) {}

Status ReplicationLog::Recover(const MySqlEndpoint& endpoint, spdlog::logger& logger, uint64_t* last_seq,
                               const SqlOpener& open) {
  std::unique_ptr<SqlConnection> connection;
  if (Status s = open(endpoint, MySqlOpenOptions(), &connection); !s.ok()) return s;
  if (Status s = ResolvePendingDdl(*connection, logger); !s.ok()) return s;
  return LoadLastSeq(*connection, last_seq);
}

Status ReplicationLog::Commit(SqlConnection& connection, std::vector<LoggedStatement> statements,
                              uint64_t* seq_out, bool* session_lost) {
  if (session_lost != nullptr) *session_lost = false;
  if (unsettled_ddl_.load() != 0) {
    std::unique_lock<WriterPreferringMutex> exclusive(barrier_);
    if (Status s = SettleLeftoverDdlLocked(); !s.ok()) return s;
  }
  LogRecord record;
  record.kind = RecordKind::kTransaction;
  record.statements = std::move(statements);
  const std::vector<uint8_t> body = EncodeRecordBody(record);
  if (Status s = CheckRecordFits(connection, body.size()); !s.ok()) return s;
  if (Status s = writers_.Admit(connection.session_id()); !s.ok()) return s;
  std::shared_lock<WriterPreferringMutex> window(barrier_);
  if (fencing_ != nullptr) {
    if (Status s = fencing_->CheckWritable(); !s.ok()) return s;
  }
  // After the statements, before the insert: see the header.
  record.seq = sequencer_.Allocate();
  record.committed_at_micros = NowMicros();
  EncodedRecordPtr encoded = MakeEncodedRecord(record.seq, record.committed_at_micros, body);
  const std::vector<SqlParam> params = {record.seq, record.committed_at_micros, AsBlob(body)};
  Status s = connection.ExecuteWithParams(kCommitRecordSql, params);
  if (LogWriters::IsRefusal(s)) {
    // Its admission was removed (by hand: rows of live sessions are never
    // purged). The check runs first, so the transaction is still open:
    // admit the session again and retry.
    writers_.Forget(connection.session_id());
    s = writers_.Admit(connection.session_id());
    if (s.ok()) s = connection.ExecuteWithParams(kCommitRecordSql, params);
  }
  if (s.ok()) {
    sequencer_.Committed(std::move(encoded));
    *seq_out = record.seq;
    return Status::Ok();
  }
  if (!IsConnectionLost(s)) {
    // An answer: the insert failed before the COMMIT ran, or the COMMIT
    // failed and InnoDB rolled back. Either way nothing committed.
    sequencer_.Abandoned(record.seq);
    return s;
  }
  // No answer: the COMMIT may have happened, or may still be happening.
  // DDLs need not wait for the settling.
  window.unlock();
  if (session_lost != nullptr) *session_lost = true;
  const std::optional<bool> committed =
      lost_.Settle(LostCommit{std::move(encoded), connection.session_id()}, kLostCommitWait);
  if (committed.value_or(false)) {
    *seq_out = record.seq;
    return Status::Ok();
  }
  const std::string outcome =
      committed.has_value()
          ? " (the transaction did not commit; nothing was logged)"
          : " (whether the transaction committed is not known yet: #" + std::to_string(record.seq) +
                " is settled as soon as the master's MySQL answers; read your data back)";
  return Status::MySql(s.mysql_error_code(), s.sql_state(), s.message() + outcome);
}

Status ReplicationLog::MaxRecordBytes(SqlConnection& connection, uint64_t* bytes) {
  if (max_record_bytes_.load() == 0) {
    // The log insert carries the body escaped (up to twice its size) in one
    // packet, which the server refuses past max_allowed_packet -- and drops
    // the session with it. Read once: the global value is what sessions get.
    QueryResult packet;
    if (Status s = connection.Execute("SELECT @@global.max_allowed_packet", &packet); !s.ok()) return s;
    const uint64_t max_packet = std::stoull(packet.rows.at(0).at(0).value_or("0"));
    const uint64_t room = kRecordEnvelopeBytes;
    max_record_bytes_ =
        std::min<uint64_t>(kMaxFramePayload - room, max_packet > 2 * room ? max_packet / 2 - room : 0);
  }
  *bytes = max_record_bytes_.load();
  return Status::Ok();
}

Status ReplicationLog::CheckRecordFits(SqlConnection& connection, size_t body_bytes) {
  uint64_t limit = 0;
  if (Status s = MaxRecordBytes(connection, &limit); !s.ok()) return s;
  if (body_bytes <= limit) return Status::Ok();
  return Status::Refused(
      "the transaction is too large to replicate: its log record would be " + std::to_string(body_bytes) +
      " bytes, over the limit of " + std::to_string(limit) +
      " (half the master MySQL's max_allowed_packet, at most the replication link's frame); it "
      "was rolled back -- split it into smaller transactions");
}

Status ReplicationLog::RunDdl(SqlConnection& connection, LoggedStatement statement,
                              const std::function<Status()>& execute, uint64_t* seq_out) {
  // Counted however the DDL ends (see ddl_count()).
  struct CountOnExit {
    std::atomic<uint64_t>& count;
    ~CountOnExit() { ++count; }
  } counted{ddl_count_};
  if (Status s = writers_.Admit(connection.session_id()); !s.ok()) return s;
  std::unique_lock<WriterPreferringMutex> exclusive(barrier_);
  if (fencing_ != nullptr) {
    if (Status s = fencing_->CheckWritable(); !s.ok()) return s;
  }
  if (Status s = SettleLeftoverDdlLocked(); !s.ok()) return s;
  LogRecord record;
  record.kind = RecordKind::kDdl;
  record.seq = sequencer_.Allocate();
  const std::string statement_sql = statement.sql;
  record.statements.push_back(std::move(statement));
  const std::vector<uint8_t> body = EncodeRecordBody(record);
  const MySqlSessionId session = connection.session_id();
  // Through the session's own connection, whose account may only call the
  // log's procedures; each commits its write at once.
  const Status pending =
      connection.ExecuteWithParams(kDdlPendingSql, {record.seq, NowMicros(), AsBlob(body)});
  if (!pending.ok()) {
    if (IsConnectionLost(pending)) {
      static_cast<void>(
          SettleDdl(session, record.seq));  // the row may have committed: finish it as recovery would
    } else {
      // Refused: its admission was removed by hand; the next DDL admits it again.
      if (LogWriters::IsRefusal(pending)) writers_.Forget(session);
      sequencer_.TakeBack(record.seq);
    }
    return pending;
  }
  Status executed = execute();
  if (!executed.ok() && IsConnectionLost(executed)) {
    static_cast<void>(SettleDdl(session, record.seq));  // it may have run: recovery's rule decides
    return executed;
  }
  if (!executed.ok()) {
    if (std::optional<std::string> partial = PartialDropStatement(record.statements[0].sql, executed)) {
      // It failed, but not before dropping what existed: log what it did.
      record.statements[0].sql = *partial;
      const std::vector<uint8_t> partial_body = EncodeRecordBody(record);
      const int64_t committed_at = NowMicros();
      const Status logged =
          connection.ExecuteWithParams(kDdlDoneSql, {record.seq, committed_at, AsBlob(partial_body)});
      if (!logged.ok()) {
        // Still pending: settling re-executes the original, which fails for
        // the names already dropped, and logs the partial form.
        static_cast<void>(SettleDdl(session, record.seq));
        return executed;
      }
      logger_->info("#{}: '{}' failed part way ({}); logged as '{}'", record.seq, statement_sql,
                    executed.ToString(), *partial);
      sequencer_.Committed(MakeEncodedRecord(record.seq, committed_at, partial_body));
      *seq_out = record.seq;
      return executed;
    }
    const Status removed = connection.ExecuteWithParams(kDdlForgetSql, {record.seq});
    if (removed.ok()) {
      sequencer_.TakeBack(record.seq);  // never published, and nothing came after it
    } else {
      static_cast<void>(
          SettleDdl(session, record.seq));  // re-executes it, fails the same way, and removes it
    }
    return executed;
  }
  const int64_t committed_at = NowMicros();
  const Status done = connection.ExecuteWithParams(kDdlDoneSql, {record.seq, committed_at, AsBlob(body)});
  if (!done.ok()) {
    if (Status settled = SettleDdl(session, record.seq); !settled.ok()) {
      return Status::Unavailable("DDL ran on the master but could not be marked done in the log (" +
                                 done.ToString() + "); it is settled when the master's MySQL is reachable");
    }
    *seq_out = record.seq;
    return Status::Ok();
  }
  sequencer_.Committed(MakeEncodedRecord(record.seq, committed_at, body));
  *seq_out = record.seq;
  return Status::Ok();
}

Status ReplicationLog::RunQuiesced(const std::function<Status(uint64_t published)>& quiet,
                                   std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    {
      std::unique_lock<WriterPreferringMutex> exclusive(barrier_);
      if (Status s = SettleLeftoverDdlLocked(); !s.ok()) return s;
      // Under the exclusive barrier only a lost commit's number can still be
      // in flight: its session may yet commit, so no position is exact.
      if (sequencer_.in_flight() == 0) return quiet(sequencer_.published());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Unavailable(
          "a commit whose answer was lost is not settled yet (the master's MySQL "
          "may be unreachable); try again");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Status ReplicationLog::SettleDdl(const MySqlSessionId& session, uint64_t seq) {
  unsettled_ddl_session_ = session;
  unsettled_ddl_ = seq;
  const auto deadline = std::chrono::steady_clock::now() + kDdlSettleDeadline;
  for (;;) {
    Status s = SettleLeftoverDdlLocked();
    if (s.ok() || std::chrono::steady_clock::now() > deadline) return s;
    std::this_thread::sleep_for(kDdlSettlePause);
  }
}

Status ReplicationLog::SettleLeftoverDdlLocked() {
  const uint64_t seq = unsettled_ddl_.load();
  if (seq == 0) return Status::Ok();
  auto unsettled = [seq](const Status& why) {
    return Status::Unavailable(
        "DDL #" + std::to_string(seq) +
        " lost its answer and cannot be settled yet, so no write can commit after it: " + why.ToString());
  };
  std::unique_ptr<SqlConnection> connection;
  if (Status s = open_(endpoint_, MySqlOpenOptions(), &connection); !s.ok()) return unsettled(s);
  LogRowState state = LogRowState::kAbsent;
  if (Status s = EndSessionAndReadRow(*connection, unsettled_ddl_session_, seq, &state); !s.ok()) {
    return unsettled(s);
  }
  if (state == LogRowState::kPending) {
    if (Status s = ResolvePendingDdl(*connection, *logger_); !s.ok()) return unsettled(s);
  }
  QueryResult row;
  if (Status s = connection->ExecuteWithParams(
          "SELECT committed_at, body FROM ddb_meta.replication_log WHERE seq = ? AND state = 'done'", {seq},
          &row);
      !s.ok()) {
    return unsettled(s);
  }
  if (row.rows.empty()) {
    logger_->warn("DDL #{} lost its answer and did not take effect: #{} is a gap", seq, seq);
    sequencer_.Abandoned(seq);
  } else {
    logger_->warn("DDL #{} lost its answer but took effect: published", seq);
    const std::string& body = *row.rows[0][1];
    sequencer_.Committed(MakeEncodedRecord(
        seq, std::stoll(*row.rows[0][0]),
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(body.data()), body.size())));
  }
  unsettled_ddl_ = 0;
  return Status::Ok();
}

}  // namespace ddb
