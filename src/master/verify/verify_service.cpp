#include "verify_service.h"

#include <spdlog/spdlog.h>

#include <set>

#include "ddb/base/clock.h"

namespace ddb {

VerifyService::VerifyService(MySqlEndpoint master, ReplicationLog& log, const SlaveRegistry& registry,
                             VerifyResults& results, VerifyPacing pacing,
                             std::shared_ptr<spdlog::logger> logger)
    : master_(master),
      log_(log),
      registry_(registry),
      results_(results),
      logger_(std::move(logger)),
      walker_(std::move(master), log, registry, run_ids_),
      pacing_(pacing) {
  walker_.SetChunkHook([this](std::chrono::steady_clock::duration took) { return Pause(took); });
  walker_.SetStopCheck([this] {
    std::lock_guard<std::mutex> lock(mutex_);
    return stop_;
  });
  results_.UpdateProgress([&](PassProgress& progress) {
    progress.interval_seconds = pacing.interval_seconds;
    progress.busy_percent = pacing.busy_percent;
  });
}

VerifyService::~VerifyService() { Stop(); }

void VerifyService::Start() {
  thread_ = std::thread([this] { Run(); });
}

void VerifyService::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wakeup_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void VerifyService::SetPacing(VerifyPacing pacing) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    rescheduled_ = pacing_.interval_seconds != pacing.interval_seconds;
    pacing_ = pacing;
  }
  results_.UpdateProgress([&](PassProgress& progress) {
    progress.interval_seconds = pacing.interval_seconds;
    progress.busy_percent = pacing.busy_percent;
  });
  wakeup_.notify_all();
}

bool VerifyService::RequestPass() {
  // Read before the request wakes the thread, which then marks its own pass
  // as running.
  const bool running = results_.Progress().running;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requested_ = true;
  }
  wakeup_.notify_all();
  return running;
}

Status VerifyService::Repair(const std::string& table, size_t chunk, RepairReport* report) {
  std::unique_lock<std::mutex> lock(repair_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return Status::Refused("another repair is running; ask again once it has ended");
  // A session of its own: the walker's belongs to its thread.
  ConsistencyCheck check(master_, log_, registry_, run_ids_);
  Status s = check.Repair(table, chunk, report);
  if (s.ok()) results_.Record(report->after, NowMicros());
  return s;
}

void VerifyService::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    const auto woken = [this] { return stop_ || requested_ || rescheduled_; };
    if (pacing_.interval_seconds == 0) {
      wakeup_.wait(lock, woken);
    } else {
      wakeup_.wait_for(lock, std::chrono::seconds(pacing_.interval_seconds), woken);
    }
    if (stop_) return;
    if (rescheduled_ && !requested_) {  // a new interval: wait for it from now
      rescheduled_ = false;
      continue;
    }
    rescheduled_ = false;
    requested_ = false;
    lock.unlock();
    Pass();
    lock.lock();
  }
}

Status VerifyService::Pause(std::chrono::steady_clock::duration took) {
  results_.UpdateProgress(
      [&](PassProgress& progress) { progress.busy_seconds += std::chrono::duration<double>(took).count(); });
  std::unique_lock<std::mutex> lock(mutex_);
  const int percent = std::clamp(pacing_.busy_percent, 1, 100);
  wakeup_.wait_for(lock, took * (100 - percent) / percent, [this] { return stop_; });
  return stop_ ? Status::Unavailable("the master is stopping") : Status::Ok();
}

void VerifyService::Pass() {
  results_.UpdateProgress([](PassProgress& progress) {
    progress.running = true;
    progress.current_table.clear();
    progress.last_pass_started_micros = NowMicros();
  });
  std::vector<std::string> tables;
  std::string error;
  if (Status s = walker_.TableNames(&tables); !s.ok()) {
    error = "listing the tables: " + s.ToString();
  } else {
    results_.KeepOnly(std::set<std::string>(tables.begin(), tables.end()));
  }
  for (const std::string& table : tables) {
    results_.UpdateProgress([&](PassProgress& progress) { progress.current_table = table; });
    VerifyReport report;
    Status s = walker_.Run(&report, table);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stop_) return;
    }
    if (s.ok()) {
      results_.Record(report, NowMicros());
    } else if (s.code() != Status::Code::kNotFound) {  // NotFound: dropped since it was listed
      TableResult failed;
      failed.table = table;
      failed.checked_at_micros = NowMicros();
      failed.reason = "the check failed: " + s.ToString();
      results_.Record(std::move(failed));
      error = table + ": " + s.ToString();
      logger_->warn("continuous verification of {} failed: {}", table, s.ToString());
    }
  }
  // Logged when it changes, not at every pass.
  const size_t differing = results_.ChunksDiffering();
  if (differing > 0 && differing != last_differing_) {
    logger_->warn("continuous verification: {} chunk(s) differ on a slave (GET /api/verify, \\status)",
                  differing);
  } else if (differing == 0 && last_differing_ > 0) {
    logger_->info("continuous verification: every chunk checked is equal again");
  }
  last_differing_ = differing;
  results_.UpdateProgress([&](PassProgress& progress) {
    progress.running = false;
    progress.current_table.clear();
    ++progress.passes_completed;
    progress.last_pass_completed_micros = NowMicros();
    progress.last_error = error;
  });
}

}  // namespace ddb
