#include "client_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ddb {

ClientSocket::ClientSocket(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {}

ClientSocket::~ClientSocket() { ::close(fd_); }

std::string ClientSocket::host() const {
  const size_t colon = peer_.rfind(':');
  return colon == std::string::npos ? peer_ : peer_.substr(0, colon);
}

Status ClientSocket::Wait(short events, Clock::time_point deadline, const char* what) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Status::TimedOut(std::string("timed out ") + what);
    pollfd entry{fd_, events, 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(std::min<int64_t>(left, 60000)));
    if (ready > 0) return Status::Ok();  // readable, writable, or an error the next call reports
    if (ready < 0 && errno != EINTR) return Status::IoError(std::string("poll: ") + std::strerror(errno));
  }
}

Status ClientSocket::ReadExactly(uint8_t* out, size_t n, Clock::time_point deadline) {
  size_t done = 0;
  while (done < n) {
    if (Status s = Wait(POLLIN, deadline, "waiting for the client"); !s.ok()) return s;
    const ssize_t got = ::recv(fd_, out + done, n - done, MSG_DONTWAIT);
    if (got == 0) return Status::Unavailable("client closed the connection");
    if (got < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      return Status::IoError(std::string("read: ") + std::strerror(errno));
    }
    done += static_cast<size_t>(got);
  }
  return Status::Ok();
}

Status ClientSocket::WriteAll(std::span<const uint8_t> bytes, Clock::time_point deadline) {
  size_t done = 0;
  while (done < bytes.size()) {
    if (Status s = Wait(POLLOUT, deadline, "writing to the client"); !s.ok()) return s;
    const ssize_t sent = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      return Status::IoError(std::string("write: ") + std::strerror(errno));
    }
    done += static_cast<size_t>(sent);
  }
  return Status::Ok();
}

void ClientSocket::Shutdown() { ::shutdown(fd_, SHUT_RDWR); }

}  // namespace ddb
