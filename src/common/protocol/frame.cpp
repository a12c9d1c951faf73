#include "ddb/protocol/frame.h"

#include <algorithm>
#include <string>

#include <boost/crc.hpp>
#include <boost/endian/conversion.hpp>

namespace ddb {
namespace {

// Byte offsets inside the header; the layout comment is in frame.h.
constexpr size_t kMagicOffset = 0;
constexpr size_t kVersionOffset = 4;
constexpr size_t kTypeOffset = 6;
constexpr size_t kLengthOffset = 8;
constexpr size_t kCrcOffset = 12;
static_assert(kCrcOffset + 4 == kFrameHeaderSize);

std::string Hex32(uint32_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out += kDigits[(v >> shift) & 0xf];
  return out;
}

}  // namespace

const char* MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kHello: return "hello";
    case MessageType::kChallenge: return "challenge";
    case MessageType::kAuthResponse: return "auth_response";
    case MessageType::kAuthResult: return "auth_result";
    case MessageType::kSubscribe: return "subscribe";
    case MessageType::kRecord: return "record";
    case MessageType::kAck: return "ack";
    case MessageType::kHeartbeat: return "heartbeat";
    case MessageType::kError: return "error";
    case MessageType::kQuery: return "query";
    case MessageType::kQueryResult: return "query_result";
    case MessageType::kForward: return "forward";
    case MessageType::kForwardResult: return "forward_result";
    case MessageType::kForwardEnd: return "forward_end";
    case MessageType::kConsoleWelcome: return "console_welcome";
    case MessageType::kConsoleStatement: return "console_statement";
    case MessageType::kConsoleOutcome: return "console_outcome";
    case MessageType::kConsoleCommand: return "console_command";
    case MessageType::kConsoleCommandOutput: return "console_command_output";
    case MessageType::kHandOver: return "hand_over";
    case MessageType::kHandOverRefused: return "hand_over_refused";
  }
  return "unknown";
}

bool IsKnownMessageType(uint16_t type) {
  return type >= static_cast<uint16_t>(MessageType::kHello) &&
         type <= static_cast<uint16_t>(MessageType::kHandOverRefused);
}

uint32_t Crc32c(std::span<const uint8_t> data) {
  boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
  crc.process_bytes(data.data(), data.size());
  return crc.checksum();
}

std::array<uint8_t, kFrameHeaderSize> EncodeFrameHeader(MessageType type, std::span<const uint8_t> payload) {
  std::array<uint8_t, kFrameHeaderSize> header{};
  boost::endian::store_big_u32(header.data() + kMagicOffset, kFrameMagic);
  boost::endian::store_big_u16(header.data() + kVersionOffset, kProtocolVersion);
  boost::endian::store_big_u16(header.data() + kTypeOffset, static_cast<uint16_t>(type));
  boost::endian::store_big_u32(header.data() + kLengthOffset, static_cast<uint32_t>(payload.size()));
  boost::endian::store_big_u32(header.data() + kCrcOffset, Crc32c(payload));
  return header;
}

std::vector<uint8_t> EncodeFrame(MessageType type, std::span<const uint8_t> payload) {
  const auto header = EncodeFrameHeader(type, payload);
  // Sized once and copied into (rather than reserve + insert, which also
  // trips a GCC 12 -Wstringop-overflow false positive).
  std::vector<uint8_t> frame(header.size() + payload.size());
  std::copy(header.begin(), header.end(), frame.begin());
  std::copy(payload.begin(), payload.end(), frame.begin() + header.size());
  return frame;
}

Status DecodeFrameHeader(std::span<const uint8_t, kFrameHeaderSize> bytes, FrameHeader* out,
                         uint32_t max_payload) {
  const uint32_t magic = boost::endian::load_big_u32(bytes.data() + kMagicOffset);
  if (magic != kFrameMagic) {
    // A TLS handshake record (0x16 0x03 ...): a peer with TLS on.
    if ((magic >> 24) == 0x16 && ((magic >> 16) & 0xFF) == 0x03) {
      return Status::Corruption("bad frame magic " + Hex32(magic) +
                                " (a TLS handshake: the peer has TLS on and this end does not)");
    }
    return Status::Corruption("bad frame magic " + Hex32(magic) + " (not a ddb peer?)");
  }
  // Checked before the type: a newer protocol may have added types, and the
  // peer deserves "wrong version", not "unknown type".
  const uint16_t version = boost::endian::load_big_u16(bytes.data() + kVersionOffset);
  if (version != kProtocolVersion) {
    return Status::Refused("protocol version " + std::to_string(version) + ", this node speaks " +
                           std::to_string(kProtocolVersion));
  }
  const uint16_t type = boost::endian::load_big_u16(bytes.data() + kTypeOffset);
  if (!IsKnownMessageType(type)) {
    return Status::Corruption("unknown frame type " + std::to_string(type));
  }
  const uint32_t length = boost::endian::load_big_u32(bytes.data() + kLengthOffset);
  if (length > max_payload) {
    return Status::Corruption("frame payload of " + std::to_string(length) + " bytes exceeds the limit of " +
                              std::to_string(max_payload));
  }
  out->version = version;
  out->type = static_cast<MessageType>(type);
  out->payload_length = length;
  out->crc = boost::endian::load_big_u32(bytes.data() + kCrcOffset);
  return Status::Ok();
}

Status VerifyFramePayload(const FrameHeader& header, std::span<const uint8_t> payload) {
  if (payload.size() != header.payload_length) {
    return Status::Corruption("frame payload is " + std::to_string(payload.size()) + " bytes, header says " +
                              std::to_string(header.payload_length));
  }
  const uint32_t actual = Crc32c(payload);
  if (actual != header.crc) {
    return Status::Corruption(std::string(MessageTypeName(header.type)) +
                              " frame checksum mismatch: header " + Hex32(header.crc) + ", payload " +
                              Hex32(actual));
  }
  return Status::Ok();
}

}  // namespace ddb
