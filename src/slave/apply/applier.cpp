#include "applier.h"

#include <spdlog/spdlog.h>

#include "applied_records.h"
#include "full_text_reads.h"

namespace ddb {
namespace {

constexpr auto kPopWait = std::chrono::milliseconds(200);
constexpr auto kReconnectMin = std::chrono::milliseconds(200);
constexpr auto kReconnectMax = std::chrono::milliseconds(5000);
// A batch larger than this goes statement by statement: it must stay well
// inside the slave's max_allowed_packet.
constexpr size_t kMaxBatchBytes = 4 * 1024 * 1024;
// Applied records older than the retention are deleted this many at a time
// (one DELETE holds its locks briefly), between batches.
constexpr uint64_t kPurgeChunk = 1000;
constexpr auto kPurgeInterval = std::chrono::seconds(5);

// Errors a record meets only because of another session's locks at that
// moment (a deadlock, a lock wait timeout): retried by itself, as MariaDB's
// replica does (slave_transaction_retries, default 10), before the applier
// stops for the operator.
constexpr int kTransientRetries = 10;
constexpr int kErrorLockWaitTimeout = 1205;
constexpr int kErrorDeadlock = 1213;

bool IsTransient(const Status& s) {
  return s.code() == Status::Code::kMySql &&
         (s.mysql_error_code() == kErrorDeadlock || s.mysql_error_code() == kErrorLockWaitTimeout);
}

// The position's values are integers ddb formats itself.
std::string PositionUpdateSql(const LogRecord& last) {
  return "UPDATE ddb_meta.applied_position SET seq = " + std::to_string(last.seq) +
         ", master_committed_at = " + std::to_string(last.committed_at_micros) +
         ", applied_at = SYSDATE(6) WHERE id = 1";  // SYSDATE: the replayed session clock is the master's
}

}  // namespace

Applier::Applier(MySqlEndpoint endpoint, ApplyQueue& queue, SlaveStatusBoard& status, size_t batch_records,
                 int64_t retention_seconds, StoredPosition position, std::shared_ptr<spdlog::logger> logger,
                 SqlOpener open)
    : endpoint_(std::move(endpoint)),
      open_(std::move(open)),
      queue_(queue),
      status_(status),
      batch_records_(batch_records),
      retention_seconds_(retention_seconds),
      logger_(std::move(logger)),
      applied_seq_(position.seq),
      applied_committed_at_(position.master_committed_at_micros) {}

Applier::~Applier() { Stop(); }

void Applier::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Applier::Stop() {
  stop_ = true;
  queue_.Close();
  operator_signal_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Applier::SetProgressListener(std::function<void(uint64_t)> listener) {
  progress_listener_ = std::move(listener);
}

Status Applier::Retry() {
  std::lock_guard<std::mutex> lock(operator_mutex_);
  if (!stopped_on_error_) return Status::InvalidArgument("the applier is not stopped on an error");
  operator_action_ = OperatorAction::kRetry;
  operator_signal_.notify_all();
  return Status::Ok();
}

Status Applier::Skip() {
  std::lock_guard<std::mutex> lock(operator_mutex_);
  if (!stopped_on_error_) return Status::InvalidArgument("the applier is not stopped on an error");
  operator_action_ = OperatorAction::kSkip;
  operator_signal_.notify_all();
  return Status::Ok();
}

bool Applier::EnsureConnected() {
  auto delay = kReconnectMin;
  while (!stop_) {
    if (connection_) return true;
    // Multi-statement batches carry only ddb's own SQL and statements the
    // master ran as one statement each (see ApplyAsOneBatch).
    Status s = open_(endpoint_, MySqlOpenOptions{.multi_statements = true}, &connection_);
    StoredPosition stored;
    // A COMMIT cut off by a lost connection may or may not have happened:
    // the stored position is the truth about what was applied.
    if (s.ok()) s = AcquireApplierLock(*connection_);
    if (s.ok()) s = LoadPosition(*connection_, &stored);
    if (s.ok()) {
      if (stored.seq != applied_seq_) {
        logger_->info("applied position is #{} after reconnecting (was #{} in memory)", stored.seq,
                      applied_seq_.load());
        Committed(stored.seq, stored.master_committed_at_micros, 0);
      }
      replay_ = std::make_unique<ReplaySession>(*connection_);
      prepared_records_ = 0;  // built for the session that is gone
      just_connected_ = true;
      status_.SetApplier(ApplierState::kRunning);
      logger_->info("applier connected to MySQL at {}", endpoint_.Describe());
      return true;
    }
    connection_.reset();
    status_.SetApplier(ApplierState::kMySqlDown, s.ToString());
    logger_->warn("applier cannot reach MySQL at {}: {}; retrying in {} ms", endpoint_.Describe(),
                  s.ToString(), delay.count());
    {
      // Back-off that Stop() can cut short.
      std::unique_lock<std::mutex> lock(operator_mutex_);
      operator_signal_.wait_for(lock, delay, [this] { return stop_.load(); });
    }
    delay = std::min(delay * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kReconnectMax));
  }
  return false;
}

void Applier::Run() {
  while (!stop_) {
    if (!EnsureConnected()) return;
    PurgeWhenDue();
    if (!connection_) continue;
    if (pending_.empty()) {
      if (upcoming_.empty()) {
        queue_.PopBatch(batch_records_, kPopWait, &pending_);
        continue;
      }
      pending_.swap(upcoming_);
    }
    // A record at or below the position was applied already (re-sent after a
    // reconnect): applying it again would double it.
    while (!pending_.empty() && pending_.front().seq <= applied_seq_) pending_.erase(pending_.begin());
    if (pending_.empty()) continue;

    const std::span<const LogRecord> run = std::span<const LogRecord>(pending_).first(RunLength(pending_));
    std::string failed_statement;
    Status s = ApplyRun(run, &failed_statement);
    if (s.ok()) {
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(run.size()));
      just_connected_ = false;
      transient_retries_ = 0;
      continue;
    }
    if (IsConnectionLost(s)) {
      logger_->warn("applier lost MySQL while applying #{}: {}", run.front().seq, s.ToString());
      replay_.reset();
      connection_.reset();
      continue;
    }
    if (run.size() > 1) {
      single_step_through_ = run.back().seq;  // find the failing record; apply the ones before it
      continue;
    }
    if (IsTransient(s) && transient_retries_ < kTransientRetries) {
      ++transient_retries_;
      logger_->warn("applying record #{} met {}; retrying ({} of {})", run.front().seq, s.ToString(),
                    transient_retries_, kTransientRetries);
      std::unique_lock<std::mutex> lock(operator_mutex_);
      operator_signal_.wait_for(lock, std::chrono::milliseconds(10 * transient_retries_),
                                [this] { return stop_.load(); });
      continue;
    }
    transient_retries_ = 0;  // the operator's Retry gets its own round
    const LogRecord& failed = run.front();
    logger_->error("applier stopped: record #{} failed: {} (statement: {})", failed.seq, s.ToString(),
                   failed_statement);
    status_.SetApplyError({failed.seq, failed_statement, s.ToString()});
    WaitForOperator();
  }
}

