#include "client_socket.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ddb {
namespace {

// Larger than most commands with their header, so one recv takes them whole.
constexpr size_t kReadAheadBytes = 16 * 1024;

// The socket's receive timeout. A read whose deadline is further away than
// two of these blocks in recv itself, one system call instead of poll and
// recv (a session thread waits for its client's next command at every
// statement); waking once a second lets the loop see the deadline. Closer
// to the deadline it waits in poll, which takes the exact time left.
constexpr std::chrono::milliseconds kBlockingReadSlice{1000};

}  // namespace

ClientSocket::ClientSocket(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {
  const timeval slice{.tv_sec = kBlockingReadSlice.count() / 1000,
                      .tv_usec = kBlockingReadSlice.count() % 1000 * 1000};
  // Without it every read waits in poll first (below): slower, not wrong.
  (void)::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &slice, sizeof slice);
}

ClientSocket::~ClientSocket() {
  if (tls_ != nullptr) SSL_free(tls_);
  ::close(fd_);
}

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

Status ClientSocket::StartTls(ssl::context& context, Clock::time_point deadline) {
  if (tls_ != nullptr) return Status::InvalidArgument("TLS is already on");
  // OpenSSL reads and writes the descriptor itself: non-blocking, so every
  // wait goes through poll with the deadline.
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags < 0 || ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK) < 0) {
    return Status::IoError(std::string("fcntl: ") + std::strerror(errno));
  }
  tls_ = SSL_new(context.native_handle());
  if (tls_ == nullptr || SSL_set_fd(tls_, fd_) != 1) {
    return Status::IoError("TLS: cannot set up the connection (out of memory?)");
  }
  while (true) {
    ERR_clear_error();
    const int result = SSL_accept(tls_);
    if (result == 1) return Status::Ok();
    if (Status s = WaitForTls(result, deadline, "in the TLS handshake"); !s.ok()) return s;
  }
}

std::string ClientSocket::TlsDescription() const {
  if (tls_ == nullptr) return "";
  return std::string(SSL_get_version(tls_)) + " " + SSL_get_cipher_name(tls_);
}

Status ClientSocket::WaitForTls(int result, Clock::time_point deadline, const char* what) {
  const int error = SSL_get_error(tls_, result);
  if (error == SSL_ERROR_WANT_READ) return Wait(POLLIN, deadline, what);
  if (error == SSL_ERROR_WANT_WRITE) return Wait(POLLOUT, deadline, what);
  if (error == SSL_ERROR_ZERO_RETURN) return Status::Unavailable("client closed the TLS connection");
  if (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
    return errno == 0 || errno == ECONNRESET ? Status::Unavailable("client closed the connection")
                                             : Status::IoError(std::string("TLS: ") + std::strerror(errno));
  }
  const unsigned long reason = ERR_get_error();
  char text[256] = "unknown error";
  if (reason != 0) ERR_error_string_n(reason, text, sizeof text);
  ERR_clear_error();
  return Status::IoError(std::string("TLS ") + what + ": " + text);
}

Status ClientSocket::ReadExactly(uint8_t* out, size_t n, Clock::time_point deadline) {
  size_t done = 0;
  while (tls_ != nullptr && done < n) {
    ERR_clear_error();
    const int got = SSL_read(tls_, out + done, static_cast<int>(std::min<size_t>(n - done, INT32_MAX)));
    if (got > 0) {
      done += static_cast<size_t>(got);
    } else if (Status s = WaitForTls(got, deadline, "waiting for the client"); !s.ok()) {
      return s;
    }
  }
  done += TakeReadAhead(out + done, n - done);
  while (done < n) {
    const bool near_deadline = deadline - Clock::now() <= 2 * kBlockingReadSlice;
    if (near_deadline) {
      if (Status s = Wait(POLLIN, deadline, "waiting for the client"); !s.ok()) return s;
    }
    const int flags = near_deadline ? MSG_DONTWAIT : 0;
    // Short reads go through the read-ahead buffer, long ones straight
    // into `out`.
    const bool ahead = n - done < ahead_.size();
    const ssize_t got =
        ahead ? ::recv(fd_, ahead_.data(), ahead_.size(), flags) : ::recv(fd_, out + done, n - done, flags);
    if (got == 0) return Status::Unavailable("client closed the connection");
    if (got < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
      return Status::IoError(std::string("read: ") + std::strerror(errno));
    }
    if (ahead) {
      ahead_begin_ = 0;
      ahead_end_ = static_cast<size_t>(got);
      done += TakeReadAhead(out + done, n - done);
    } else {
      done += static_cast<size_t>(got);
    }
  }
  return Status::Ok();
}

void ClientSocket::ReadAhead() {
  if (tls_ == nullptr && ahead_.empty()) ahead_.resize(kReadAheadBytes);
}

size_t ClientSocket::TakeReadAhead(uint8_t* out, size_t n) {
  const size_t taken = std::min(n, ahead_end_ - ahead_begin_);
  if (taken == 0) return 0;  // also before ReadAhead(), with no buffer at all
  std::memcpy(out, ahead_.data() + ahead_begin_, taken);
  ahead_begin_ += taken;
  return taken;
}

Status ClientSocket::WriteAll(std::span<const uint8_t> bytes, Clock::time_point deadline) {
  size_t done = 0;
  while (tls_ != nullptr && done < bytes.size()) {
    ERR_clear_error();
    const int sent = SSL_write(tls_, bytes.data() + done,
                               static_cast<int>(std::min<size_t>(bytes.size() - done, INT32_MAX)));
    if (sent > 0) {
      done += static_cast<size_t>(sent);
    } else if (Status s = WaitForTls(sent, deadline, "writing to the client"); !s.ok()) {
      return s;
    }
  }
  // The socket's buffer almost always has room: send first, wait only
  // when it is full.
  while (done < bytes.size()) {
    const ssize_t sent = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent >= 0) {
      done += static_cast<size_t>(sent);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return Status::IoError(std::string("write: ") + std::strerror(errno));
    if (Status s = Wait(POLLOUT, deadline, "writing to the client"); !s.ok()) return s;
  }
  return Status::Ok();
}

void ClientSocket::Shutdown() { ::shutdown(fd_, SHUT_RDWR); }

}  // namespace ddb
