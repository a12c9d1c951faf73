#include "log_purger.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "ddb/base/clock.h"

namespace ddb {
namespace {

// Rows deleted per statement: small enough that one DELETE holds its locks
// for milliseconds, not seconds.
constexpr uint64_t kPurgeChunk = 5000;

}  // namespace

Status LoadSavedPositions(MySqlConnection& connection, std::map<std::string, uint64_t>* positions) {
  QueryResult result;
  if (Status s = connection.Execute("SELECT name, acked_seq FROM ddb_meta.slave_positions", &result);
      !s.ok()) {
    return s;
  }
  for (const auto& row : result.rows) (*positions)[row[0].value_or("")] = std::stoull(row[1].value_or("0"));
  return Status::Ok();
}

LogPurger::LogPurger(MySqlEndpoint endpoint, const SlaveRegistry& registry, RetentionOptions options,
                     std::shared_ptr<spdlog::logger> logger)
    : endpoint_(std::move(endpoint)), registry_(registry), logger_(std::move(logger)), options_(options) {}

RetentionOptions LogPurger::Options() {
  std::lock_guard<std::mutex> lock(mutex_);
  return options_;
}

void LogPurger::SetOptions(RetentionOptions options) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    options_ = options;
    rescheduled_ = true;
  }
  wakeup_.notify_all();
}

LogPurger::~LogPurger() { Stop(); }

void LogPurger::Start() {
  thread_ = std::thread([this] { Run(); });
}

void LogPurger::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LogPurger::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wakeup_.wait_for(lock, std::chrono::milliseconds(options_.purge_interval_ms),
                     [this] { return stop_ || rescheduled_; });
    if (stop_) return;
    if (rescheduled_) {  // a new interval: wait for it from now
      rescheduled_ = false;
      continue;
    }
    const int64_t retention_seconds = options_.retention_seconds;
    lock.unlock();
    uint64_t purged = 0;
    if (Status s = PurgeOnce(&purged); !s.ok()) {
      logger_->warn("log purge pass failed: {}", s.ToString());
      connection_.reset();
    } else if (purged > 0) {
      logger_->info("purged {} log records acknowledged by every slave and older than {} s", purged,
                    retention_seconds);
    }
    lock.lock();
  }
}

Status LogPurger::SavePositions() {
  for (const SlaveStatus& slave : registry_.Snapshot()) {
    if (!slave.acked_known) continue;
    if (Status s = connection_->ExecuteWithParams(
            "INSERT INTO ddb_meta.slave_positions (name, acked_seq, updated_at) VALUES (?, ?, NOW(6)) "
            "ON DUPLICATE KEY UPDATE acked_seq = GREATEST(acked_seq, VALUES(acked_seq)), updated_at = NOW(6)",
            {slave.name, slave.acked_seq});
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

Status LogPurger::PurgeOnce(uint64_t* purged) {
  *purged = 0;
  if (!connection_) {
    if (Status s = MySqlConnection::Open(endpoint_, &connection_); !s.ok()) return s;
  }
  if (Status s = SavePositions(); !s.ok()) return s;
  // Everything up to the lowest position any configured slave acknowledged.
  uint64_t limit = UINT64_MAX;
  for (const SlaveStatus& slave : registry_.Snapshot()) {
    limit = std::min(limit, slave.acked_known ? slave.acked_seq : 0);
  }
  // The newest record always stays: it is where the sequence continues after
  // a restart, and an empty log would restart numbering from 1.
  QueryResult newest;
  if (Status s = connection_->Execute("SELECT COALESCE(MAX(seq), 0) FROM ddb_meta.replication_log", &newest);
      !s.ok()) {
    return s;
  }
  const uint64_t last_seq = std::stoull(newest.rows.at(0).at(0).value_or("0"));
  if (last_seq == 0) return Status::Ok();
  limit = std::min(limit, last_seq - 1);
  if (limit == 0) return Status::Ok();
  // ... and no younger than the retention. Numbers grow with commit time
  // (give or take the moments between allocation and COMMIT), so this is a
  // prefix of the log.
  const int64_t cutoff = NowMicros() - Options().retention_seconds * 1000000;
  QueryResult old_enough;
  if (Status s = connection_->ExecuteWithParams(
          "SELECT COALESCE(MAX(seq), 0) FROM ddb_meta.replication_log WHERE seq <= ? AND committed_at < ?",
          {limit, cutoff}, &old_enough);
      !s.ok()) {
    return s;
  }
  limit = std::min<uint64_t>(limit, std::stoull(old_enough.rows.at(0).at(0).value_or("0")));
  while (limit > 0) {
    // One chunk per transaction, the purge horizon moved with the rows it
    // covers: a reader sees both or neither, so a purged record can never
    // be taken for a gap.
    QueryResult chunk;
    if (Status s = connection_->ExecuteWithParams("SELECT COALESCE(MAX(seq), 0), COUNT(*) FROM (SELECT seq "
                                                  "FROM ddb_meta.replication_log WHERE seq <= ? "
                                                  "ORDER BY seq LIMIT ?) oldest",
                                                  {limit, kPurgeChunk}, &chunk);
        !s.ok()) {
      return s;
    }
    const uint64_t bound = std::stoull(chunk.rows.at(0).at(0).value_or("0"));
    const uint64_t rows = std::stoull(chunk.rows.at(0).at(1).value_or("0"));
    if (rows == 0) return Status::Ok();
    QueryResult deleted;
    Status s = connection_->Execute("START TRANSACTION");
    if (s.ok()) {
      s = connection_->ExecuteWithParams(
          "UPDATE ddb_meta.log_state SET purged_through = GREATEST(purged_through, ?) WHERE id = 1", {bound});
    }
    if (s.ok()) {
      s = connection_->ExecuteWithParams("DELETE FROM ddb_meta.replication_log WHERE seq <= ?", {bound},
                                         &deleted);
    }
    if (s.ok()) s = connection_->Execute("COMMIT");
    if (!s.ok()) {
      static_cast<void>(connection_->Execute("ROLLBACK"));  // the pass failed anyway; Run reconnects
      return s;
    }
    *purged += deleted.affected_rows;
    if (rows < kPurgeChunk) return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace ddb
