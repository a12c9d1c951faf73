// Explicit big-endian field encoding for frame payloads.
//
// Every protocol field is written and read one at a time, never by copying a
// struct, so the bytes do not depend on compiler padding or host byte order.
// Strings are a u32 length followed by that many bytes (any bytes, not only
// UTF-8).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ddb {

class ByteWriter {
 public:
  void U8(uint8_t v);
  void U16(uint16_t v);
  void U32(uint32_t v);
  void U64(uint64_t v);
  void I64(int64_t v);  // two's complement, as a U64
  // u32 length + bytes. The caller keeps strings below 4 GiB (frames are far
  // smaller than that anyway).
  void Bytes(std::string_view s);
  // Appends raw bytes with no length prefix (e.g. an already-encoded body).
  void Raw(std::span<const uint8_t> bytes);

  const std::vector<uint8_t>& data() const { return data_; }
  std::vector<uint8_t> Take() { return std::move(data_); }

 private:
  std::vector<uint8_t> data_;
};

// Reads fields from a buffer that must outlive the reader. Each getter returns
// false, without consuming anything, when fewer bytes remain than the field
// needs; the caller turns that into a Status naming the field.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}

  bool U8(uint8_t* v);
  bool U16(uint16_t* v);
  bool U32(uint32_t* v);
  bool U64(uint64_t* v);
  bool I64(int64_t* v);
  // Checks the length against what is left before allocating, so a corrupt
  // length cannot make us reserve gigabytes.
  bool Bytes(std::string* out);
  // The next `n` bytes without copying; false if fewer remain.
  bool Raw(size_t n, std::span<const uint8_t>* out);

  size_t remaining() const { return data_.size() - pos_; }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace ddb