void Applier::WaitForOperator() {
  OperatorAction action;
  {
    std::unique_lock<std::mutex> lock(operator_mutex_);
    stopped_on_error_ = true;
    operator_action_ = OperatorAction::kNone;
    operator_signal_.wait(lock, [this] { return stop_ || operator_action_ != OperatorAction::kNone; });
    stopped_on_error_ = false;
    action = operator_action_;
  }
  if (stop_) return;
  const LogRecord failed = pending_.front();
  if (action == OperatorAction::kSkip) {
    // Stored although not applied here: the log another slave may be fed
    // from must not have a hole.
    Status s = StoreAndMovePast(failed);
    if (!s.ok()) {
      logger_->error("skipping #{} failed: {}", failed.seq, s.ToString());
      status_.SetApplyError({failed.seq, "(skip)", s.ToString()});
      if (IsConnectionLost(s)) connection_.reset();
      return;
    }
    logger_->warn("operator skipped record #{}; its statements were NOT applied on this slave", failed.seq);
    pending_.erase(pending_.begin());
    Committed(failed.seq, failed.committed_at_micros, 0);
  } else {
    logger_->info("operator asked to retry record #{}", failed.seq);
  }
  status_.SetApplier(ApplierState::kRunning);
}

size_t Applier::RunLength(std::span<const LogRecord> records) const {
  // Consecutive transaction records, or a DDL alone (it commits implicitly).
  const size_t limit = records.front().seq <= single_step_through_ ? 1 : batch_records_;
  size_t length = 0;
  while (length < records.size() && length < limit) {
    if (records[length].kind == RecordKind::kDdl) return length == 0 ? 1 : length;
    // It must see the rows the records before it wrote (full_text_reads.h).
    if (length > 0 && SearchesFullTextIndex(records[length])) return length;
    ++length;
  }
  return length;
}

