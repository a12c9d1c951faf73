#include "slave_registry.h"

#include <algorithm>
#include <future>

namespace ddb {

const char* SlaveStateName(SlaveState state) {
  switch (state) {
    case SlaveState::kNeverConnected: return "never connected";
    case SlaveState::kCatchingUp: return "catching up";
    case SlaveState::kOnline: return "online";
    case SlaveState::kOffline: return "offline";
    case SlaveState::kError: return "error";
  }
  return "unknown";
}

SlaveRegistry::SlaveRegistry(const std::vector<std::string>& names) {
  for (const std::string& name : names) entries_[name].status.name = name;
}

void SlaveRegistry::RestorePositions(const std::map<std::string, uint64_t>& positions) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, seq] : positions) {
    auto it = entries_.find(name);
    if (it == entries_.end() || it->second.status.acked_known) continue;
    it->second.status.acked_seq = seq;
    it->second.status.acked_known = true;
  }
}

std::string SlaveRegistry::SetNames(const std::vector<std::string>& names) {
  std::vector<std::function<void()>> to_stop;
  std::string added;
  std::string removed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& name : names) {
      if (entries_.count(name) == 0) {
        entries_[name].status.name = name;
        added += (added.empty() ? "" : ", ") + name;
      }
    }
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (std::find(names.begin(), names.end(), it->first) != names.end()) {
        ++it;
        continue;
      }
      if (it->second.hooks.stop) to_stop.push_back(std::move(it->second.hooks.stop));
      removed += (removed.empty() ? "" : ", ") + it->first;
      it = entries_.erase(it);
    }
  }
  for (auto& stop : to_stop) stop();
  if (added.empty() && removed.empty()) return "slaves unchanged";
  return "slaves added: " + (added.empty() ? "none" : added) +
         "; removed: " + (removed.empty() ? "none" : removed);
}

bool SlaveRegistry::Knows(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.count(name) > 0;
}

uint64_t SlaveRegistry::Connected(const std::string& name, const std::string& peer, uint64_t acked_seq,
                                  SlaveHooks hooks) {
  std::function<void()> stop_previous;
  uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& entry = entries_[name];
    if (entry.link_id != 0) stop_previous = std::move(entry.hooks.stop);
    id = next_link_id_++;
    entry.link_id = id;
    entry.hooks = std::move(hooks);
    entry.status.name = name;
    entry.status.state = SlaveState::kCatchingUp;
    entry.status.acked_seq = acked_seq;
    entry.status.acked_known = true;
    entry.status.peer = peer;
    entry.status.last_error.clear();
    entry.status.applier_problem.clear();
    ++entry.status.connects;
    entry.live = false;
  }
  if (stop_previous) stop_previous();
  return id;
}

void SlaveRegistry::Disconnected(const std::string& name, uint64_t link_id, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.link_id != link_id) return;  // superseded by a newer link
  it->second.link_id = 0;
  it->second.hooks = SlaveHooks();
  it->second.status.state = SlaveState::kOffline;
  it->second.status.last_error = reason;
  ++it->second.status.disconnects;
}

void SlaveRegistry::RecordsSent(const std::string& name, uint64_t link_id, uint64_t count) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.link_id != link_id) return;
  it->second.status.records_sent += count;
}

void SlaveRegistry::Acked(const std::string& name, uint64_t link_id, const Ack& ack, int64_t now_micros) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.link_id != link_id) return;
  SlaveStatus& status = it->second.status;
  if (ack.applied_seq >= status.acked_seq) {
    if (ack.applied_seq > status.acked_seq) acked_.notify_all();
    status.acked_seq = ack.applied_seq;
    status.acked_committed_at_micros = ack.applied_committed_at_micros;
  }
  status.last_seen_micros = now_micros;
  switch (ack.applier) {
    case ApplierReport::kRunning: status.applier_problem.clear(); break;
    case ApplierReport::kMySqlDown:
      status.applier_problem = "applier waiting for its MySQL: " + ack.error;
      break;
    case ApplierReport::kStopped:
      status.applier_problem = "applier stopped at #" + std::to_string(ack.error_seq) + ": " + ack.error;
      break;
  }
  if (ack.applier == ApplierReport::kStopped) {
    status.state = SlaveState::kError;
  } else {
    status.state = it->second.live ? SlaveState::kOnline : SlaveState::kCatchingUp;
  }
}

