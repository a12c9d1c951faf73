#include "auto_failover.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <sstream>

#include "ddb/base/clock.h"
#include "promote_command.h"

namespace ddb {
namespace {

FailoverDecision Wait(std::string reason) {
  FailoverDecision decision;
  decision.reason = std::move(reason);
  return decision;
}

std::string Position(const PeerHealth& node) {
  return node.name + " at #" + std::to_string(node.applied_seq);
}

// The voter that should promote: the most advanced, then the smaller name
// (every voter picks the same one from the same answers).
const PeerHealth* MostAdvanced(const std::vector<const PeerHealth*>& voters) {
  const PeerHealth* best = nullptr;
  for (const PeerHealth* voter : voters) {
    if (!voter->auto_failover) continue;
    if (best == nullptr || voter->applied_seq > best->applied_seq ||
        (voter->applied_seq == best->applied_seq && voter->name < best->name)) {
      best = voter;
    }
  }
  return best;
}

}  // namespace

PeerHealth SelfAsPeer(const std::string& name, const SlaveStatusSnapshot& status, int64_t now_micros) {
  PeerHealth self;
  self.answered = true;
  self.name = name;
  self.epoch = status.epoch.value_or(EpochStart{});
  self.applied_seq = status.applied_seq;
  self.received_seq = status.received_seq;
  self.master_silent_ms = MasterSilentMicros(status, now_micros) / 1000;
  self.auto_failover = true;
  return self;
}

FailoverDecision Decide(const PeerHealth& self, bool linked, const std::vector<PeerHealth>& peers,
                        size_t configured_nodes, std::chrono::milliseconds failover_after) {
  const int64_t after_ms = failover_after.count();
  if (linked) return Wait("linked to the master");
  // A slave that never followed a master (a cluster still starting, its
  // master not up yet) has nothing to take over.
  if (self.epoch.epoch == 0) return Wait("this slave has never followed a master (no epoch yet)");
  const int64_t silent_ms = self.master_silent_ms.value_or(0);
  if (silent_ms < after_ms) {
    return Wait("master silent for " + std::to_string(silent_ms) + " ms, not failover_after_ms " +
                std::to_string(after_ms) + " yet");
  }
  std::vector<const PeerHealth*> voters{&self};
  for (const PeerHealth& peer : peers) {
    if (!peer.answered) continue;
    if (peer.master()) {
      if (peer.epoch.epoch > self.epoch.epoch) {
        return Wait(peer.name + " is the master in the newer epoch " + std::to_string(peer.epoch.epoch) +
                    ": follow it");
      }
      if (peer.master_ok && peer.epoch.epoch == self.epoch.epoch) {
        return Wait(peer.name + " answers as the master and takes writes: it is alive for someone");
      }
      continue;  // a former or fenced master, or one without its MySQL: no vote
    }
    if (peer.epoch.epoch != 0 && peer.master_silent_ms && *peer.master_silent_ms >= after_ms) {
      voters.push_back(&peer);
    }
  }
  FailoverDecision decision;
  decision.votes = static_cast<int>(voters.size());
  decision.needed = static_cast<int>(configured_nodes / 2 + 1);
  std::string positions;
  for (const PeerHealth* voter : voters) positions += (positions.empty() ? "" : ", ") + Position(*voter);
  const std::string count = std::to_string(decision.votes) + " of " + std::to_string(configured_nodes) +
                            " configured nodes lost the master (" + positions + "), " +
                            std::to_string(decision.needed) + " needed";
  if (decision.votes < decision.needed) {
    decision.reason = "no majority: " + count;
    return decision;
  }
  // Positions settle once nothing received is left to apply; deciding
  // before could pick a slave that another one is about to pass.
  for (const PeerHealth* voter : voters) {
    if (voter->received_seq > voter->applied_seq) {
      decision.reason =
          count + "; waiting for " + voter->name + " to apply up to #" + std::to_string(voter->received_seq);
      return decision;
    }
  }
  const PeerHealth* best = MostAdvanced(voters);
  decision.chosen = best->name;  // self is a candidate: never null
  decision.promote = best == &self;
  decision.reason = count + "; " +
                    (decision.promote ? "this slave is the most advanced: promoting it"
                                      : best->name + " is the most advanced: it promotes");
  return decision;
}

AutoFailover::AutoFailover(const SlaveConfig& config, SlaveStatusBoard& status,
                           std::shared_ptr<spdlog::logger> logger, std::shared_ptr<ssl::context> peer_tls)
    : config_(config),
      status_(status),
      logger_(std::move(logger)),
      peers_(PeersOf(config)),
      peer_tls_(std::move(peer_tls)) {}

AutoFailover::~AutoFailover() { Stop(); }

void AutoFailover::Start() {
  logger_->info("automatic failover on: after {} ms without the master, if a majority of {} nodes agrees",
                config_.failover_after_ms, peers_.size() + 1);
  thread_ = std::thread([this] { Run(); });
}

void AutoFailover::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AutoFailover::Run() {
  const auto period = std::chrono::milliseconds(std::max(100, config_.failover_after_ms / 4));
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    lock.unlock();
    Check();
    lock.lock();
  }
}

