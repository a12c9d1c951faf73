#include "read_router.h"

#include <thread>

#include "ddb/base/clock.h"
#include "slave_lag.h"

namespace ddb {
namespace {

// How long a slave that failed a read stays out of rotation.
constexpr auto kBenchTime = std::chrono::seconds(5);
constexpr auto kCatchUpPoll = std::chrono::milliseconds(2);

}  // namespace

ReadRouter::ReadRouter(const SlaveRegistry& registry, const RecentRecords& recent, ReadRouting routing)
    : registry_(registry),
      recent_(recent),
      read_timeout_(routing.read_timeout),
      from_slaves_(routing.from_slaves),
      max_lag_seconds_(routing.max_lag_seconds),
      read_your_writes_wait_ms_(routing.read_your_writes_wait.count()) {}

void ReadRouter::SetLimits(double max_lag_seconds, std::chrono::milliseconds read_your_writes_wait) {
  max_lag_seconds_ = max_lag_seconds;
  read_your_writes_wait_ms_ = read_your_writes_wait.count();
}

std::vector<std::string> ReadRouter::Candidates(uint64_t min_seq, bool* may_catch_up) {
  const auto now = std::chrono::steady_clock::now();
  const int64_t now_micros = NowMicros();
  std::vector<std::string> candidates;
  const double max_lag_seconds = max_lag_seconds_;
  std::lock_guard<std::mutex> lock(benched_mutex_);
  *may_catch_up = false;
  for (const SlaveStatus& slave : registry_.Snapshot()) {
    if (slave.state != SlaveState::kOnline) continue;
    auto benched = benched_until_.find(slave.name);
    if (benched != benched_until_.end() && benched->second > now) continue;
    const std::optional<double> lag = SlaveLagSeconds(slave, recent_, now_micros);
    if (!lag || *lag > max_lag_seconds) continue;
    if (slave.acked_seq < min_seq) {
      *may_catch_up = true;  // live and close: it may apply the session's write in a moment
      continue;
    }
    candidates.push_back(slave.name);
  }
  return candidates;
}

bool ReadRouter::TryRead(const QueryRequest& request, uint64_t min_seq, QueryResult* result,
                         std::string* answered_by) {
  if (!from_slaves_) return false;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(read_your_writes_wait_ms_.load());
  bool may_catch_up = false;
  std::vector<std::string> candidates = Candidates(min_seq, &may_catch_up);
  // Wait for a slave to apply the session's last write (acks come by
  // themselves) rather than read stale data; with no slave online and
  // close enough to, the master reads at once.
  while (candidates.empty() && may_catch_up && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kCatchUpPoll);
    candidates = Candidates(min_seq, &may_catch_up);
  }
  const size_t start = next_++;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string& slave = candidates[(start + i) % candidates.size()];
    QueryResult rows;
    Status s = registry_.QuerySlave(slave, request, read_timeout_, &rows);
    if (s.ok()) {
      *result = std::move(rows);
      *answered_by = slave;
      return true;
    }
    // The master answers with the authoritative error, or reads what the
    // slave refused to send (a result too large for the link): neither
    // says the slave is unwell.
    if (s.code() == Status::Code::kMySql || s.code() == Status::Code::kRefused) return false;
    std::lock_guard<std::mutex> lock(benched_mutex_);
    benched_until_[slave] = std::chrono::steady_clock::now() + kBenchTime;
  }
  return false;
}

}  // namespace ddb
