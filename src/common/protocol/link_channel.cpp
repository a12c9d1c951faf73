#include "ddb/protocol/link_channel.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

namespace ddb {
namespace {

// Frames per gathered write: a batch of records costs one system call, and a
// write never holds more than this many taken frames.
constexpr size_t kFramesPerWrite = 512;

Status DefaultSilence(std::chrono::milliseconds timeout) {
  return Status::Unavailable("peer silent for " + std::to_string(timeout.count()) + " ms");
}

Status DefaultUnexpected(MessageType type) {
  return Status::Corruption(std::string("unexpected ") + MessageTypeName(type) + " frame");
}

}  // namespace

LinkChannel::LinkChannel(std::shared_ptr<FramedSocket> socket, LinkChannelOptions options)
    : socket_(std::move(socket)),
      options_(std::move(options)),
      executor_(socket_->socket().get_executor()),
      writer_wake_(executor_),
      room_(executor_) {
  if (!options_.silence) options_.silence = DefaultSilence;
  if (!options_.unexpected) options_.unexpected = DefaultUnexpected;
  options_.outbox_frames = std::max<size_t>(options_.outbox_frames, 1);
}

void LinkChannel::Handle(MessageType type, Handler handler) { handlers_[type] = std::move(handler); }

void LinkChannel::HandleAsync(MessageType type, AsyncHandler handler) {
  handlers_[type] = std::move(handler);
}

void LinkChannel::SetHeartbeat(std::function<Frame()> make) { heartbeat_ = std::move(make); }

asio::awaitable<Status> LinkChannel::Run() {
  // On the strand whatever the caller's executor; the caller resumes on its own.
  co_return co_await asio::co_spawn(executor_, ReadLoop(), asio::use_awaitable);
}

asio::awaitable<Status> LinkChannel::ReadLoop() {
  auto self = shared_from_this();
  asio::co_spawn(executor_, WriteLoop(self), asio::detached);
  while (!closed_) {
    Frame frame;
    const Status read = co_await socket_->ReadFrame(&frame, options_.silence_timeout);
    if (closed_) break;
    if (!read.ok()) {
      CloseNow(read.code() == Status::Code::kTimedOut ? options_.silence(options_.silence_timeout) : read);
      break;
    }
    // Saying goodbye (CloseWithError): the peer's last words change nothing.
    if (closing_) continue;
    if (Status handled = co_await Dispatch(frame); !handled.ok()) CloseNow(std::move(handled));
  }
  co_return reason_;
}

asio::awaitable<Status> LinkChannel::Dispatch(const Frame& frame) {
  auto it = handlers_.find(frame.type);
  if (it == handlers_.end()) co_return options_.unexpected(frame.type);
  if (const Handler* handler = std::get_if<Handler>(&it->second)) co_return (*handler)(frame);
  co_return co_await std::get<AsyncHandler>(it->second)(frame);
}

// The only writer: takes what is queued, oldest first, in gathered writes;
// when there is nothing, waits for a frame, a heartbeat request or the
// heartbeat interval.
asio::awaitable<void> LinkChannel::WriteLoop(std::shared_ptr<LinkChannel> self) {
  static_cast<void>(self);  // held in the coroutine's frame until the loop ends
  std::vector<Queued> taken;
  std::vector<OutgoingFrame> frames;
  while (!closed_) {
    Status written;
    if (!outbox_.empty()) {
      const size_t n = std::min(outbox_.size(), kFramesPerWrite);
      taken.assign(std::make_move_iterator(outbox_.begin()), std::make_move_iterator(outbox_.begin() + n));
      outbox_.erase(outbox_.begin(), outbox_.begin() + n);
      room_.Notify();
      frames.clear();
      for (const Queued& queued : taken) frames.push_back({queued.type, *queued.payload});
      written = co_await socket_->WriteFrames(frames);
      taken.clear();
    } else if (closing_) {
      CloseNow(reason_);  // the Error frame is out
      break;
    } else if (heartbeat_due_) {
      heartbeat_due_ = false;
      if (!heartbeat_) continue;
      const Frame heartbeat = heartbeat_();
      written = co_await socket_->WriteFrame(heartbeat.type, heartbeat.payload);
    } else {
      const bool woken = co_await writer_wake_.Wait(options_.heartbeat_interval);
      if (!woken && options_.heartbeat_interval.count() > 0) heartbeat_due_ = true;
      continue;
    }
    if (!written.ok()) {
      // A socket closed under the writer was closed by the reader's deadline:
      // the reader names that (silence), not this write.
      if (!closed_ && socket_->socket().is_open()) CloseNow(std::move(written));
      break;
    }
  }
}

Status LinkChannel::Enqueue(MessageType type, Payload payload, Rejected on_close) {
  if (closing_) return reason_;
  if (outbox_.size() >= options_.outbox_frames) {
    return Status::Unavailable("the link's outbox is full (" + std::to_string(outbox_.size()) +
                               " frames wait to be sent)");
  }
  outbox_.push_back({type, std::move(payload), std::move(on_close)});
  writer_wake_.Notify();
  return Status::Ok();
}

void LinkChannel::Send(MessageType type, std::vector<uint8_t> payload, Rejected rejected) {
  auto shared = std::make_shared<const std::vector<uint8_t>>(std::move(payload));
  asio::dispatch(executor_, [self = shared_from_this(), type, shared = std::move(shared),
                             rejected = std::move(rejected)]() mutable {
    Status queued = self->Enqueue(type, std::move(shared), rejected);
    if (!queued.ok() && rejected) rejected(queued);
  });
}

asio::awaitable<bool> LinkChannel::WaitForRoom(size_t frames) {
  auto self = shared_from_this();
  frames = std::min(frames, options_.outbox_frames);
  while (!closing_ && outbox_.size() + frames > options_.outbox_frames) {
    co_await room_.Wait(std::chrono::milliseconds(0));
  }
  co_return !closing_;
}

void LinkChannel::HeartbeatNow() {
  asio::dispatch(executor_, [self = shared_from_this()] {
    self->heartbeat_due_ = true;
    self->writer_wake_.Notify();
  });
}

void LinkChannel::Close(Status reason) {
  asio::dispatch(executor_, [self = shared_from_this(), reason = std::move(reason)]() mutable {
    self->CloseNow(std::move(reason));
  });
}

void LinkChannel::CloseWithError(ErrorCode code, Status reason) {
  asio::dispatch(executor_, [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
    if (self->closing_) {
      self->CloseNow(std::move(reason));
      return;
    }
    self->closing_ = true;
    self->reason_ = std::move(reason);
    self->RejectQueued();
    ErrorMessage error;
    error.code = code;
    error.message = self->reason_.message();
    self->outbox_.push_back(
        {MessageType::kError, std::make_shared<const std::vector<uint8_t>>(Encode(error)), {}});
    self->writer_wake_.Notify();
    self->room_.Notify();
  });
}

void LinkChannel::CloseNow(Status reason) {
  if (closed_) return;
  if (!closing_) {
    closing_ = true;
    reason_ = std::move(reason);
  }
  closed_ = true;
  socket_->Close();
  RejectQueued();
  writer_wake_.Notify();
  room_.Notify();
}

void LinkChannel::RejectQueued() {
  // Moved out first: a rejection may send again (and be rejected at once).
  std::deque<Queued> rejected = std::move(outbox_);
  outbox_.clear();
  for (Queued& queued : rejected) {
    if (queued.on_close) queued.on_close(reason_);
  }
}

}  // namespace ddb
