#include "mysql_probe.h"

#include <spdlog/spdlog.h>

namespace ddb {
namespace {

// One check on the probe's own connection, opened again after a failure.
Status CheckOnce(const MySqlEndpoint& endpoint, std::unique_ptr<MySqlConnection>* connection) {
  if (!*connection) {
    if (Status s = MySqlConnection::Open(endpoint, connection); !s.ok()) {
      connection->reset();
      return s;
    }
  }
  Status s = (*connection)->Execute("SELECT 1");
  if (!s.ok()) connection->reset();
  return s;
}

}  // namespace

MySqlProbe::MySqlProbe(MySqlEndpoint endpoint, std::chrono::milliseconds interval,
                       std::chrono::milliseconds answer_timeout, std::shared_ptr<spdlog::logger> logger)
    : endpoint_(std::move(endpoint)),
      interval_(interval),
      answer_timeout_(answer_timeout),
      logger_(std::move(logger)) {}

MySqlProbe::~MySqlProbe() { Stop(); }

void MySqlProbe::Start() { thread_ = std::thread(&MySqlProbe::Run, shared_, endpoint_, interval_, logger_); }

void MySqlProbe::Stop() {
  if (!thread_.joinable()) return;
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->stop = true;
  shared_->wakeup.notify_all();
  // A check stuck on a hung server would hold shutdown until the connector
  // gives up; past answer_timeout the thread is left to finish on its own
  // (it only touches what it shares with us through shared_).
  const bool finished = shared_->wakeup.wait_for(lock, answer_timeout_, [this] { return shared_->finished; });
  lock.unlock();
  if (finished) {
    thread_.join();
  } else {
    thread_.detach();
  }
}

MySqlReachability MySqlProbe::Current() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  const std::string where = "ddb master cannot reach its MySQL at " + endpoint_.Address() + ": ";
  if (shared_->asking && std::chrono::steady_clock::now() - shared_->asked_at > answer_timeout_) {
    return {false, where + "no answer for more than " + std::to_string(answer_timeout_.count()) + " ms"};
  }
  if (!shared_->last_failure.empty()) return {false, where + shared_->last_failure};
  return {};
}

void MySqlProbe::Run(std::shared_ptr<Shared> shared, MySqlEndpoint endpoint,
                     std::chrono::milliseconds interval, std::shared_ptr<spdlog::logger> logger) {
  std::unique_ptr<MySqlConnection> connection;
  std::unique_lock<std::mutex> lock(shared->mutex);
  while (!shared->stop) {
    shared->asking = true;
    shared->asked_at = std::chrono::steady_clock::now();
    lock.unlock();
    const Status s = CheckOnce(endpoint, &connection);
    lock.lock();
    shared->asking = false;
    // Logged on a change only: a server that stays down is one line, not
    // one per interval.
    const std::string failure = s.ok() ? "" : s.ToString();
    if (failure != shared->last_failure) {
      if (failure.empty()) {
        logger->info("the master's MySQL at {} answers again", endpoint.Describe());
      } else {
        logger->warn("the master's MySQL at {} does not answer: {}", endpoint.Describe(), failure);
      }
      shared->last_failure = failure;
    }
    shared->wakeup.wait_for(lock, interval, [&shared] { return shared->stop; });
  }
  shared->finished = true;
  shared->wakeup.notify_all();
}

}  // namespace ddb