void AutoFailover::WatchLinkedMaster(const SlaveStatusSnapshot& now) {
  if (now.link != LinkState::kConnected || !now.epoch) {
    status_.SetMasterUnusable(false);
    return;
  }
  // The peer that answered as the master last time first: usually the only
  // one asked.
  std::vector<size_t> order;
  if (master_peer_ < peers_.size()) order.push_back(master_peer_);
  for (size_t i = 0; i < peers_.size(); ++i)
    if (i != master_peer_) order.push_back(i);
  for (size_t i : order) {
    const PeerHealth health = AskPeerHealth(peers_[i], std::chrono::milliseconds(1000), peer_tls_.get());
    if (!health.answered || !health.master() || health.name != now.epoch->node) continue;
    master_peer_ = i;
    status_.SetMasterUnusable(health.master_mysql_down);
    return;
  }
  // Its HTTP does not answer while its link does: nothing to conclude.
}

void AutoFailover::Check() {
  // A master that still talks on the link but has lost its MySQL takes no
  // writes: it counts as silent from then on (the others' watchers see it
  // too), so the cluster fails over as if it were gone.
  WatchLinkedMaster(status_.Snapshot());
  SlaveStatusSnapshot now = status_.Snapshot();
  const PeerHealth self = SelfAsPeer(config_.node_name, now, NowMicros());
  const bool linked = now.link == LinkState::kConnected && now.master_unusable_since_micros == 0;
  const auto after = std::chrono::milliseconds(config_.failover_after_ms);
  // Only a silent master is worth asking the others about.
  FailoverDecision decision = Decide(self, linked, {}, peers_.size() + 1, after);
  if (decision.votes > 0) {
    // Every peer at once, each bounded: a cut-off peer costs one deadline,
    // not one each.
    const auto deadline = std::chrono::milliseconds(std::clamp(config_.failover_after_ms / 2, 100, 1000));
    std::vector<std::future<PeerHealth>> asks;
    for (const Peer& peer : peers_) {
      asks.push_back(std::async(std::launch::async, [this, &peer, deadline] {
        PeerHealth health = AskPeerHealth(peer, deadline, peer_tls_.get());
        if (health.name.empty()) health.name = peer.name;
        return health;
      }));
    }
    std::vector<PeerHealth> answers;
    for (auto& ask : asks) answers.push_back(ask.get());
    decision = Decide(self, linked, answers, peers_.size() + 1, after);
  }
  if (decision.reason != last_reason_ && decision.votes > 0) {
    logger_->warn("automatic failover: {}", decision.reason);
  }
  if (decision.reason != last_reason_) status_.SetFailoverDecision(decision.votes > 0 ? decision.reason : "");
  last_reason_ = decision.reason;
  if (decision.promote && std::chrono::steady_clock::now() >= retry_at_) {
    Promote(decision);
    // Back here only when it did not happen: try again after a while, not
    // at every check (the log would repeat the refusal).
    retry_at_ = std::chrono::steady_clock::now() + after;
  }
}

void AutoFailover::Promote(const FailoverDecision& decision) {
  // The link may have found a master while the peers were asked.
  const SlaveStatusSnapshot now = status_.Snapshot();
  if (now.link == LinkState::kConnected && now.master_unusable_since_micros == 0) {
    logger_->warn("automatic failover: not promoting, the link reached a master meanwhile");
    return;
  }
  logger_->warn("automatic failover: promoting {} ({} votes, {} needed)", config_.node_name, decision.votes,
                decision.needed);
  std::ostringstream out;
  const Status checked = CheckPeersForPromotion(config_, now.applied_seq, now.epoch, false, out);
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) logger_->warn("automatic failover: {}", line);
  if (!checked.ok()) {
    logger_->warn("automatic failover: {}; waiting", checked.message());
    return;
  }
  logger_->warn("automatic failover: this daemon becomes ddb-master --config {} --promote",
                config_.master_config);
  logger_->flush();
  const Status failed = BecomeMaster(config_);  // returns only when it failed
  logger_->error("automatic failover: could not become the master: {}", failed.message());
}

}  // namespace ddb
