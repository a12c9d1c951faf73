#include "slave_registry.h"

namespace ddb {

const char* SlaveStateName(SlaveState state) {
  switch (state) {
    case SlaveState::kNeverConnected: return "never connected";
    case SlaveState::kCatchingUp: return "catching up";
    case SlaveState::kOnline: return "online";
    case SlaveState::kOffline: return "offline";
  }
  return "unknown";
}

SlaveRegistry::SlaveRegistry(const std::vector<std::string>& names) {
  for (const std::string& name : names) entries_[name].status.name = name;
}

bool SlaveRegistry::Knows(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.count(name) > 0;
}

uint64_t SlaveRegistry::Connected(const std::string& name, const std::string& peer, uint64_t acked_seq,
                                  std::function<void()> stop) {
  std::function<void()> stop_previous;
  uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Entry& entry = entries_[name];
    if (entry.link_id != 0) stop_previous = std::move(entry.stop);
    id = next_link_id_++;
    entry.link_id = id;
    entry.stop = std::move(stop);
    entry.status.name = name;
    entry.status.state = SlaveState::kCatchingUp;
    entry.status.acked_seq = acked_seq;
    entry.status.acked_known = true;
    entry.status.peer = peer;
    entry.status.last_error.clear();
  }
  if (stop_previous) stop_previous();
  return id;
}

void SlaveRegistry::Disconnected(const std::string& name, uint64_t link_id, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.link_id != link_id) return;  // superseded by a newer link
  it->second.link_id = 0;
  it->second.stop = nullptr;
  it->second.status.state = SlaveState::kOffline;
  it->second.status.last_error = reason;
}

void SlaveRegistry::Acked(const std::string& name, uint64_t link_id, uint64_t seq, int64_t now_micros) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(name);
  if (it == entries_.end() || it->second.link_id != link_id) return;
  if (seq > it->second.status.acked_seq) it->second.status.acked_seq = seq;
  it->second.status.last_seen_micros = now_micros;
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
  it->second.status.state = live ? SlaveState::kOnline : SlaveState::kCatchingUp;
}

std::vector<SlaveStatus> SlaveRegistry::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<SlaveStatus> out;
  for (const auto& [name, entry] : entries_) out.push_back(entry.status);
  return out;
}

}  // namespace ddb
