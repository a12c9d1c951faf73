#include "raw_slave_link.h"

#include <stdexcept>

#include "ddb/base/auth.h"
#include "ddb/protocol/frame.h"

namespace ddb::testing {
namespace {

template <typename Message>
Message Expect(RawSlaveLink& link, MessageType type, const char* step) {
  Frame frame;
  if (!link.ReadUntil(type, &frame, std::chrono::seconds(10))) {
    throw std::runtime_error(std::string("RawSlaveLink: no ") + MessageTypeName(type) + " frame (" + step +
                             ")");
  }
  Message message;
  if (Status s = Decode(frame.payload, &message); !s.ok()) {
    throw std::runtime_error(std::string("RawSlaveLink: ") + step + ": " + s.ToString());
  }
  return message;
}

}  // namespace

RawSlaveLink::RawSlaveLink(uint16_t port, const std::string& name, const std::string& secret,
                           uint64_t after_seq)
    : connection_(port) {
  Hello hello;
  hello.node_name = name;
  hello.client_nonce = RandomNonce();
  Send(MessageType::kHello, Encode(hello));
  const Challenge challenge = Expect<Challenge>(*this, MessageType::kChallenge, "after Hello");
  AuthResponse response;
  response.proof = SlaveProof(secret, challenge.server_nonce, hello.client_nonce, name, challenge.cluster_id);
  Send(MessageType::kAuthResponse, Encode(response));
  const AuthResult result = Expect<AuthResult>(*this, MessageType::kAuthResult, "after AuthResponse");
  if (!result.accepted) throw std::runtime_error("RawSlaveLink: not accepted: " + result.reason);
  Subscribe subscribe;
  subscribe.after_seq = after_seq;
  Send(MessageType::kSubscribe, Encode(subscribe));
}

void RawSlaveLink::Send(MessageType type, const std::vector<uint8_t>& payload) {
  if (!connection_.Send(EncodeFrame(type, payload))) {
    throw std::runtime_error(std::string("RawSlaveLink: the master closed the link before ") +
                             MessageTypeName(type));
  }
}

bool RawSlaveLink::ReadFrame(Frame* out, std::chrono::milliseconds deadline) {
  std::vector<uint8_t> header_bytes;
  if (!connection_.ReadExactly(kFrameHeaderSize, &header_bytes, deadline)) return false;
  FrameHeader header;
  if (!DecodeFrameHeader(std::span<const uint8_t, kFrameHeaderSize>(header_bytes.data(), kFrameHeaderSize),
                         &header)
           .ok()) {
    return false;
  }
  std::vector<uint8_t> payload;
  if (!connection_.ReadExactly(header.payload_length, &payload, deadline)) return false;
  if (!VerifyFramePayload(header, payload).ok()) return false;
  out->type = header.type;
  out->payload = std::move(payload);
  return true;
}

bool RawSlaveLink::ReadUntil(MessageType type, Frame* out, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (!ReadFrame(out, left)) return false;
    if (out->type == type) return true;
    if (out->type == MessageType::kError) {
      ErrorMessage error;
      if (Status s = Decode(out->payload, &error); !s.ok()) {
        throw std::runtime_error("RawSlaveLink: the master sent an undecodable error: " + s.message());
      }
      throw std::runtime_error("RawSlaveLink: the master sent an error: " + error.message);
    }
  }
  return false;
}

ForwardReply RawSlaveLink::Forward(uint64_t session_id, const std::string& sql, const std::string& database) {
  ForwardRequest request;
  request.request_id = next_request_++;
  request.session_id = session_id;
  request.sql = sql;
  request.database = database;
  Send(MessageType::kForward, Encode(request));
  // An Ack keeps the master from declaring this link silent.
  Send(MessageType::kAck, Encode(Ack{}));
  Frame frame;
  while (true) {
    if (!ReadUntil(MessageType::kForwardResult, &frame)) {
      throw std::runtime_error("RawSlaveLink: no answer to the forwarded '" + sql + "'");
    }
    ForwardReply reply;
    if (Status s = Decode(frame.payload, &reply); !s.ok()) {
      throw std::runtime_error("RawSlaveLink: bad forward_result: " + s.ToString());
    }
    if (reply.result.request_id == request.request_id) return reply;
  }
}

}  // namespace ddb::testing
