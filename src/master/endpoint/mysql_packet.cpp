#include "mysql_packet.h"

#include <algorithm>

namespace ddb::mysql {
namespace {

constexpr size_t kReadPieceBytes = 64 * 1024;

}  // namespace

void PayloadWriter::Fixed(uint64_t v, int width) {
  for (int i = 0; i < width; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void PayloadWriter::LengthEncodedInt(uint64_t v) {
  if (v < 251) {
    U8(static_cast<uint8_t>(v));
  } else if (v < (1u << 16)) {
    U8(0xFC);
    U16(static_cast<uint16_t>(v));
  } else if (v < (1u << 24)) {
    U8(0xFD);
    U24(static_cast<uint32_t>(v));
  } else {
    U8(0xFE);
    U64(v);
  }
}

void PayloadWriter::LengthEncodedString(std::string_view s) {
  LengthEncodedInt(s.size());
  Raw(s);
}

void PayloadWriter::NulTerminated(std::string_view s) {
  Raw(s);
  U8(0);
}

bool PayloadReader::U8(uint8_t* v) {
  if (remaining() < 1) return false;
  *v = bytes_[at_++];
  return true;
}

bool PayloadReader::U16(uint16_t* v) {
  if (remaining() < 2) return false;
  *v = static_cast<uint16_t>(bytes_[at_] | (bytes_[at_ + 1] << 8));
  at_ += 2;
  return true;
}

bool PayloadReader::U32(uint32_t* v) {
  if (remaining() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v |= static_cast<uint32_t>(bytes_[at_ + i]) << (8 * i);
  at_ += 4;
  return true;
}

bool PayloadReader::LengthEncodedInt(uint64_t* v) {
  if (remaining() < 1) return false;
  const uint8_t first = bytes_[at_];
  size_t width = 0;
  switch (first) {
    case 0xFC: width = 2; break;
    case 0xFD: width = 3; break;
    case 0xFE: width = 8; break;
    case 0xFB:  // NULL, not an integer
    case 0xFF:  // an ERR packet's marker, not an integer
      return false;
    default:
      *v = first;
      ++at_;
      return true;
  }
  if (remaining() < 1 + width) return false;
  *v = 0;
  for (size_t i = 0; i < width; ++i) *v |= static_cast<uint64_t>(bytes_[at_ + 1 + i]) << (8 * i);
  at_ += 1 + width;
  return true;
}

bool PayloadReader::LengthEncodedString(std::string* s) {
  const size_t start = at_;
  uint64_t length = 0;
  if (!LengthEncodedInt(&length)) return false;
  // Compared before any allocation: the length came from the peer.
  if (length > remaining()) {
    at_ = start;
    return false;
  }
  return Bytes(static_cast<size_t>(length), s);
}

bool PayloadReader::NulTerminated(std::string* s) {
  const auto begin = bytes_.begin() + static_cast<std::ptrdiff_t>(at_);
  const auto nul = std::find(begin, bytes_.end(), uint8_t{0});
  if (nul == bytes_.end()) return false;
  s->assign(begin, nul);
  at_ += s->size() + 1;
  return true;
}

bool PayloadReader::Bytes(size_t n, std::string* s) {
  if (remaining() < n) return false;
  const auto begin = bytes_.begin() + static_cast<std::ptrdiff_t>(at_);
  s->assign(begin, begin + static_cast<std::ptrdiff_t>(n));
  at_ += n;
  return true;
}

bool PayloadReader::Skip(size_t n) {
  if (remaining() < n) return false;
  at_ += n;
  return true;
}

std::string PayloadReader::Rest() {
  std::string rest(bytes_.begin() + static_cast<std::ptrdiff_t>(at_), bytes_.end());
  at_ = bytes_.size();
  return rest;
}

std::vector<uint8_t> FramePayload(std::span<const uint8_t> payload, uint8_t* sequence_id) {
  std::vector<uint8_t> out;
  out.reserve(payload.size() + kPacketHeaderBytes * (payload.size() / kMaxChunkBytes + 1));
  size_t at = 0;
  while (true) {
    const size_t chunk = std::min(kMaxChunkBytes, payload.size() - at);
    out.push_back(static_cast<uint8_t>(chunk));
    out.push_back(static_cast<uint8_t>(chunk >> 8));
    out.push_back(static_cast<uint8_t>(chunk >> 16));
    out.push_back((*sequence_id)++);
    out.insert(out.end(), payload.begin() + static_cast<std::ptrdiff_t>(at),
               payload.begin() + static_cast<std::ptrdiff_t>(at + chunk));
    at += chunk;
    // A full chunk says "more follows", so a payload ending on a chunk
    // boundary needs an empty packet after it.
    if (chunk < kMaxChunkBytes) break;
  }
  return out;
}

Status ReadPacket(const ReadExactly& read, size_t max_payload, bool restart_sequence, uint8_t* sequence_id,
                  std::vector<uint8_t>* payload) {
  payload->clear();
  bool first = true;
  while (true) {
    uint8_t header[kPacketHeaderBytes];
    if (Status s = read(header, sizeof header); !s.ok()) return s;
    const size_t length = header[0] | (header[1] << 8) | (header[2] << 16);
    const uint8_t sequence = header[3];
    if (first && restart_sequence) {
      *sequence_id = sequence;
    } else if (sequence != *sequence_id) {
      return Status::Corruption("packet out of order: sequence id " + std::to_string(sequence) +
                                ", expected " + std::to_string(*sequence_id));
    }
    first = false;
    ++*sequence_id;
    if (length > max_payload - std::min(max_payload, payload->size())) {
      return Status::InvalidArgument("packet bigger than max_allowed_packet (" + std::to_string(max_payload) +
                                     " bytes)");
    }
    // Grown as bytes arrive, not by the announced length: a peer that
    // announces 16 MiB and sends nothing holds no memory.
    for (size_t left = length; left > 0;) {
      const size_t piece = std::min(left, kReadPieceBytes);
      const size_t old_size = payload->size();
      payload->resize(old_size + piece);
      if (Status s = read(payload->data() + old_size, piece); !s.ok()) return s;
      left -= piece;
    }
    if (length < kMaxChunkBytes) return Status::Ok();
  }
}

}  // namespace ddb::mysql
