// ClientSocket: one accepted TCP connection of the MySQL endpoint, with
// blocking reads and writes that each take a deadline, so a silent or
// stalled client cannot hold a session thread forever.
//
// Owns the file descriptor (closed by the destructor). Used by its session's
// thread; Shutdown() may be called from any thread to wake that thread up
// (the server stopping).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "ddb/base/status.h"

namespace ddb {

class ClientSocket {
 public:
  using Clock = std::chrono::steady_clock;

  ClientSocket(int fd, std::string peer);
  ~ClientSocket();
  ClientSocket(const ClientSocket&) = delete;
  ClientSocket& operator=(const ClientSocket&) = delete;

  // Reads exactly `n` bytes by `deadline`. kUnavailable when the client
  // closed, kTimedOut at the deadline, kIoError otherwise.
  Status ReadExactly(uint8_t* out, size_t n, Clock::time_point deadline);
  // Writes all of `bytes` by `deadline` (never raises SIGPIPE).
  Status WriteAll(std::span<const uint8_t> bytes, Clock::time_point deadline);

  // Ends both directions: blocked reads and writes return at once.
  void Shutdown();

  // "ip:port" of the client, for log lines and error messages.
  const std::string& peer() const { return peer_; }
  // The client's address without the port, as MySQL names it in
  // "Access denied for user 'u'@'host'".
  std::string host() const;

 private:
  // Waits until the socket is ready for `events` or the deadline passes.
  Status Wait(short events, Clock::time_point deadline, const char* what);

  const int fd_;
  const std::string peer_;
};

}  // namespace ddb
