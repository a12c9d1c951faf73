#include "lost_commits.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace ddb {
namespace {

constexpr int kErrorNoSuchThread = 1094;
// Server start times are derived from whole seconds of uptime, read at two
// moments: they may differ by a second for the same server run.
constexpr int64_t kStartTimeSlackSeconds = 2;
// A killed session ends once its statement notices; a COMMIT's fsync or a
// rollback of a large transaction can take a while.
constexpr auto kSessionEndDeadline = std::chrono::seconds(60);
constexpr auto kRetryPause = std::chrono::milliseconds(500);

}  // namespace

Status EndSessionAndReadRow(SqlConnection& connection, const MySqlSessionId& session, uint64_t seq,
                            LogRowState* state) {
  MySqlSessionId mine;
  if (Status s = connection.ReadSessionId(&mine); !s.ok()) return s;
  // After a restart the old session is certainly gone, and its id may now
  // belong to someone else: never kill then.
  const bool same_server_run =
      std::llabs(mine.server_started_at - session.server_started_at) <= kStartTimeSlackSeconds;
  if (same_server_run && session.connection_id != 0) {
    Status killed = connection.Execute("KILL CONNECTION " + std::to_string(session.connection_id));
    if (!killed.ok() &&
        !(killed.code() == Status::Code::kMySql && killed.mysql_error_code() == kErrorNoSuchThread)) {
      return killed;
    }
    const auto deadline = std::chrono::steady_clock::now() + kSessionEndDeadline;
    for (;;) {
      QueryResult present;
      if (Status s =
              connection.ExecuteWithParams("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?",
                                           {session.connection_id}, &present);
          !s.ok()) {
        return s;
      }
      if (present.rows.at(0).at(0).value_or("0") == "0") break;
      if (std::chrono::steady_clock::now() > deadline) {
        return Status::TimedOut("MySQL session " + std::to_string(session.connection_id) +
                                " was killed but has not ended");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  QueryResult row;
  if (Status s = connection.ExecuteWithParams("SELECT state FROM ddb_meta.replication_log WHERE seq = ?",
                                              {seq}, &row);
      !s.ok()) {
    return s;
  }
  if (row.rows.empty()) {
    *state = LogRowState::kAbsent;
  } else {
    *state = row.rows[0][0].value_or("") == "done" ? LogRowState::kDone : LogRowState::kPending;
  }
  return Status::Ok();
}

LostCommits::LostCommits(MySqlEndpoint endpoint, CommitSequencer* sequencer,
                         std::shared_ptr<spdlog::logger> logger, SqlOpener open)
    : endpoint_(std::move(endpoint)),
      open_(std::move(open)),
      sequencer_(sequencer),
      logger_(std::move(logger)) {
  thread_ = std::thread([this] { Run(); });
}

LostCommits::~LostCommits() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

std::optional<bool> LostCommits::Settle(LostCommit commit, std::chrono::milliseconds wait) {
  auto entry = std::make_shared<Entry>();
  entry->commit = std::move(commit);
  std::unique_lock<std::mutex> lock(mutex_);
  waiting_.push_back(entry);
  changed_.notify_all();
  changed_.wait_for(lock, wait, [&] { return entry->committed.has_value(); });
  return entry->committed;
}

void LostCommits::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (waiting_.empty()) {
      changed_.wait(lock, [this] { return stop_ || !waiting_.empty(); });
      continue;
    }
    std::shared_ptr<Entry> entry = waiting_.front();
    lock.unlock();
    const bool settled = TrySettle(*entry);
    lock.lock();
    if (settled) {
      waiting_.pop_front();
      changed_.notify_all();
    } else {
      // MySQL is unreachable or the session will not end: try again soon
      // (Stop cuts the pause short). Nothing after this number is published
      // meanwhile, which is what ordering demands.
      changed_.wait_for(lock, kRetryPause, [this] { return stop_; });
    }
  }
}

bool LostCommits::TrySettle(Entry& entry) {
  const uint64_t seq = entry.commit.record->seq;
  if (!connection_) {
    if (Status s = open_(endpoint_, MySqlOpenOptions(), &connection_); !s.ok()) {
      logger_->warn("cannot yet settle the lost COMMIT of #{}: {}", seq, s.ToString());
      return false;
    }
  }
  LogRowState state = LogRowState::kAbsent;
  if (Status s = EndSessionAndReadRow(*connection_, entry.commit.session, seq, &state); !s.ok()) {
    logger_->warn("cannot yet settle the lost COMMIT of #{}: {}", seq, s.ToString());
    if (IsConnectionLost(s)) connection_.reset();
    return false;
  }
  const bool committed = state == LogRowState::kDone;
  if (committed) {
    logger_->warn("the COMMIT of #{} lost its answer, but the record is in the log: it committed", seq);
    sequencer_->Committed(entry.commit.record);
  } else {
    logger_->warn("the COMMIT of #{} lost its answer and did not commit: #{} is a gap", seq, seq);
    sequencer_->Abandoned(seq);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  entry.committed = committed;
  return true;
}

}  // namespace ddb
