// FramedSocket: one stream connection that carries whole frames (frame.h):
// a TCP replication link, or an attached console's local (unix) socket.
//
// The bytes go over the socket itself, or, once StartTls has run, through a
// TLS session on it (ddb/base/tls.h): the replication link's handshake and
// every frame after it are then encrypted and authenticated, and a byte
// changed on the way fails the read with the TLS layer's reason.
//
// Owns its socket: the connection closes when the FramedSocket goes. Used
// from C++20 coroutines on one executor (or strand); it is not thread-safe.
// The FramedSocket must outlive every awaitable it returns.
//
// After any non-OK result from ReadFrame or WriteFrame the byte stream is at
// an unknown position (a frame may be half read or half written); the caller
// logs the Status and closes the link rather than reading on.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ddb/base/asio.h"
#include "ddb/base/status.h"
#include "ddb/base/tls.h"
#include "ddb/protocol/frame.h"

namespace ddb {

struct Frame {
  MessageType type = MessageType::kError;
  std::vector<uint8_t> payload;
};

// A frame to write whose payload someone else keeps alive.
struct OutgoingFrame {
  MessageType type = MessageType::kError;
  std::span<const uint8_t> payload;
};

class FramedSocket {
 public:
  // Frames whose header announces more than max_payload bytes are rejected
  // before anything is allocated; a handshake can use a small limit.
  explicit FramedSocket(tcp::socket socket, uint32_t max_payload = kMaxFramePayload);
  // A local socket has no address worth logging: `peer` names it instead.
  FramedSocket(asio::local::stream_protocol::socket socket, std::string peer,
               uint32_t max_payload = kMaxFramePayload);
  FramedSocket(const FramedSocket&) = delete;
  FramedSocket& operator=(const FramedSocket&) = delete;

  // Reads one whole frame.
  //   clean EOF before a header byte  -> Unavailable("connection closed by peer")
  //   EOF or reset inside a frame     -> Unavailable naming where
  //   bad header / CRC                -> Corruption or Refused from the decoders
  //   timeout (if > 0) elapsed        -> TimedOut("no frame within N ms")
  // The timeout covers the whole frame, header and payload, so a peer that
  // trickles one byte at a time cannot hold the reader forever. When it fires
  // it closes the socket (pending writes fail too): the link is over.
  // The payload buffer is allocated only after the header validated the length.
  asio::awaitable<Status> ReadFrame(Frame* out,
                                    std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

  // Writes header + payload with one gathered async_write. `payload` must stay
  // valid until the awaitable completes. Not safe to call concurrently: one
  // writer at a time (callers guarantee it). A timeout > 0 bounds the write,
  // so a peer that stops reading cannot stall the writer forever; like
  // ReadFrame's, it closes the socket when it fires.
  asio::awaitable<Status> WriteFrame(MessageType type, std::span<const uint8_t> payload,
                                     std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  // Writes one frame of `type` per payload, in order, with one gathered
  // write (a batch of records costs one system call, not one each). The
  // payloads must stay alive until it completes.
  asio::awaitable<Status> WriteFrames(MessageType type, const std::vector<std::span<const uint8_t>>& payloads,
                                      std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  // The same for frames of several types (a link's outbox).
  asio::awaitable<Status> WriteFrames(std::span<const OutgoingFrame> frames,
                                      std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

  // Runs the TLS handshake over the connection as `role` (the master is the
  // server, a slave the client); from then on every frame goes through TLS.
  // Call once, before any frame. `prepare` sets up the session before the
  // handshake (a client's expected peer name). `timeout` (if > 0) bounds the
  // handshake like a frame. A failure says why in words (the certificate's
  // verdict included); Refused when the peer's certificate was not accepted
  // or the peer refused ours, so the caller can tell an operator's problem
  // from a lost connection.
  asio::awaitable<Status> StartTls(ssl::context& context, ssl::stream_base::handshake_type role,
                                   std::chrono::milliseconds timeout = std::chrono::milliseconds(0),
                                   std::function<Status(SSL*)> prepare = {});
  bool tls() const { return tls_ != nullptr; }
  // Waits (at most `timeout`, if > 0) for the peer's first byte and returns
  // it without consuming it: a server tells a TLS client (kTlsHandshakeRecord)
  // from a plain one. Before StartTls.
  asio::awaitable<Status> PeekByte(uint8_t* out, std::chrono::milliseconds timeout);
  // The alert refusing this end's certificate, when the TLS peer sent one
  // to end a handshake, read or write ("tlsv13 alert certificate required": under TLS 1.3 a server's verdict
  // on the client's certificate arrives after the client's handshake ended).
  const std::string& tls_alert() const { return tls_alert_; }
  // The TLS session (after StartTls), e.g. for the peer's certificate.
  SSL* tls_session() { return tls_ ? tls_->native_handle() : nullptr; }

  using Socket = asio::generic::stream_protocol::socket;
  using TlsStream = ssl::stream<Socket>;
  // The connection's socket (under TLS, the one TLS runs on).
  Socket& socket() { return tls_ ? tls_->next_layer() : socket_; }

  // "ip:port" of a TCP peer captured at construction (IPv6 as "[ip]:port"),
  // for log lines; "unknown" if the socket was not connected.
  std::string peer() const { return peer_; }

  // Shutdown + close of the socket (no TLS close_notify: a frame is whole or
  // missing, so a cut cannot truncate one unnoticed), ignoring errors; safe
  // to call twice. Pending operations complete with an error.
  void Close();

  // Raises or lowers the read limit, e.g. once the peer has authenticated.
  void set_max_payload(uint32_t max_payload) { max_payload_ = max_payload; }

 private:
  // Declared in this order so peer_ is read from a TCP socket before it is
  // moved into socket_.
  // Notes a TLS alert from the peer in `ec`.
  void NoteAlert(const boost::system::error_code& ec);
  template <typename Buffers>
  asio::awaitable<size_t> ReadAll(const Buffers& buffers, boost::system::error_code* ec);
  template <typename Buffers>
  asio::awaitable<size_t> WriteAll(const Buffers& buffers, boost::system::error_code* ec);

  uint32_t max_payload_;
  std::string peer_;
  Socket socket_;                   // moved into tls_ by StartTls
  std::unique_ptr<TlsStream> tls_;  // null: plain
  std::string tls_alert_;
};

}  // namespace ddb
