// The MySQL client/server protocol's packet layer, as the master's client
// endpoint speaks it.
//
// A packet is a 4-byte header followed by the payload:
//   int<3> payload_length   little-endian, at most 0xFFFFFF
//   int<1> sequence_id      0 at the start of each command, +1 per packet (mod 256)
//   byte<payload_length>
// A payload of 0xFFFFFF bytes or more is split into 0xFFFFFF-byte packets; a
// payload whose last chunk is exactly 0xFFFFFF bytes is followed by an empty
// packet, so the reader knows it has ended.
//
// Inside payloads, integers are little-endian; "length-encoded" integers take
// 1 byte below 251, else a prefix 0xFC (+2 bytes), 0xFD (+3) or 0xFE (+8);
// 0xFB is NULL in a text result row. Length-encoded strings are a
// length-encoded integer and that many bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/base/status.h"

namespace ddb::mysql {

constexpr size_t kPacketHeaderBytes = 4;
constexpr size_t kMaxChunkBytes = 0xFFFFFF;
constexpr uint8_t kNullCell = 0xFB;  // NULL in a text result row

// Builds a payload. Never fails.
class PayloadWriter {
 public:
  // Room for an OK, EOF or column packet at once: most payloads are small,
  // and growing one byte at a time costs an allocation per step.
  PayloadWriter() { bytes_.reserve(64); }

  void U8(uint8_t v) { bytes_.push_back(v); }
  void U16(uint16_t v) { Fixed(v, 2); }
  void U24(uint32_t v) { Fixed(v, 3); }
  void U32(uint32_t v) { Fixed(v, 4); }
  void U64(uint64_t v) { Fixed(v, 8); }
  void LengthEncodedInt(uint64_t v);
  void LengthEncodedString(std::string_view s);
  void NulTerminated(std::string_view s);  // s must not contain '\0'
  void Raw(std::string_view s) { bytes_.insert(bytes_.end(), s.begin(), s.end()); }
  void Zeros(size_t n) { bytes_.insert(bytes_.end(), n, 0); }

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t> Take() { return std::move(bytes_); }

 private:
  void Fixed(uint64_t v, int width);
  std::vector<uint8_t> bytes_;
};

// Reads a payload from a peer. Every read checks what is left and returns
// false instead of reading past the end; a false read leaves the reader
// where it was.
class PayloadReader {
 public:
  explicit PayloadReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  bool U8(uint8_t* v);
  bool U16(uint16_t* v);
  bool U32(uint32_t* v);
  bool LengthEncodedInt(uint64_t* v);
  bool LengthEncodedString(std::string* s);
  // Up to the next '\0' (consumed); false when there is none.
  bool NulTerminated(std::string* s);
  bool Bytes(size_t n, std::string* s);
  bool Skip(size_t n);
  // Everything left.
  std::string Rest();

  size_t remaining() const { return bytes_.size() - at_; }

 private:
  std::span<const uint8_t> bytes_;
  size_t at_ = 0;
};

// Splits `payload` into packets, numbering them from *sequence_id, which is
// left at the id the next packet of the exchange gets.
std::vector<uint8_t> FramePayload(std::span<const uint8_t> payload, uint8_t* sequence_id);

// Reads exactly `n` bytes into `out`, or fails (closed, timed out, I/O error).
using ReadExactly = std::function<Status(uint8_t* out, size_t n)>;

// Reads one logical packet (reassembling 0xFFFFFF-byte chunks) into
// *payload. The first chunk's sequence id becomes *sequence_id when
// `restart_sequence` (a new command starts), and must equal it otherwise; it
// is left at the id the reply's first packet gets. A payload that would grow
// past `max_payload` bytes is refused before it is read (Code kInvalidArgument,
// "packet bigger than ..."); a wrong sequence id is kCorruption.
Status ReadPacket(const ReadExactly& read, size_t max_payload, bool restart_sequence, uint8_t* sequence_id,
                  std::vector<uint8_t>* payload);

}  // namespace ddb::mysql
