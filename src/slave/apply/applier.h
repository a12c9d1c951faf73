// Applier: replays records on the slave's MySQL, in order, exactly once.
//
// The position in ddb_meta.applied_position moves in the same transaction as
// the statements it covers, so after any crash the slave resumes right after
// the last committed record. Consecutive transaction records (and gaps, which
// only move the position) are grouped into one MySQL transaction, sent as one
// multi-statement text when they allow it, so a group costs one round trip
// (order never changes); a DDL is applied alone, then
// the position is updated, and the idempotency rule (an "already exists" /
// "does not exist" error right after a restart means the DDL was applied
// before the crash) covers the gap between the two.
//
// A record that fails stops the applier in a visible error state, like
// MySQL's SQL thread; Retry() or Skip() resume it. A lost MySQL connection is
// retried with back-off. Runs on its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "apply_queue.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/mysql/replay_session.h"
#include "slave_schema.h"
#include "slave_status.h"

namespace spdlog {
class logger;
}

namespace ddb {

class Applier {
 public:
  // `queue` and `status` must outlive the applier. `position` is the stored
  // position read at start. Applied records are kept in
  // ddb_meta.applied_records for `retention_seconds` (applied_records.h).
  // `open` connects to `endpoint` (a fake in unit tests).
  Applier(MySqlEndpoint endpoint, ApplyQueue& queue, SlaveStatusBoard& status, size_t batch_records,
          int64_t retention_seconds, StoredPosition position, std::shared_ptr<spdlog::logger> logger,
          SqlOpener open = OpenMySql);
  ~Applier();

  void Start();
  void Stop();

  // Called on the applier thread after each commit with the new position.
  void SetProgressListener(std::function<void(uint64_t)> listener);

  // Operator commands for the record the applier stopped on.
  Status Retry();
  Status Skip();

  uint64_t applied_seq() const { return applied_seq_.load(); }

 private:
  void Run();
  bool EnsureConnected();
  // Applies `run` (consecutive records) atomically with the position.
  Status ApplyRun(std::span<const LogRecord> run, std::string* failed_statement);
  Status ApplyTransactions(std::span<const LogRecord> run, std::string* failed_statement);
  // How many records at the front of `records` go into one run.
  size_t RunLength(std::span<const LogRecord> records) const;
  // Applies `run` and its position in one round trip (one multi-statement
  // text), when every statement can travel in one; returns false when not,
  // having sent nothing. `status` is the batch's outcome. While the server
  // runs it, the next run's text is built (PrepareNext).
  bool ApplyAsOneBatch(std::span<const LogRecord> run, Status* status);
  // The multi-statement text of `run` into `text`; false when a statement
  // cannot travel in a batch or the text would be too big.
  bool BuildBatch(std::span<const LogRecord> run, std::string* text);
  void PrepareNext(std::span<const LogRecord> run);
  // Discards a prepared text that will not be sent.
  void DropPrepared();
  Status ApplyDdl(const LogRecord& record, std::string* failed_statement);
  // ROLLBACK after a failed statement; when that fails too, drops the
  // connection (and the replay session on it), which rolls back as well.
  void AbandonTransaction();
  // Stores `record` and moves the position past it in one transaction (after
  // a DDL, which commits by itself, or a skip).
  Status StoreAndMovePast(const LogRecord& record);
  // Deletes a chunk of applied records older than the retention, when due.
  void PurgeWhenDue();
  void WaitForOperator();
  void Committed(uint64_t seq, int64_t committed_at, size_t records);

  const MySqlEndpoint endpoint_;
  const SqlOpener open_;
  ApplyQueue& queue_;
  SlaveStatusBoard& status_;
  const size_t batch_records_;
  const int64_t retention_seconds_;
  std::chrono::steady_clock::time_point next_purge_{};
  std::shared_ptr<spdlog::logger> logger_;

  std::unique_ptr<SqlConnection> connection_;
  std::unique_ptr<ReplaySession> replay_;
  std::vector<LogRecord> pending_;   // popped from the queue, not yet applied
  std::vector<LogRecord> upcoming_;  // popped while a batch ran; applied after pending_
  // The batch being sent and the next run's, built while the server applied
  // the previous one; both keep their capacity from batch to batch. The
  // prepared text's context is remembered as set in replay_: a prepared
  // text that is not sent makes replay_ forget (DropPrepared).
  std::string batch_text_;
  std::string prepared_text_;
  uint64_t prepared_first_seq_ = 0;
  size_t prepared_records_ = 0;  // 0: nothing prepared
  // After a failed group: its records one per transaction, up to this seq
  // (the one that failed is among them; the ones before it apply).
  uint64_t single_step_through_ = 0;
  int transient_retries_ = 0;   // of the record now failing with a deadlock or lock wait
  bool just_connected_ = true;  // idempotency rule applies to the first DDL only
  std::atomic<uint64_t> applied_seq_;
  int64_t applied_committed_at_ = 0;
  std::function<void(uint64_t)> progress_listener_;

  std::mutex operator_mutex_;
  std::condition_variable operator_signal_;
  enum class OperatorAction { kNone, kRetry, kSkip } operator_action_ = OperatorAction::kNone;
  bool stopped_on_error_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ddb
