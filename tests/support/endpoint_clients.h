// Many clients of the master's MySQL endpoint at once, for load tests that
// race commits: each client is a ddb::MySqlConnection driven by its own
// thread, as an application's connection pool would.
//
// Threads never use gtest's ASSERT_* (it only returns from the thread's
// function); they count what happened in their own ClientTally, and the test
// asserts on the sum after Stop() has joined them.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb::testing {

// MySQL error codes the load tests expect under contention.
inline constexpr int kDeadlock = 1213;         // InnoDB rolled the transaction back
inline constexpr int kLockWaitTimeout = 1205;  // the statement (only) was rolled back

// The master's endpoint (ClusterOptions::mysql_endpoint) as kClientUser.
MySqlEndpoint ClientEndpoint(const Cluster& cluster, const std::string& database = "");

// Connects to `endpoint`, trying again until `deadline` (the master may be
// starting or restarting). nullptr if no attempt succeeded; `last_error`
// (optional) then holds the last attempt's error.
std::unique_ptr<MySqlConnection> ConnectWithin(const MySqlEndpoint& endpoint,
                                               std::chrono::milliseconds deadline,
                                               Status* last_error = nullptr);

// Runs `statements` in order on one new connection to the endpoint (set-up
// that must be logged like the load after it); stops at the first failure.
Status ExecuteThroughEndpoint(const Cluster& cluster, const std::vector<std::string>& statements);

// Runs `statements` in order on `connection`; stops at the first failure and
// returns it.
Status ExecuteEach(MySqlConnection& connection, const std::vector<std::string>& statements);

// What one client saw. Owned by one thread while it runs; read after Stop().
struct ClientTally {
  int64_t commits = 0;    // writes acknowledged: COMMIT or autocommit DML answered OK
  int64_t rollbacks = 0;  // transactions the client rolled back on purpose
  int64_t deadlocks = 0;
  int64_t lock_wait_timeouts = 0;
  int64_t other_expected = 0;  // errors the test said to expect (see Count)
  int64_t unexpected = 0;
  std::vector<std::string> first_unexpected;  // the first few, for the failure message

  // Files a failed statement: deadlock, lock wait timeout, one of
  // `expected_codes`, or unexpected (message kept).
  void Count(const Status& failure, const std::string& sql, const std::vector<int>& expected_codes = {});
  ClientTally& operator+=(const ClientTally& other);
  // "commits 123, rollbacks 4, deadlocks 5, ..." for failure messages and logs.
  std::string Describe() const;
};

// `count` threads, each calling body(index, stop) once; body returns when
// `stop` is set. Stop() (or the destructor) sets it and joins every thread,
// so nothing outlives the Cluster the bodies use if the ClientThreads is
// declared after it.
class ClientThreads {
 public:
  using Body = std::function<void(int index, const std::atomic<bool>& stop)>;
  ClientThreads(int count, Body body);
  ~ClientThreads() { Stop(); }
  ClientThreads(const ClientThreads&) = delete;
  ClientThreads& operator=(const ClientThreads&) = delete;

  void Stop();

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Watches slaves' /api/status from a thread of its own until destroyed and
// remembers any moment an applier was stopped on an error, which a slave's
// later catch-up (after an operator's retry) would otherwise hide.
class ApplierWatch {
 public:
  explicit ApplierWatch(const Cluster& cluster);
  ~ApplierWatch();
  ApplierWatch(const ApplierWatch&) = delete;
  ApplierWatch& operator=(const ApplierWatch&) = delete;

  // Empty while no applier has been seen stopped; else what /api/status said.
  std::string FirstError() const;

 private:
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::string first_error_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace ddb::testing
