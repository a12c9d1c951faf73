#include "ddb/protocol/message_decoding.h"

#include <utility>

namespace ddb {

Status Truncated(const char* message, const char* field) {
  return Status::Corruption(std::string(message) + " message truncated in " + field);
}

Status FinishMessage(const ByteReader& reader, const char* message) {
  if (reader.AtEnd()) return Status::Ok();
  return Status::Corruption(std::string(message) + " message has " + std::to_string(reader.remaining()) +
                            " trailing bytes");
}

Status GetFlag(ByteReader& r, const char* message, const char* field, bool* out) {
  uint8_t value = 0;
  if (!r.U8(&value)) return Truncated(message, field);
  if (value > 1) {
    return Status::Corruption(std::string(message) + " message has " + field + " flag " +
                              std::to_string(value));
  }
  *out = value == 1;
  return Status::Ok();
}

void PutStrings(ByteWriter& w, const std::vector<std::string>& strings) {
  w.U32(static_cast<uint32_t>(strings.size()));
  for (const std::string& s : strings) w.Bytes(s);
}

Status GetStrings(ByteReader& r, const char* message, const char* field, std::vector<std::string>* out) {
  uint32_t count = 0;
  if (!r.U32(&count)) return Truncated(message, field);
  if (count > r.remaining() / 4) {
    return Status::Corruption(std::string(message) + ": " + field + " count exceeds the payload");
  }
  std::vector<std::string> strings;
  for (uint32_t i = 0; i < count; ++i) {
    std::string s;
    if (!r.Bytes(&s)) return Truncated(message, field);
    strings.push_back(std::move(s));
  }
  *out = std::move(strings);
  return Status::Ok();
}

}  // namespace ddb
