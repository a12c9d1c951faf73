// RawConnection: a plain blocking TCP client for tests that speak to a daemon
// byte by byte (hostile peers, protocol probes). Every operation that waits
// takes a deadline, so a test cannot hang on a silent peer.
//
// Owns its file descriptor (closed by the destructor). Sends never raise
// SIGPIPE. Not thread-safe: one thread per connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ddb::testing {

class RawConnection {
 public:
  // How a wait for the peer's close ended.
  enum class End {
    kClosed,   // orderly close (EOF)
    kReset,    // connection reset by the peer
    kTimeout,  // still open when the deadline passed
  };

  // Connects to 127.0.0.1:port within `deadline`. Throws std::runtime_error
  // naming the port and the reason on failure.
  explicit RawConnection(uint16_t port, std::chrono::milliseconds deadline = std::chrono::seconds(5));
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Our end's port: the peer logs us as 127.0.0.1:<local_port()>.
  uint16_t local_port() const { return local_port_; }

  // Writes all of `bytes`. Returns false if the peer closed or reset the
  // connection first (which a hostile test may well provoke).
  bool Send(std::span<const uint8_t> bytes);

  // Reads exactly n bytes into *out within `deadline`. Returns false on EOF,
  // reset or timeout (*out then holds what did arrive).
  bool ReadExactly(size_t n, std::vector<uint8_t>* out, std::chrono::milliseconds deadline);

  // Reads and discards until the peer closes or the deadline passes.
  End WaitForClose(std::chrono::milliseconds deadline);

  // Closes our end now (idempotent).
  void Close();

 private:
  // Waits up to `deadline` for POLLIN; false on timeout.
  bool WaitReadable(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  uint16_t local_port_ = 0;
};

// "What End means", for failure messages.
const char* ToString(RawConnection::End end);

}  // namespace ddb::testing
