#include "replication_log.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "ddb/partial_drop.h"
#include "ddb/replay_session.h"

namespace ddb {
namespace {

constexpr const char* kInsertRecordSql =
    "INSERT INTO ddb_meta.replication_log (seq, committed_at, kind, state, body) VALUES (?, ?, ?, ?, ?)";

// Re-executes each DDL left 'pending' by a crash. Success, or an error that
// says its effect is already there, means it is applied: mark it done. Any
// other error means it never took effect: remove it, it is never shipped.
Status ResolvePendingDdl(MySqlConnection& connection, spdlog::logger& logger) {
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
    if (decoded.ok()) {
      ReplaySession replay(connection);
      for (const LoggedStatement& statement : record.statements) {
        applied = replay.Execute(statement);
        if (!applied.ok()) break;
      }
    }
    if (applied.ok() || (applied.code() == Status::Code::kMySql &&
                         IsAlreadyAppliedDdlError(applied.mysql_error_code()))) {
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
      if (Status s = connection.ExecutePrepared(
              "UPDATE ddb_meta.replication_log SET state = 'done', committed_at = ?, body = ? WHERE seq = ?",
              {NowMicros(), Blob{final_body}, seq});
          !s.ok()) {
        return s;
      }
    } else {
      logger.warn("recovery: pending DDL #{} did not take effect ({}); removed from the log, never shipped", seq,
                  applied.ToString());
      if (Status s = connection.ExecutePrepared("DELETE FROM ddb_meta.replication_log WHERE seq = ?", {seq});
          !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

Status LoadLastSeq(MySqlConnection& connection, uint64_t* last_seq) {
  QueryResult result;
  if (Status s = connection.Execute("SELECT COALESCE(MAX(seq), 0) FROM ddb_meta.replication_log", &result);
      !s.ok()) {
    return s;
  }
  *last_seq = std::stoull(*result.rows.at(0).at(0));
  return Status::Ok();
}

}  // namespace

ReplicationLog::ReplicationLog(MySqlEndpoint endpoint, RecentRecords* recent,
                               std::shared_ptr<spdlog::logger> logger)
    : endpoint_(std::move(endpoint)), recent_(recent), logger_(std::move(logger)) {
  last_seq_ = recent_->last_seq();
}

Status ReplicationLog::Recover(const MySqlEndpoint& endpoint, spdlog::logger& logger, uint64_t* last_seq) {
  std::unique_ptr<MySqlConnection> connection;
  if (Status s = MySqlConnection::Open(endpoint, &connection); !s.ok()) return s;
  if (Status s = ResolvePendingDdl(*connection, logger); !s.ok()) return s;
  return LoadLastSeq(*connection, last_seq);
}

uint64_t ReplicationLog::last_seq() const {
  std::lock_guard<std::mutex> lock(commit_mutex_);
  return last_seq_;
}

void ReplicationLog::Publish(uint64_t seq, int64_t committed_at_micros, const std::vector<uint8_t>& body) {
  auto record = std::make_shared<EncodedRecord>();
  record->seq = seq;
  record->committed_at_micros = committed_at_micros;
  record->payload = EncodeRecordPayload(seq, committed_at_micros, body);
  recent_->Append(std::move(record));
}

Status ReplicationLog::Commit(MySqlConnection& connection, std::vector<LoggedStatement> statements,
                              uint64_t* seq_out) {
  std::lock_guard<std::mutex> lock(commit_mutex_);
  if (needs_resync_) {
    if (Status s = ResyncLocked(); !s.ok()) return s;
  }
  LogRecord record;
  record.seq = last_seq_ + 1;
  record.committed_at_micros = NowMicros();
  record.kind = RecordKind::kTransaction;
  record.statements = std::move(statements);
  const std::vector<uint8_t> body = EncodeRecordBody(record);
  Status inserted = connection.ExecutePrepared(
      kInsertRecordSql,
      {record.seq, record.committed_at_micros, int64_t{1}, std::string("done"),
       Blob{std::string(body.begin(), body.end())}});
  if (!inserted.ok()) {
    // A duplicate seq means the table moved under us (another writer?):
    // re-read it before the next commit rather than guess.
    if (inserted.code() == Status::Code::kMySql && inserted.mysql_error_code() == 1062) needs_resync_ = true;
    return inserted;
  }
  Status committed = connection.Execute("COMMIT");
  if (!committed.ok()) {
    // The COMMIT may or may not have reached InnoDB (connection lost mid
    // commit). Ask the table, from another connection, what happened.
    needs_resync_ = true;
    if (ResyncLocked().ok() && last_seq_ >= record.seq) {
      logger_->warn("COMMIT of #{} reported {}, but the record is in the log: it committed", record.seq,
                    committed.ToString());
      *seq_out = record.seq;
      return Status::Ok();
    }
    return committed;
  }
  last_seq_ = record.seq;
  Publish(record.seq, record.committed_at_micros, body);
  *seq_out = record.seq;
  return Status::Ok();
}

Status ReplicationLog::RunDdl(MySqlConnection& connection, LoggedStatement statement,
                              const std::function<Status()>& execute, uint64_t* seq_out) {
  std::lock_guard<std::mutex> lock(commit_mutex_);
  if (needs_resync_) {
    if (Status s = ResyncLocked(); !s.ok()) return s;
  }
  LogRecord record;
  record.seq = last_seq_ + 1;
  record.kind = RecordKind::kDdl;
  const std::string statement_sql = statement.sql;
  record.statements.push_back(std::move(statement));
  const std::vector<uint8_t> body = EncodeRecordBody(record);
  // Each bookkeeping write is committed explicitly: in a session with
  // autocommit=0 it would otherwise wait in an open transaction that a later
  // ROLLBACK could undo.
  Status pending = connection.ExecutePrepared(kInsertRecordSql, {record.seq, NowMicros(), int64_t{2},
                                                                 std::string("pending"),
                                                                 Blob{std::string(body.begin(), body.end())}});
  if (pending.ok()) pending = connection.Execute("COMMIT");
  if (!pending.ok()) return pending;
  if (Status s = execute(); !s.ok()) {
    if (std::optional<std::string> partial = PartialDropStatement(record.statements[0].sql, s)) {
      // It failed, but not before dropping what existed: log what it did.
      record.statements[0].sql = *partial;
      const std::vector<uint8_t> partial_body = EncodeRecordBody(record);
      record.committed_at_micros = NowMicros();
      Status logged = connection.ExecutePrepared(
          "UPDATE ddb_meta.replication_log SET state = 'done', committed_at = ?, body = ? WHERE seq = ?",
          {record.committed_at_micros, Blob{std::string(partial_body.begin(), partial_body.end())}, record.seq});
      if (logged.ok()) logged = connection.Execute("COMMIT");
      if (logged.ok()) {
        logger_->info("#{}: '{}' failed part way ({}); logged as '{}'", record.seq, statement_sql, s.ToString(),
                      *partial);
        last_seq_ = record.seq;
        Publish(record.seq, record.committed_at_micros, partial_body);
        *seq_out = record.seq;
        return s;
      }
      needs_resync_ = true;  // still pending: recovery re-executes the original, fails, removes it
      return s;
    }
    Status removed = connection.ExecutePrepared("DELETE FROM ddb_meta.replication_log WHERE seq = ?", {record.seq});
    if (removed.ok()) removed = connection.Execute("COMMIT");
    if (!removed.ok()) needs_resync_ = true;  // recovery re-executes it, fails the same way, and removes it
    return s;
  }
  record.committed_at_micros = NowMicros();
  Status done = connection.ExecutePrepared(
      "UPDATE ddb_meta.replication_log SET state = 'done', committed_at = ? WHERE seq = ?",
      {record.committed_at_micros, record.seq});
  if (done.ok()) done = connection.Execute("COMMIT");
  if (!done.ok()) {
    needs_resync_ = true;
    if (ResyncLocked().ok() && last_seq_ >= record.seq) {
      *seq_out = record.seq;
      return Status::Ok();
    }
    return Status::Unavailable("DDL ran on the master but could not be marked done in the log (" +
                               done.ToString() + "); it is resolved when the master's MySQL is reachable");
  }
  last_seq_ = record.seq;
  Publish(record.seq, record.committed_at_micros, body);
  *seq_out = record.seq;
  return Status::Ok();
}

Status ReplicationLog::ResyncLocked() {
  std::unique_ptr<MySqlConnection> connection;
  if (Status s = MySqlConnection::Open(endpoint_, &connection); !s.ok()) return s;
  if (Status s = ResolvePendingDdl(*connection, *logger_); !s.ok()) return s;
  QueryResult result;
  if (Status s = connection->ExecutePrepared(
          "SELECT seq, committed_at, body FROM ddb_meta.replication_log WHERE seq > ? AND state = 'done' "
          "ORDER BY seq",
          {last_seq_}, &result);
      !s.ok()) {
    return s;
  }
  for (const auto& row : result.rows) {
    const uint64_t seq = std::stoull(*row[0]);
    const std::vector<uint8_t> body(row[2]->begin(), row[2]->end());
    Publish(seq, std::stoll(*row[1]), body);
    last_seq_ = seq;
  }
  needs_resync_ = false;
  return Status::Ok();
}

}  // namespace ddb