void SlaveRegistry::Seen(const std::string& name, uint64_t link_id, int64_t now_micros) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.link_id != link_id) return;
  it->second.status.last_seen_micros = now_micros;
}

void SlaveRegistry::SetLive(const std::string& name, uint64_t link_id, bool live) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.link_id != link_id) return;
  it->second.live = live;
  if (it->second.status.state != SlaveState::kError) {
    it->second.status.state = live ? SlaveState::kOnline : SlaveState::kCatchingUp;
  }
}

Status SlaveRegistry::QuerySlave(const std::string& name, QueryRequest request,
                                 std::chrono::milliseconds timeout, QueryResult* result) const {
  std::function<void(QueryRequest, std::chrono::milliseconds, QueryCallback)> query;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return Status::NotFound("no slave named '" + name + "'");
    if (it->second.link_id == 0 || !it->second.hooks.query) {
      return Status::Unavailable("slave '" + name + "' is not connected");
    }
    query = it->second.hooks.query;
  }
  // The answer arrives on the io thread; the promise outlives a timed-out wait.
  auto answer = std::make_shared<std::promise<std::pair<Status, QueryResult>>>();
  std::future<std::pair<Status, QueryResult>> future = answer->get_future();
  query(std::move(request), timeout, [answer](Status status, QueryResult rows) {
    answer->set_value({std::move(status), std::move(rows)});
  });
  if (future.wait_for(timeout) != std::future_status::ready) {
    return Status::TimedOut("slave '" + name + "' did not answer within " + std::to_string(timeout.count()) +
                            " ms");
  }
  auto [status, rows] = future.get();
  *result = std::move(rows);
  return status;
}

int SlaveRegistry::Count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(entries_.size());
}

int SlaveRegistry::CountAckedLocked(uint64_t seq) const {
  int acked = 0;
  for (const auto& [name, entry] : entries_) {
    // Only a slave's live ack counts: a position restored from before a
    // restart says nothing about records written since.
    if (entry.link_id != 0 && entry.status.acked_seq >= seq) ++acked;
  }
  return acked;
}

int SlaveRegistry::CountAcked(uint64_t seq) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return CountAckedLocked(seq);
}

int SlaveRegistry::WaitForAcks(uint64_t seq, int count,
                               std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mutex_);
  acked_.wait_until(lock, deadline, [&] { return CountAckedLocked(seq) >= count; });
  return CountAckedLocked(seq);
}

uint64_t SlaveRegistry::WaitForAck(const std::string& name, uint64_t seq,
                                   std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock<std::mutex> lock(mutex_);
  auto acked = [&]() -> uint64_t {
    auto it = entries_.find(name);
    return it == entries_.end() || !it->second.status.acked_known ? 0 : it->second.status.acked_seq;
  };
  acked_.wait_until(lock, deadline, [&] { return acked() >= seq; });
  return acked();
}

Status SlaveRegistry::HandOver(const std::string& name, const ddb::HandOver& request,
                               std::function<void(std::string)> refused) const {
  std::function<void(ddb::HandOver, std::function<void(std::string)>)> send;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(name);
    if (it == entries_.end()) return Status::NotFound("no slave named '" + name + "'");
    if (it->second.link_id == 0 || !it->second.hooks.hand_over) {
      return Status::Unavailable("slave '" + name + "' is not connected");
    }
    send = it->second.hooks.hand_over;
  }
  send(request, std::move(refused));
  return Status::Ok();
}

std::vector<SlaveStatus> SlaveRegistry::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<SlaveStatus> out;
  for (const auto& [name, entry] : entries_) out.push_back(entry.status);
  return out;
}

}  // namespace ddb
