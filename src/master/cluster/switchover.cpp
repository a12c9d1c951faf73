#include "switchover.h"

#include <spdlog/spdlog.h>

#include <future>

#include "ddb/base/clock.h"

namespace ddb {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kConfirmPoll{100};

std::string Seq(uint64_t seq) { return "#" + std::to_string(seq); }

}  // namespace

Switchover::Switchover(Parts parts, std::string self, std::chrono::milliseconds timeout,
                       std::shared_ptr<spdlog::logger> logger)
    : parts_(parts), self_(std::move(self)), timeout_(timeout), logger_(std::move(logger)) {}

Switchover::~Switchover() {
  if (background_.joinable()) background_.join();
}

Status Switchover::Check(const std::string& to) const {
  if (to.empty()) return Status::InvalidArgument("name the slave to hand over to: \\switchover NAME");
  if (to == self_) return Status::InvalidArgument(to + " is this master already");
  if (std::optional<std::string> refused = parts_.fencing.WritesRefused()) return Status::Refused(*refused);
  bool connected = false;
  bool known = false;
  for (const SlaveStatus& slave : parts_.registry.Snapshot()) {
    if (slave.name != to) continue;
    known = true;
    connected = slave.state == SlaveState::kOnline || slave.state == SlaveState::kCatchingUp;
    if (!slave.applier_problem.empty()) {
      return Status::Refused(to + "'s applier is stopped (" + slave.applier_problem +
                             "): it cannot catch up to take over");
    }
  }
  if (!known)
    return Status::NotFound("no slave named '" + to + "' (key 'slaves' names those this master has)");
  if (!connected) return Status::Unavailable("slave '" + to + "' is not connected: it cannot take over now");
  if (!parts_.peers.Knows(to)) {
    return Status::InvalidArgument("this master does not know where " + to +
                                   "'s /health is (key 'slave_http_addresses'): it could not tell when " +
                                   to + " took over");
  }
  return Status::Ok();
}

Status Switchover::Run(const std::string& to, const std::function<void(const std::string&)>& progress) {
  std::unique_lock<std::mutex> running(run_mutex_, std::try_to_lock);
  if (!running.owns_lock()) {
    return Status::Refused("a switchover to " + state().to + " is under way already");
  }
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    state_ = SwitchoverState{to, "running", "", NowMicros()};
  }
  const Status s = RunLocked(to, progress);
  if (!s.ok()) {
    logger_->error("switchover to {} failed: {}", to, s.message());
    SetState("failed", s.message());
  }
  return s;
}

Status Switchover::Start(const std::string& to) {
  if (Status s = Check(to); !s.ok()) return s;
  if (!run_mutex_.try_lock())
    return Status::Refused("a switchover to " + state().to + " is under way already");
  run_mutex_.unlock();
  if (background_.joinable()) background_.join();  // the previous one ended: Run holds the mutex throughout
  background_ = std::thread([this, to] {
    static_cast<void>(Run(to, [this](const std::string& line) { logger_->info("switchover: {}", line); }));
  });
  return Status::Ok();
}

Status Switchover::RunLocked(const std::string& to, const std::function<void(const std::string&)>& progress) {
  if (Status s = Check(to); !s.ok()) return s;
  // This master must be able to see the target take over (step 5): asked
  // now, before writes stop, a /health it cannot read (down, or HTTPS whose
  // certificate does not check) refuses the switchover instead of leaving
  // the cluster without writes.
  if (const std::optional<PeerHealth> health = parts_.peers.Ask(to); !health || health->role != "slave") {
    return Status::Unavailable("cannot read " + to +
                               "'s /health as a slave's (slave_http_addresses; with "
                               "tls_ca_file it must be HTTPS with a certificate from that CA): this master "
                               "could not see it take over");
  }
  if (!parts_.fencing.HoldForHandOver(to, self_)) {
    return Status::Refused(parts_.fencing.WritesRefused().value_or("writes are refused already"));
  }
  logger_->warn("switchover to {}: writes stopped", to);
  progress("writes stopped; waiting for the commits under way");
  const Clock::time_point deadline = Clock::now() + timeout_;
  uint64_t last_seq = 0;
  Status quiet = parts_.log.RunQuiesced(
      [&](uint64_t published) {
        last_seq = published;
        return Status::Ok();
      },
      timeout_);
  if (!quiet.ok()) {
    parts_.fencing.ReleaseHandOver();
    return Status::Unavailable("the log did not settle (" + quiet.message() + "); writes resumed");
  }
  progress("the log ends at " + Seq(last_seq) + "; waiting for " + to + " to apply it");
  const uint64_t applied = parts_.registry.WaitForAck(to, last_seq, deadline);
  if (applied < last_seq) {
    parts_.fencing.ReleaseHandOver();
    return Status::TimedOut(to + " applied only up to " + Seq(applied) + " of " + Seq(last_seq) + " within " +
                            std::to_string(timeout_.count()) +
                            " ms (switchover_timeout_ms); writes resumed on " + self_);
  }
  return HandOverTo(to, last_seq, progress);
}

Status Switchover::HandOverTo(const std::string& to, uint64_t last_seq,
                              const std::function<void(const std::string&)>& progress) {
  const std::optional<EpochStart> own = parts_.fencing.epochs().Current();
  const uint64_t epoch = own ? own->epoch : 0;
  auto refusal = std::make_shared<std::promise<std::string>>();
  std::future<std::string> refused = refusal->get_future();
  auto once = std::make_shared<std::once_flag>();
  if (Status s = parts_.registry.HandOver(to, HandOver{last_seq, epoch},
                                          [refusal, once](std::string reason) {
                                            std::call_once(*once,
                                                           [&] { refusal->set_value(std::move(reason)); });
                                          });
      !s.ok()) {
    parts_.fencing.ReleaseHandOver();
    return Status::Unavailable(s.message() + "; writes resumed on " + self_);
  }
  progress(to + " applied " + Seq(last_seq) + "; it takes over now");
  const Clock::time_point deadline = Clock::now() + timeout_;
  while (Clock::now() < deadline) {
    if (refused.wait_for(kConfirmPoll) == std::future_status::ready) {
      parts_.fencing.ReleaseHandOver();
      return Status::Refused(to + " did not take over: " + refused.get() + "; writes resumed on " + self_);
    }
    const std::optional<PeerHealth> health = parts_.peers.Ask(to);
    if (!health || health->role != "master" || health->epoch.epoch <= epoch) continue;
    const std::string done = to + " is the master now, in " + EpochHistory::Describe(health->epoch);
    logger_->warn("switchover: {}", done);
    SetState("done", done);
    progress(done + "; " + self_ + " follows it");
    // Fenced for good; main's hook restarts this node as a slave of `to`.
    parts_.fencing.Learn(health->epoch, "switchover target " + to);
    return Status::Ok();
  }
  return Status::TimedOut(
      to + " was handed the log at " + Seq(last_seq) + " but did not answer as the master within " +
      std::to_string(timeout_.count()) + " ms; " + self_ + " keeps refusing writes (" + to +
      " may still be taking over): look at its log, then promote it or restart this master");
}

void Switchover::SetState(const std::string& state, const std::string& message) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  state_.state = state;
  state_.message = message;
}

SwitchoverState Switchover::state() const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return state_;
}

}  // namespace ddb
