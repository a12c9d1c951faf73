#include "raw_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ddb::testing {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

int MillisUntil(steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

// poll() for `events` until the deadline, retrying on EINTR. Returns the
// revents, or 0 on timeout.
short PollUntil(int fd, short events, steady_clock::time_point deadline) {
  while (true) {
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, MillisUntil(deadline));
    if (n > 0) return p.revents;
    if (n == 0) {
      if (steady_clock::now() >= deadline) return 0;
      continue;  // the clamp shortened a long wait
    }
    if (errno != EINTR) return POLLERR;
  }
}

}  // namespace

RawConnection::RawConnection(uint16_t port, milliseconds deadline) {
  const std::string where = "RawConnection to 127.0.0.1:" + std::to_string(port);
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd_ < 0) throw std::runtime_error(where + ": socket: " + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  // Non-blocking connect so the deadline holds even if the listen queue is
  // full and the kernel would retry SYNs for minutes.
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) {
      const int err = errno;
      Close();
      throw std::runtime_error(where + ": connect: " + std::strerror(err));
    }
    const short revents = PollUntil(fd_, POLLOUT, steady_clock::now() + deadline);
    int err = 0;
    socklen_t len = sizeof err;
    if (revents == 0)
      err = ETIMEDOUT;
    else if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
      err = errno;
    if (err != 0) {
      Close();
      throw std::runtime_error(where + ": connect: " + std::strerror(err));
    }
  }
  // Blocking from here on; every wait goes through poll() with a deadline.
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
  sockaddr_in local{};
  socklen_t len = sizeof local;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len) == 0) local_port_ = ntohs(local.sin_port);
}

RawConnection::~RawConnection() { Close(); }

void RawConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawConnection::Send(std::span<const uint8_t> bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    // A few KB into an idle loopback socket never blocks for long; a peer
    // that stopped reading would fill the buffer, so bound it anyway.
    if ((PollUntil(fd_, POLLOUT, steady_clock::now() + milliseconds(5000)) & POLLOUT) == 0) return false;
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;  // EPIPE, ECONNRESET: the peer has gone
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool RawConnection::WaitReadable(steady_clock::time_point deadline) {
  return (PollUntil(fd_, POLLIN, deadline) & (POLLIN | POLLHUP | POLLERR)) != 0;
}

bool RawConnection::ReadExactly(size_t n, std::vector<uint8_t>* out, milliseconds deadline) {
  const auto end = steady_clock::now() + deadline;
  out->clear();
  std::array<uint8_t, 4096> buffer;
  while (out->size() < n) {
    if (!WaitReadable(end)) return false;
    const ssize_t got = ::recv(fd_, buffer.data(), std::min(buffer.size(), n - out->size()), MSG_DONTWAIT);
    if (got == 0) return false;
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    out->insert(out->end(), buffer.begin(), buffer.begin() + got);
  }
  return true;
}

RawConnection::End RawConnection::WaitForClose(milliseconds deadline) {
  const auto end = steady_clock::now() + deadline;
  std::array<uint8_t, 4096> buffer;
  while (true) {
    if (!WaitReadable(end)) return End::kTimeout;
    const ssize_t got = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (got == 0) return End::kClosed;
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return End::kReset;
    }
  }
}

const char* ToString(RawConnection::End end) {
  switch (end) {
    case RawConnection::End::kClosed: return "closed by the peer";
    case RawConnection::End::kReset: return "reset by the peer";
    case RawConnection::End::kTimeout: return "still open at the deadline";
  }
  return "?";
}

}  // namespace ddb::testing