Status Applier::ApplyRun(std::span<const LogRecord> run, std::string* failed_statement) {
  if (prepared_records_ != 0 && (prepared_first_seq_ != run.front().seq || prepared_records_ != run.size())) {
    DropPrepared();
  }
  if (run.front().kind == RecordKind::kDdl) return ApplyDdl(run.front(), failed_statement);
  return ApplyTransactions(run, failed_statement);
}

bool Applier::BuildBatch(std::span<const LogRecord> run, std::string* text) {
  for (const LogRecord& record : run) {
    for (const LoggedStatement& statement : record.statements) {
      if (!replay_->Batchable(statement)) return false;
    }
  }
  text->assign("START TRANSACTION;\n");
  for (const LogRecord& record : run) {
    for (const LoggedStatement& statement : record.statements) replay_->AppendToBatch(statement, text);
  }
  // The records go into the same transaction: one more statement in the
  // same round trip.
  const size_t before_store = text->size();
  AppendStoreAppliedRecordsSql(run, text);
  if (text->size() != before_store) *text += ";\n";
  *text += PositionUpdateSql(run.back()) + ";\nCOMMIT";
  if (text->size() > kMaxBatchBytes) {
    replay_->Forget();  // what AppendToBatch remembered will not be sent
    return false;
  }
  return true;
}

void Applier::PrepareNext(std::span<const LogRecord> run) {
  // The records after `run` (a prefix of pending_): the rest of pending_, or
  // what the queue holds now.
  std::span<const LogRecord> rest = std::span<const LogRecord>(pending_).subspan(run.size());
  if (rest.empty()) {
    if (upcoming_.empty()) queue_.PopBatch(batch_records_, std::chrono::milliseconds(0), &upcoming_);
    rest = upcoming_;
  }
  if (rest.empty()) return;
  const std::span<const LogRecord> next = rest.first(RunLength(rest));
  if (next.front().kind == RecordKind::kDdl) return;
  if (!BuildBatch(next, &prepared_text_)) return;
  prepared_first_seq_ = next.front().seq;
  prepared_records_ = next.size();
}

void Applier::DropPrepared() {
  if (prepared_records_ == 0) return;
  prepared_records_ = 0;
  // Its context was remembered as set, and never was.
  if (replay_) replay_->Forget();
}

bool Applier::ApplyAsOneBatch(std::span<const LogRecord> run, Status* status) {
  if (prepared_records_ != 0) {
    batch_text_.swap(prepared_text_);  // ApplyRun checked that it is this run's
    prepared_records_ = 0;
  } else if (!BuildBatch(run, &batch_text_)) {
    return false;
  }
  *status = connection_->SendBatch(batch_text_);
  // The server applies the batch meanwhile: the next one is built now, so
  // building costs the slave's MySQL no idle time.
  if (status->ok()) PrepareNext(run);
  if (status->ok()) *status = connection_->FinishBatch();
  if (!status->ok()) {
    DropPrepared();
    replay_->Forget();
    // A failed statement leaves the transaction open; a lost connection
    // ends it anyway.
    if (!IsConnectionLost(*status)) AbandonTransaction();
  }
  return true;
}

