// ClientSocket: one accepted TCP connection of the MySQL endpoint, with
// blocking reads and writes that each take a deadline, so a silent or
// stalled client cannot hold a session thread forever. After StartTls
// (the client's SSLRequest), the same calls go through TLS (OpenSSL on the
// descriptor, non-blocking, waited for with poll under the same deadlines).
//
// Owns the file descriptor (closed by the destructor). Used by its session's
// thread; Shutdown() may be called from any thread to wake that thread up
// (the server stopping).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/base/tls.h"

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
  // From now on a read may take more than it was asked for and keep the
  // rest for the next: a packet's header and payload, and the commands a
  // client sends ahead, arrive in one system call. Only once the client can
  // no longer turn to TLS: bytes kept here would never reach OpenSSL.
  void ReadAhead();
  // Writes all of `bytes` by `deadline` (never raises SIGPIPE).
  Status WriteAll(std::span<const uint8_t> bytes, Clock::time_point deadline);

  // The server side of a TLS handshake with `context`, by `deadline`.
  // Fails naming what OpenSSL refused (no common protocol version, a bad
  // record, a client certificate not accepted).
  Status StartTls(ssl::context& context, Clock::time_point deadline);
  bool tls() const { return tls_ != nullptr; }
  // "TLSv1.3 TLS_AES_256_GCM_SHA384", or "" without TLS.
  std::string TlsDescription() const;

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

  // After an SSL_read/SSL_write/SSL_accept that returned `result` (<= 0):
  // waits for what OpenSSL wants (readable or writable) and returns Ok to
  // try again, or the failure.
  Status WaitForTls(int result, Clock::time_point deadline, const char* what);

  // Copies up to `n` bytes kept by an earlier read into `out`.
  size_t TakeReadAhead(uint8_t* out, size_t n);

  const int fd_;
  const std::string peer_;
  SSL* tls_ = nullptr;          // owned; set by StartTls
  std::vector<uint8_t> ahead_;  // read from the socket, not yet asked for; sized by ReadAhead()
  size_t ahead_begin_ = 0;
  size_t ahead_end_ = 0;
};

}  // namespace ddb
