#include "endpoint_clients.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http_client.h"

namespace ddb::testing {

MySqlEndpoint ClientEndpoint(const Cluster& cluster, const std::string& database) {
  MySqlEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = cluster.client_port();
  endpoint.user = kClientUser;
  endpoint.password = kClientPassword;
  endpoint.database = database;
  return endpoint;
}

std::unique_ptr<MySqlConnection> ConnectWithin(const MySqlEndpoint& endpoint,
                                               std::chrono::milliseconds deadline, Status* last_error) {
  std::unique_ptr<MySqlConnection> connection;
  Status error;
  WaitFor(
      [&] {
        error = MySqlConnection::Open(endpoint, &connection);
        return error.ok();
      },
      deadline, std::chrono::milliseconds(20));
  if (!error.ok()) connection.reset();
  if (last_error != nullptr) *last_error = error;
  return connection;
}

Status ExecuteEach(MySqlConnection& connection, const std::vector<std::string>& statements) {
  for (const std::string& sql : statements) {
    if (Status s = connection.Execute(sql); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ExecuteThroughEndpoint(const Cluster& cluster, const std::vector<std::string>& statements) {
  Status error;
  std::unique_ptr<MySqlConnection> connection =
      ConnectWithin(ClientEndpoint(cluster), std::chrono::seconds(30), &error);
  if (!connection) return error;
  return ExecuteEach(*connection, statements);
}

void ClientTally::Count(const Status& failure, const std::string& sql,
                        const std::vector<int>& expected_codes) {
  const int code = failure.code() == Status::Code::kMySql ? failure.mysql_error_code() : 0;
  if (code == kDeadlock) {
    ++deadlocks;
  } else if (code == kLockWaitTimeout) {
    ++lock_wait_timeouts;
  } else if (code != 0 &&
             std::find(expected_codes.begin(), expected_codes.end(), code) != expected_codes.end()) {
    ++other_expected;
  } else {
    ++unexpected;
    if (first_unexpected.size() < 5) first_unexpected.push_back(failure.ToString() + " in: " + sql);
  }
}

ClientTally& ClientTally::operator+=(const ClientTally& other) {
  commits += other.commits;
  rollbacks += other.rollbacks;
  deadlocks += other.deadlocks;
  lock_wait_timeouts += other.lock_wait_timeouts;
  other_expected += other.other_expected;
  unexpected += other.unexpected;
  for (const std::string& message : other.first_unexpected) {
    if (first_unexpected.size() < 5) first_unexpected.push_back(message);
  }
  return *this;
}

std::string ClientTally::Describe() const {
  std::string text = "commits " + std::to_string(commits) + ", rollbacks " + std::to_string(rollbacks) +
                     ", deadlocks " + std::to_string(deadlocks) + ", lock wait timeouts " +
                     std::to_string(lock_wait_timeouts) + ", other expected errors " +
                     std::to_string(other_expected) + ", unexpected errors " + std::to_string(unexpected);
  for (const std::string& message : first_unexpected) text += "\n  " + message;
  return text;
}

ClientThreads::ClientThreads(int count, Body body) {
  for (int i = 0; i < count; ++i) threads_.emplace_back([this, i, body] { body(i, stop_); });
}

void ClientThreads::Stop() {
  stop_ = true;
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

ApplierWatch::ApplierWatch(const Cluster& cluster) {
  std::vector<uint16_t> ports;
  for (int i = 0; i < cluster.slave_count(); ++i) ports.push_back(cluster.slave_http_port(i));
  thread_ = std::thread([this, ports] {
    // WaitFor as a bounded polling loop: the condition polls, and is true
    // only once the watch is told to stop.
    WaitFor(
        [&] {
          for (uint16_t port : ports) {
            const HttpReply reply = HttpGet(port, "/api/status");
            if (reply.status != 200) continue;  // restarting, or busy: the next poll sees it
            const nlohmann::json status =
                nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
            if (status.is_object() && status.value("applier", "") == "stopped on error") {
              std::lock_guard<std::mutex> lock(mutex_);
              if (first_error_.empty()) first_error_ = reply.body;
            }
          }
          return stop_.load();
        },
        std::chrono::minutes(10), std::chrono::milliseconds(100));
  });
}

ApplierWatch::~ApplierWatch() {
  stop_ = true;
  thread_.join();
}

std::string ApplierWatch::FirstError() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return first_error_;
}

}  // namespace ddb::testing
