// LinkChannel: one end of a replication link (master <-> slave) once its
// handshake is done. It owns the socket, sends through one bounded outbox
// with one writer coroutine, hands every inbound frame to the handler its
// type is registered with, sends a heartbeat when idle, notices a silent
// peer, and keeps one close reason. SlaveLink and MasterLink are a handshake
// plus handlers on top of it: a new sub-protocol adds a handler at each end.
//
// Threads. Everything runs on the socket's executor, which must be a strand
// (or an io_context run by one thread): the reader and the writer, the
// handlers, the heartbeat builder, the rejections. Methods marked "any
// thread" dispatch there (at once when called on it); the others must be
// called on it.
//
// Lifetime. Owned by shared_ptr; its coroutines hold one, so the socket lives
// as long as they run (no pointer to a socket on a coroutine's stack). The
// owner's callbacks are only called until Run() returns, except the
// rejection of a send made after the close, which is called at once: an
// owner that outlives Run() may capture `this`.
//
// Outbox and back-pressure. Frames leave in the order they were queued: sends
// from one thread keep their order, sends from several interleave. The outbox
// holds at most `outbox_frames`: a send to a full outbox is not queued and its
// sender is told (Enqueue's result, Send's `rejected`), so a peer that stops
// reading cannot make this end pile up memory. A producer that must not drop
// anything (the master's record stream) co_awaits WaitForRoom first.
//
// Closing. Any failure (socket, silence, an unexpected frame, a handler's
// non-OK Status) or Close closes the link. The first reason wins and is kept;
// the socket closes once; frames still queued are rejected with the reason;
// Run returns it. Frames the writer had already taken count as sent: the
// peer may or may not have them.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <variant>
#include <vector>

#include "ddb/base/asio.h"
#include "ddb/base/status.h"
#include "ddb/base/wake_signal.h"
#include "ddb/protocol/framed_socket.h"
#include "ddb/protocol/messages.h"

namespace ddb {

struct LinkChannelOptions {
  size_t outbox_frames = 1024;
  // With nothing sent for this long the writer sends a heartbeat; 0: never.
  std::chrono::milliseconds heartbeat_interval{0};
  // A whole frame must arrive within this, or the link closes; 0: no limit.
  std::chrono::milliseconds silence_timeout{0};
  // How this end words its verdicts in the close reason (each end logs them
  // as it always has). Defaults: Unavailable("peer silent for N ms"),
  // Corruption("unexpected <type> frame").
  std::function<Status(std::chrono::milliseconds)> silence;
  std::function<Status(MessageType)> unexpected;
};

class LinkChannel : public std::enable_shared_from_this<LinkChannel> {
 public:
  using Payload = std::shared_ptr<const std::vector<uint8_t>>;
  // A handler's non-OK Status closes the link with it as the reason.
  using Handler = std::function<Status(const Frame&)>;
  // For a handler that must wait (the slave's records, when its apply queue
  // is full): the reader reads nothing more until it completes, so TCP
  // pushes back on the peer.
  using AsyncHandler = std::function<asio::awaitable<Status>(const Frame&)>;
  // Told why a frame was not (or will never be) sent.
  using Rejected = std::function<void(const Status&)>;

  LinkChannel(std::shared_ptr<FramedSocket> socket, LinkChannelOptions options);
  LinkChannel(const LinkChannel&) = delete;
  LinkChannel& operator=(const LinkChannel&) = delete;

  // The socket, for the handshake before Run (and its peer() for logs).
  FramedSocket& socket() { return *socket_; }
  const asio::any_io_executor& executor() const { return executor_; }

  // Set up before Run; not changed afterwards. A frame of a type with no
  // handler closes the link (`unexpected`).
  void Handle(MessageType type, Handler handler);
  void HandleAsync(MessageType type, AsyncHandler handler);
  // What to send when idle: the master's Heartbeat, the slave's Ack.
  void SetHeartbeat(std::function<Frame()> make);

  // Starts the writer and reads until the link is closed; returns the close
  // reason. Call once, from a coroutine (on any executor).
  asio::awaitable<Status> Run();

  // Queues a frame. OK if queued; otherwise why not (the outbox is full, or
  // the link is closed: its close reason), and `on_close` is not called.
  // `on_close` is called if the link closes before the writer takes it.
  Status Enqueue(MessageType type, Payload payload, Rejected on_close = {});
  // Any thread: Enqueue, with `rejected` told (on the strand) in either case.
  void Send(MessageType type, std::vector<uint8_t> payload, Rejected rejected = {});
  // Waits until `frames` more fit in the outbox; false if the link closed.
  // One waiter at a time.
  asio::awaitable<bool> WaitForRoom(size_t frames);

  // Any thread: sends a heartbeat as soon as the outbox is empty (several
  // requests before it goes out send one).
  void HeartbeatNow();

  // Any thread: closes the link with `reason`, dropping what is queued.
  void Close(Status reason);
  // Any thread: drops what is queued, tells the peer why in an Error frame
  // (code, reason's message), then closes with `reason`. A second call, or a
  // Close, while the Error frame is on its way closes at once.
  void CloseWithError(ErrorCode code, Status reason);

  // False once closing has begun (nothing more can be queued).
  bool open() const { return !closing_; }
  // The close reason; OK while open.
  const Status& close_reason() const { return reason_; }

 private:
  struct Queued {
    MessageType type;
    Payload payload;
    Rejected on_close;
  };

  asio::awaitable<Status> ReadLoop();
  asio::awaitable<Status> Dispatch(const Frame& frame);
  // `self` keeps the channel alive from the moment the loop is spawned: the
  // reader may end (and its owner let go) before the writer first runs.
  asio::awaitable<void> WriteLoop(std::shared_ptr<LinkChannel> self);
  void CloseNow(Status reason);
  void RejectQueued();

  std::shared_ptr<FramedSocket> socket_;
  LinkChannelOptions options_;
  asio::any_io_executor executor_;
  std::map<MessageType, std::variant<Handler, AsyncHandler>> handlers_;
  std::function<Frame()> heartbeat_;
  // Strand only, like everything below.
  std::deque<Queued> outbox_;
  WakeSignal writer_wake_;  // a frame was queued, a heartbeat asked for, or the link closed
  WakeSignal room_;         // the writer took frames, or the link closed
  bool heartbeat_due_ = false;
  bool closing_ = false;  // reason_ is set; nothing more is queued
  bool closed_ = false;   // the socket is closed
  Status reason_;
};

}  // namespace ddb
