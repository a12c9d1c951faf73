#include "peer_epochs.h"

#include <spdlog/spdlog.h>

namespace ddb {

PeerEpochWatch::PeerEpochWatch(std::vector<NamedAddress> peers, Fencing& fencing,
                               std::chrono::milliseconds interval, std::shared_ptr<spdlog::logger> logger,
                               std::shared_ptr<ssl::context> verify)
    : peers_(std::move(peers)),
      fencing_(fencing),
      interval_(interval),
      logger_(std::move(logger)),
      verify_(std::move(verify)) {}

PeerEpochWatch::~PeerEpochWatch() { Stop(); }

PeerHealth PeerEpochWatch::AskPeer(const NamedAddress& peer) const {
  // A short deadline: a peer that is down must not hold up the start.
  PeerHealth health =
      AskPeerHealth(peer.address.host, peer.address.port, std::chrono::milliseconds(1000), verify_.get());
  if (verify_ && !health.failure.empty()) logger_->debug("peer {}: {}", peer.name, health.failure);
  return health;
}

std::optional<PeerHealth> PeerEpochWatch::Ask(const std::string& name) const {
  for (const NamedAddress& peer : peers_) {
    if (peer.name != name) continue;
    PeerHealth health = AskPeer(peer);
    if (!health.answered) return std::nullopt;
    return health;
  }
  return std::nullopt;
}

bool PeerEpochWatch::Knows(const std::string& name) const {
  for (const NamedAddress& peer : peers_) {
    if (peer.name == name) return true;
  }
  return false;
}

bool PeerEpochWatch::CheckOnce() {
  for (const NamedAddress& peer : peers_) {
    const PeerHealth health = AskPeer(peer);
    if (health.epoch.epoch == 0) continue;
    if (fencing_.Learn(health.epoch,
                       (health.role.empty() ? std::string("node") : health.role) + " " + peer.name)) {
      logger_->error("{}", *fencing_.reason());
      return true;
    }
  }
  return false;
}

void PeerEpochWatch::Start() {
  if (peers_.empty() || interval_.count() <= 0) return;
  thread_ = std::thread([this] { Run(); });
}

void PeerEpochWatch::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeerEpochWatch::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    if (stopping_ || fencing_.reason()) break;
    lock.unlock();
    const bool fenced = CheckOnce();
    lock.lock();
    if (fenced) break;
  }
}

}  // namespace ddb
