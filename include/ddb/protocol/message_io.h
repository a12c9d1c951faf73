// Sending and receiving typed messages over a FramedSocket, for both ends of
// the replication link.
#pragma once

#include <chrono>
#include <string>

#include "ddb/base/asio.h"
#include "ddb/base/status.h"
#include "ddb/protocol/framed_socket.h"
#include "ddb/protocol/messages.h"

namespace ddb {

template <typename Message>
asio::awaitable<Status> SendMessage(FramedSocket& socket, MessageType type, const Message& message) {
  const std::vector<uint8_t> payload = Encode(message);
  co_return co_await socket.WriteFrame(type, payload);
}

// Reads the next frame and decodes it as `expected`. An Error frame from the
// peer becomes Status::Refused carrying the peer's message; any other type is
// a protocol error.
template <typename Message>
asio::awaitable<Status> ReceiveMessage(FramedSocket& socket, MessageType expected, Message* out,
                                       std::chrono::milliseconds timeout) {
  Frame frame;
  if (Status s = co_await socket.ReadFrame(&frame, timeout); !s.ok()) co_return s;
  if (frame.type == MessageType::kError) {
    ErrorMessage error;
    if (Status s = Decode(frame.payload, &error); !s.ok()) co_return s;
    co_return Status::Refused(std::string(ErrorCodeName(error.code)) + ": " + error.message);
  }
  if (frame.type != expected) {
    co_return Status::Corruption(std::string("expected a ") + MessageTypeName(expected) + " frame, got " +
                                 MessageTypeName(frame.type));
  }
  co_return Decode(frame.payload, out);
}

// Tells the peer why the link is being closed; best effort.
inline asio::awaitable<void> SendError(FramedSocket& socket, ErrorCode code, const std::string& message) {
  ErrorMessage error;
  error.code = code;
  error.message = message;
  co_await SendMessage(socket, MessageType::kError, error);
}

}  // namespace ddb
