#include "ddb/base/wire.h"

#include <boost/endian/conversion.hpp>

namespace ddb {

void ByteWriter::U8(uint8_t v) { data_.push_back(v); }

void ByteWriter::U16(uint16_t v) {
  uint8_t buf[2];
  boost::endian::store_big_u16(buf, v);
  data_.insert(data_.end(), buf, buf + sizeof(buf));
}

void ByteWriter::U32(uint32_t v) {
  uint8_t buf[4];
  boost::endian::store_big_u32(buf, v);
  data_.insert(data_.end(), buf, buf + sizeof(buf));
}

void ByteWriter::U64(uint64_t v) {
  uint8_t buf[8];
  boost::endian::store_big_u64(buf, v);
  data_.insert(data_.end(), buf, buf + sizeof(buf));
}

void ByteWriter::I64(int64_t v) { U64(static_cast<uint64_t>(v)); }

void ByteWriter::Bytes(std::string_view s) {
  U32(static_cast<uint32_t>(s.size()));
  data_.insert(data_.end(), s.begin(), s.end());
}

void ByteWriter::Raw(std::span<const uint8_t> bytes) {
  data_.insert(data_.end(), bytes.begin(), bytes.end());
}

bool ByteReader::U8(uint8_t* v) {
  if (remaining() < 1) return false;
  *v = data_[pos_];
  pos_ += 1;
  return true;
}

bool ByteReader::U16(uint16_t* v) {
  if (remaining() < 2) return false;
  *v = boost::endian::load_big_u16(data_.data() + pos_);
  pos_ += 2;
  return true;
}

bool ByteReader::U32(uint32_t* v) {
  if (remaining() < 4) return false;
  *v = boost::endian::load_big_u32(data_.data() + pos_);
  pos_ += 4;
  return true;
}

bool ByteReader::U64(uint64_t* v) {
  if (remaining() < 8) return false;
  *v = boost::endian::load_big_u64(data_.data() + pos_);
  pos_ += 8;
  return true;
}

bool ByteReader::I64(int64_t* v) {
  uint64_t u;
  if (!U64(&u)) return false;
  *v = static_cast<int64_t>(u);
  return true;
}

bool ByteReader::Bytes(std::string* out) {
  if (remaining() < 4) return false;
  const uint32_t length = boost::endian::load_big_u32(data_.data() + pos_);
  if (length > remaining() - 4) return false;
  pos_ += 4;
  out->assign(reinterpret_cast<const char*>(data_.data() + pos_), length);
  pos_ += length;
  return true;
}

bool ByteReader::Raw(size_t n, std::span<const uint8_t>* out) {
  if (n > remaining()) return false;
  *out = data_.subspan(pos_, n);
  pos_ += n;
  return true;
}

}  // namespace ddb
