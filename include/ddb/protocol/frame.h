// The frame: the unit every ddb link carries (master <-> slave).
//
// Every frame is a fixed 16-byte header followed by a payload. All integers
// are big-endian (network byte order):
//
//   +--------+--------+--------+----------------+--------+-----------------+
//   | magic  |version |  type  | payload_length | crc32c |     payload     |
//   |  u32   |  u16   |  u16   |      u32       |  u32   | payload_length  |
//   +--------+--------+--------+----------------+--------+-----------------+
//   0        4        6        8                12       16
//
//   magic          0x44444221 ("DDB!"): rejects a peer that is not ddb at all
//                  (an HTTP client, a MySQL client) before anything else.
//   version        kProtocolVersion of the sender.
//   type           a MessageType.
//   payload_length bytes of payload; never more than the receiver's maximum,
//                  so a corrupt or hostile length cannot make it allocate.
//   crc32c         CRC-32C (Castagnoli) of the payload only; the header
//                  fields are each validated on their own.
//
// docs/protocol.md gives the grammar of every payload.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

inline constexpr uint32_t kFrameMagic = 0x44444221;  // "DDB!"
inline constexpr uint16_t kProtocolVersion = 3;
inline constexpr size_t kFrameHeaderSize = 16;
// Large enough for any single transaction we expect to replicate, small enough
// that one bad length cannot exhaust memory.
inline constexpr uint32_t kMaxFramePayload = 64u * 1024 * 1024;

enum class MessageType : uint16_t {
  kHello = 1,
  kChallenge = 2,
  kAuthResponse = 3,
  kAuthResult = 4,
  kSubscribe = 5,
  kRecord = 6,
  kAck = 7,
  kHeartbeat = 8,
  kError = 9,
  kQuery = 10,          // master -> slave: run a read on your MySQL (\verify, routed reads)
  kQueryResult = 11,    // slave -> master: its rows or its error
  kForward = 12,        // slave -> master: a write typed at the slave's console
  kForwardResult = 13,  // master -> slave: what the write did on the master
  kForwardEnd = 14,     // slave -> master: a slave console's session ended
  // The console socket (an attached console <-> its slave daemon, on one
  // machine; never on the replication link):
  kConsoleWelcome = 15,        // daemon -> console: who it is, its commands
  kConsoleStatement = 16,      // console -> daemon: run one statement
  kConsoleOutcome = 17,        // daemon -> console: what it did
  kConsoleCommand = 18,        // console -> daemon: a backslash command
  kConsoleCommandOutput = 19,  // daemon -> console: what the command printed
  // Planned switchover (replication link again):
  kHandOver = 20,         // master -> slave: become the master after this record
  kHandOverRefused = 21,  // slave -> master: it will not, and why
};

// "hello", "challenge", ...; "unknown" for a value outside the enum.
const char* MessageTypeName(MessageType type);

// True if `type` is one of the MessageType enumerators.
bool IsKnownMessageType(uint16_t type);

struct FrameHeader {
  uint16_t version = 0;
  MessageType type = MessageType::kError;
  uint32_t payload_length = 0;
  uint32_t crc = 0;
};

std::array<uint8_t, kFrameHeaderSize> EncodeFrameHeader(MessageType type, std::span<const uint8_t> payload);

// Header followed by payload, in one buffer.
std::vector<uint8_t> EncodeFrame(MessageType type, std::span<const uint8_t> payload);

// Validates magic, version (must equal kProtocolVersion), type and
// payload_length <= max_payload, in that order. A different version returns
// Refused ("protocol version X, this node speaks 1") so the caller can tell the
// peer precisely why; anything else wrong returns Corruption with the reason.
// `out` is filled only on success.
Status DecodeFrameHeader(std::span<const uint8_t, kFrameHeaderSize> bytes, FrameHeader* out,
                         uint32_t max_payload = kMaxFramePayload);

// Checks that `payload` has the header's length and CRC.
Status VerifyFramePayload(const FrameHeader& header, std::span<const uint8_t> payload);

// CRC-32C (Castagnoli, the iSCSI/ext4 polynomial).
uint32_t Crc32c(std::span<const uint8_t> data);

}  // namespace ddb
