// How a daemon's main stops what it started on every way out of it: the
// normal end, a failure part-way through the start, a hand-over to another
// role that returns because it failed. A joinable std::thread left behind
// ends the process (std::terminate), so nothing that starts a thread may
// depend on main reaching its last lines.
#pragma once

#include <functional>
#include <optional>
#include <thread>

#include "ddb/base/asio.h"

namespace ddb {

// Runs `stop` once: at Run(), or when it goes out of scope if Run was not
// called. main makes one as soon as the parts it will start exist, with the
// order they stop in; each part's Stop must be safe on a part never started.
class ScopedStop {
 public:
  explicit ScopedStop(std::function<void()> stop) : stop_(std::move(stop)) {}
  ~ScopedStop() { Run(); }
  ScopedStop(const ScopedStop&) = delete;
  ScopedStop& operator=(const ScopedStop&) = delete;

  void Run() {
    if (!stop_) return;
    std::function<void()> stop = std::move(stop_);
    stop_ = nullptr;
    stop();
  }

 private:
  std::function<void()> stop_;
};

// `io` run on a thread of its own from Start until Stop, kept running by a
// work guard meanwhile. Stop releases the guard, stops the context and joins
// the thread; `io` must outlive this.
class IoThread {
 public:
  explicit IoThread(asio::io_context& io) : io_(io) {}
  ~IoThread() { Stop(); }
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  void Start() {
    work_.emplace(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
  }
  void Stop() {
    if (!thread_.joinable()) return;
    work_.reset();
    io_.stop();
    thread_.join();
  }

 private:
  asio::io_context& io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
};

}  // namespace ddb
