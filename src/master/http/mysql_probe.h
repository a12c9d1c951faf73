// MySqlProbe: whether the master's own MySQL answers, for /health.
//
// The master serves nothing without its MySQL: every write, the log and most
// reads live there. A load balancer or supervisor asks /health, which must
// not block on a server that hangs, so a thread of its own asks MySQL
// (`SELECT 1` on a connection it keeps) every `interval` and /health reads
// the last answer. A check that has had no answer for `answer_timeout`
// counts as a failure: a stopped or hung server is as unreachable as a dead
// one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ddb/mysql/mysql_connection.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct MySqlReachability {
  bool reachable = true;
  std::string cause;  // when unreachable: "ddb master cannot reach its MySQL at ...: ..."
};

class MySqlProbe {
 public:
  MySqlProbe(MySqlEndpoint endpoint, std::chrono::milliseconds interval,
             std::chrono::milliseconds answer_timeout, std::shared_ptr<spdlog::logger> logger);
  ~MySqlProbe();
  MySqlProbe(const MySqlProbe&) = delete;
  MySqlProbe& operator=(const MySqlProbe&) = delete;

  void Start();
  void Stop();

  // Any thread. Reachable until the first check has failed.
  MySqlReachability Current() const;

 private:
  // What the probe thread and its readers share. Owned jointly, so a thread
  // left behind on a hung server (see Stop) never outlives what it uses.
  struct Shared {
    std::mutex mutex;
    std::condition_variable wakeup;
    bool stop = false;                               // guarded by mutex
    bool finished = false;                           // guarded by mutex: the thread has returned
    std::string last_failure;                        // guarded by mutex; empty: the last check passed
    bool asking = false;                             // guarded by mutex: a check waits for its answer
    std::chrono::steady_clock::time_point asked_at;  // guarded by mutex
  };
  static void Run(std::shared_ptr<Shared> shared, MySqlEndpoint endpoint, std::chrono::milliseconds interval,
                  std::shared_ptr<spdlog::logger> logger);

  const MySqlEndpoint endpoint_;
  const std::chrono::milliseconds interval_;
  const std::chrono::milliseconds answer_timeout_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::thread thread_;
};

}  // namespace ddb
