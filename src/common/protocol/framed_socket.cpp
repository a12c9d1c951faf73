#include "ddb/protocol/framed_socket.h"

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace ddb {
namespace {

std::string FormatEndpoint(const tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

// A lost connection is Unavailable (the caller reconnects or forgets the
// peer); a TLS alert refusing this end's certificate is Refused; any other socket failure, a record that
// failed TLS's integrity check included, is an IoError.
Status SocketError(const boost::system::error_code& ec, const std::string& step) {
  if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
      ec == asio::error::connection_aborted || ec == asio::error::not_connected ||
      ec == ssl::error::stream_truncated) {
    return Status::Unavailable(step + ": " + (IsTlsError(ec) ? DescribeTlsError(ec) : ec.message()));
  }
  if (IsTlsCertificateAlert(ec)) return Status::Refused(step + ": TLS: " + DescribeTlsError(ec));
  if (IsTlsError(ec)) return Status::IoError(step + ": TLS: " + DescribeTlsError(ec));
  return Status::IoError(step + ": " + ec.message());
}

// Closes the socket if `timeout` elapses before the Deadline is destroyed.
//
// Closing rather than socket.cancel(): async_read/async_write are composed of
// many read_some/write_some steps, and a cancel() that lands while one step's
// completion is queued and the next has not started cancels nothing, so a
// trickling peer could outlive the deadline. A closed socket fails every later
// step. The link is unusable after a timeout anyway.
//
// The timer handler may already be queued when the operation finishes, so it
// checks a shared `done` flag before touching the socket: the flag outlives
// both the Deadline and the coroutine frame.
class Deadline {
 public:
  Deadline(FramedSocket::Socket& socket, std::chrono::milliseconds timeout)
      : state_(std::make_shared<State>()) {
    if (timeout.count() <= 0) return;
    timer_.emplace(socket.get_executor());
    timer_->expires_after(timeout);
    timer_->async_wait([state = state_, &socket](const boost::system::error_code& ec) {
      if (ec || state->done) return;
      state->expired = true;
      boost::system::error_code ignored;
      socket.shutdown(asio::socket_base::shutdown_both, ignored);
      socket.close(ignored);
    });
  }
  ~Deadline() {
    state_->done = true;
    if (timer_) timer_->cancel();
  }
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  bool expired() const { return state_->expired; }

 private:
  struct State {
    bool done = false;
    bool expired = false;
  };
  std::shared_ptr<State> state_;
  std::optional<asio::steady_timer> timer_;
};

Status TimedOut(const char* what, std::chrono::milliseconds timeout) {
  return Status::TimedOut(std::string(what) + " within " + std::to_string(timeout.count()) + " ms");
}

}  // namespace

// The peer is read before the TCP socket becomes a generic one, which only
// knows its address as raw bytes.
FramedSocket::FramedSocket(tcp::socket socket, uint32_t max_payload)
    : max_payload_(max_payload), peer_(FormatEndpoint(socket)), socket_(std::move(socket)) {}

FramedSocket::FramedSocket(asio::local::stream_protocol::socket socket, std::string peer,
                           uint32_t max_payload)
    : max_payload_(max_payload), peer_(std::move(peer)), socket_(std::move(socket)) {}

void FramedSocket::NoteAlert(const boost::system::error_code& ec) {
  if (IsTlsCertificateAlert(ec) && tls_alert_.empty()) tls_alert_ = DescribeTlsError(ec);
}

template <typename Buffers>
asio::awaitable<size_t> FramedSocket::ReadAll(const Buffers& buffers, boost::system::error_code* ec) {
  if (!tls_)
    co_return co_await asio::async_read(socket_, buffers, asio::redirect_error(asio::use_awaitable, *ec));
  const size_t n = co_await asio::async_read(*tls_, buffers, asio::redirect_error(asio::use_awaitable, *ec));
  NoteAlert(*ec);
  co_return n;
}

template <typename Buffers>
asio::awaitable<size_t> FramedSocket::WriteAll(const Buffers& buffers, boost::system::error_code* ec) {
  if (!tls_)
    co_return co_await asio::async_write(socket_, buffers, asio::redirect_error(asio::use_awaitable, *ec));
  const size_t n = co_await asio::async_write(*tls_, buffers, asio::redirect_error(asio::use_awaitable, *ec));
  NoteAlert(*ec);
  co_return n;
}

asio::awaitable<Status> FramedSocket::StartTls(ssl::context& context, ssl::stream_base::handshake_type role,
                                               std::chrono::milliseconds timeout,
                                               std::function<Status(SSL*)> prepare) {
  if (tls_) co_return Status::InvalidArgument("TLS is already on");
  tls_ = std::make_unique<TlsStream>(std::move(socket_), context);
  if (prepare) {
    if (Status s = prepare(tls_->native_handle()); !s.ok()) co_return s;
  }
  Deadline deadline(socket(), timeout);
  boost::system::error_code ec;
  co_await tls_->async_handshake(role, asio::redirect_error(asio::use_awaitable, ec));
  if (deadline.expired()) co_return TimedOut("no TLS handshake", timeout);
  if (!ec) co_return Status::Ok();
  NoteAlert(ec);
  const std::string why = "TLS handshake failed: " + DescribeTlsError(ec, tls_->native_handle());
  // Our verdict on the peer's certificate, or the peer's on ours.
  if (SSL_get_verify_result(tls_->native_handle()) != X509_V_OK || IsTlsCertificateRefusal(ec)) {
    co_return Status::Refused(why);
  }
  if (ec == asio::error::eof || ec == ssl::error::stream_truncated || ec == asio::error::connection_reset) {
    co_return Status::Unavailable(why);
  }
  co_return Status::IoError(why);
}

asio::awaitable<Status> FramedSocket::PeekByte(uint8_t* out, std::chrono::milliseconds timeout) {
  if (tls_) co_return Status::InvalidArgument("TLS is already on");
  Deadline deadline(socket_, timeout);
  boost::system::error_code ec;
  const size_t got = co_await socket_.async_receive(asio::buffer(out, 1), asio::socket_base::message_peek,
                                                    asio::redirect_error(asio::use_awaitable, ec));
  if (deadline.expired()) co_return TimedOut("no first byte", timeout);
  if (ec == asio::error::eof || (!ec && got == 0)) co_return Status::Unavailable("connection closed by peer");
  if (ec) co_return SocketError(ec, "read the first byte");
  co_return Status::Ok();
}

asio::awaitable<Status> FramedSocket::ReadFrame(Frame* out, std::chrono::milliseconds timeout) {
  Deadline deadline(socket(), timeout);
  boost::system::error_code ec;

  std::array<uint8_t, kFrameHeaderSize> header_bytes;
  const size_t got = co_await ReadAll(asio::buffer(header_bytes), &ec);
  if (deadline.expired()) co_return TimedOut("no frame", timeout);
  if ((ec == asio::error::eof || ec == ssl::error::stream_truncated) && got == 0) {
    co_return Status::Unavailable("connection closed by peer");
  }
  if (ec) {
    co_return SocketError(ec, "read frame header (" + std::to_string(got) + " of " +
                                  std::to_string(kFrameHeaderSize) + " bytes)");
  }

  FrameHeader header;
  Status s = DecodeFrameHeader(header_bytes, &header, max_payload_);
  if (!s.ok()) co_return s;

  std::vector<uint8_t> payload(header.payload_length);
  if (!payload.empty()) {
    co_await ReadAll(asio::buffer(payload), &ec);
    if (deadline.expired()) co_return TimedOut("no whole frame", timeout);
    if (ec) {
      co_return SocketError(ec, std::string("read ") + MessageTypeName(header.type) + " payload of " +
                                    std::to_string(header.payload_length) + " bytes");
    }
  }
  s = VerifyFramePayload(header, payload);
  if (!s.ok()) co_return s;

  out->type = header.type;
  out->payload = std::move(payload);
  co_return Status::Ok();
}

asio::awaitable<Status> FramedSocket::WriteFrame(MessageType type, std::span<const uint8_t> payload,
                                                 std::chrono::milliseconds timeout) {
  // The protocol maximum, not max_payload_: that one limits what this side
  // accepts, and the peer's limit is the protocol's.
  if (payload.size() > kMaxFramePayload) {
    // The peer would reject it anyway; failing here names the real culprit.
    co_return Status::InvalidArgument(std::string(MessageTypeName(type)) + " payload of " +
                                      std::to_string(payload.size()) + " bytes exceeds the limit of " +
                                      std::to_string(kMaxFramePayload));
  }
  Deadline deadline(socket(), timeout);
  const std::array<uint8_t, kFrameHeaderSize> header = EncodeFrameHeader(type, payload);
  const std::array<asio::const_buffer, 2> buffers = {asio::buffer(header),
                                                     asio::buffer(payload.data(), payload.size())};
  boost::system::error_code ec;
  co_await WriteAll(buffers, &ec);
  if (deadline.expired()) co_return TimedOut("could not write frame", timeout);
  if (ec) co_return SocketError(ec, std::string("write ") + MessageTypeName(type) + " frame");
  co_return Status::Ok();
}

asio::awaitable<Status> FramedSocket::WriteFrames(MessageType type,
                                                  const std::vector<std::span<const uint8_t>>& payloads,
                                                  std::chrono::milliseconds timeout) {
  std::vector<OutgoingFrame> frames;
  frames.reserve(payloads.size());
  for (const std::span<const uint8_t>& payload : payloads) frames.push_back({type, payload});
  co_return co_await WriteFrames(frames, timeout);
}

asio::awaitable<Status> FramedSocket::WriteFrames(std::span<const OutgoingFrame> frames,
                                                  std::chrono::milliseconds timeout) {
  for (const OutgoingFrame& frame : frames) {
    if (frame.payload.size() > kMaxFramePayload) {
      co_return Status::InvalidArgument(std::string(MessageTypeName(frame.type)) + " payload of " +
                                        std::to_string(frame.payload.size()) +
                                        " bytes exceeds the limit of " + std::to_string(kMaxFramePayload));
    }
  }
  std::vector<std::array<uint8_t, kFrameHeaderSize>> headers;
  headers.reserve(frames.size());
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(2 * frames.size());
  bool one_type = true;
  for (const OutgoingFrame& frame : frames) {
    one_type = one_type && frame.type == frames.front().type;
    headers.push_back(EncodeFrameHeader(frame.type, frame.payload));
    buffers.push_back(asio::buffer(headers.back()));
    buffers.push_back(asio::buffer(frame.payload.data(), frame.payload.size()));
  }
  Deadline deadline(socket(), timeout);
  boost::system::error_code ec;
  co_await WriteAll(buffers, &ec);
  if (deadline.expired()) co_return TimedOut("could not write frames", timeout);
  if (ec) {
    // "write 500 record frames" for a batch of records, as before outboxes
    // mixed types.
    const std::string what =
        one_type && !frames.empty() ? std::string(MessageTypeName(frames.front().type)) + " " : "";
    co_return SocketError(ec, "write " + std::to_string(frames.size()) + " " + what + "frames");
  }
  co_return Status::Ok();
}

void FramedSocket::Close() {
  boost::system::error_code ignored;
  Socket& socket = this->socket();
  if (!socket.is_open()) return;
  socket.shutdown(asio::socket_base::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace ddb