Status Applier::ApplyTransactions(std::span<const LogRecord> run, std::string* failed_statement) {
  Status batch;
  if (ApplyAsOneBatch(run, &batch)) {
    if (batch.ok()) {
      Committed(run.back().seq, run.back().committed_at_micros, run.size());
      return batch;
    }
    if (IsConnectionLost(batch) || !connection_) return batch;
    // A statement failed: apply the run again one statement at a time, which
    // names the statement and its error exactly.
  }
  if (Status s = connection_->Execute("START TRANSACTION"); !s.ok()) return s;
  for (const LogRecord& record : run) {
    for (const LoggedStatement& statement : record.statements) {
      if (Status s = replay_->Execute(statement); !s.ok()) {
        *failed_statement = statement.sql;
        AbandonTransaction();
        return s;
      }
    }
  }
  const LogRecord& last = run.back();
  Status stored = Status::Ok();
  for (const LogRecord& record : run) {
    if (stored.ok()) stored = StoreAppliedRecord(*connection_, record);
  }
  if (stored.ok()) stored = UpdatePosition(*connection_, last.seq, last.committed_at_micros);
  if (!stored.ok()) {
    *failed_statement = "(position update)";
    AbandonTransaction();
    return stored;
  }
  if (Status s = connection_->Execute("COMMIT"); !s.ok()) return s;
  Committed(last.seq, last.committed_at_micros, run.size());
  return Status::Ok();
}

void Applier::AbandonTransaction() {
  Status s = connection_->Execute("ROLLBACK");
  if (s.ok()) return;
  // The transaction must not stay open: the next START TRANSACTION would
  // commit its first statements. Closing the connection rolls it back.
  logger_->warn("applier: ROLLBACK failed ({}); reconnecting to end the transaction", s.ToString());
  replay_.reset();
  connection_.reset();
}

Status Applier::ApplyDdl(const LogRecord& record, std::string* failed_statement) {
  for (const LoggedStatement& statement : record.statements) {
    Status s = replay_->Execute(statement);
    if (s.ok()) continue;
    if (just_connected_ && s.code() == Status::Code::kMySql &&
        IsAlreadyAppliedDdlError(s.mysql_error_code(), statement.sql)) {
      logger_->warn("DDL #{} was already applied before a restart ({}); moving the position past it",
                    record.seq, s.ToString());
      continue;
    }
    *failed_statement = statement.sql;
    return s;
  }
  if (Status s = StoreAndMovePast(record); !s.ok()) {
    *failed_statement = "(position update)";
    return s;
  }
  Committed(record.seq, record.committed_at_micros, 1);
  return Status::Ok();
}

Status Applier::StoreAndMovePast(const LogRecord& record) {
  Status s = connection_->Execute("START TRANSACTION");
  if (s.ok()) s = StoreAppliedRecord(*connection_, record);
  if (s.ok()) s = UpdatePosition(*connection_, record.seq, record.committed_at_micros);
  if (s.ok()) return connection_->Execute("COMMIT");
  if (!IsConnectionLost(s)) AbandonTransaction();
  return s;
}

void Applier::PurgeWhenDue() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_purge_) return;
  uint64_t purged = 0;
  Status s = PurgeAppliedRecords(*connection_, retention_seconds_, kPurgeChunk, &purged);
  if (!s.ok()) {
    logger_->warn("purging applied records failed: {}", s.ToString());
    if (IsConnectionLost(s)) {
      replay_.reset();
      connection_.reset();
    }
  } else if (purged > 0) {
    logger_->debug("purged {} applied records older than {} s", purged, retention_seconds_);
  }
  // A full chunk: more are due, delete the next one after the next batch.
  next_purge_ = s.ok() && purged == kPurgeChunk ? now : now + kPurgeInterval;
}

void Applier::Committed(uint64_t seq, int64_t committed_at, size_t records) {
  applied_seq_ = seq;
  applied_committed_at_ = committed_at;
  status_.SetApplied(seq, committed_at, records);
  if (progress_listener_) progress_listener_(seq);
}

}  // namespace ddb
