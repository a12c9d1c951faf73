#include "mysql_binary_values.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace ddb::mysql {
namespace {

// Little-endian unsigned integer of `width` bytes.
bool ReadUnsigned(PayloadReader* reader, size_t width, uint64_t* value) {
  std::string bytes;
  if (!reader->Bytes(width, &bytes)) return false;
  *value = 0;
  for (size_t i = 0; i < width; ++i)
    *value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  return true;
}

std::string IntegerLiteral(uint64_t raw, size_t width, bool is_unsigned) {
  if (is_unsigned) return std::to_string(raw);
  const int shift = static_cast<int>(64 - 8 * width);  // sign-extend from `width` bytes
  return std::to_string(static_cast<int64_t>(raw << shift) >> shift);
}

constexpr int kErrorDataOutOfRange = 1690;  // ER_DATA_OUT_OF_RANGE, 22003

// The shortest text that reads back as `value`, with an exponent so MySQL
// reads a DOUBLE (a literal without one is an exact DECIMAL). NaN and the
// infinities have no literal: MariaDB stores neither, and refuses them in
// most places (strict mode, arithmetic), so they are refused here, as a
// DOUBLE out of range, rather than written as NULL.
Status DoubleLiteral(double value, std::string* literal) {
  if (!std::isfinite(value)) {
    return Status::MySql(kErrorDataOutOfRange, "22003",
                         std::string("DOUBLE value is out of range: ") +
                             (std::isnan(value) ? "NaN" : "infinity") +
                             " (MariaDB stores no NaN or infinity)");
  }
  char text[64];
  const auto [end, error] = std::to_chars(text, text + sizeof text, value);
  literal->assign(text, end);
  if (literal->find('e') == std::string::npos) *literal += "e0";
  return Status::Ok();
}

bool IsDecimalNumber(std::string_view text) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  size_t digits = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    if (text[i] >= '0' && text[i] <= '9') {
      ++digits;
    } else if (text[i] == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digits > 0;
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<uint8_t>(text[i]);
    const size_t length = lead < 0x80           ? 1
                          : (lead >> 5) == 0x6  ? 2
                          : (lead >> 4) == 0xE  ? 3
                          : (lead >> 3) == 0x1E ? 4
                                                : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<uint8_t>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

std::string HexLiteral(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string literal = "X'";
  for (char c : bytes) {
    literal += kDigits[static_cast<uint8_t>(c) >> 4];
    literal += kDigits[static_cast<uint8_t>(c) & 0xF];
  }
  return literal + "'";
}

bool IsBlobType(uint8_t type) {
  return (type >= kTypeTinyBlob && type <= kTypeBlob) || type == kTypeGeometry || type == kTypeBit;
}

// MYSQL_TIME as the binary protocol carries it: a length byte, then only the
// fields up to that length (the rest are zero).
struct TimeParts {
  bool negative = false;
  uint32_t days = 0;
  uint16_t year = 0;
  uint8_t month = 0, day = 0, hour = 0, minute = 0, second = 0;
  uint32_t micros = 0;
};

std::string Fraction(uint32_t micros) {
  if (micros == 0) return "";
  char text[16];
  std::snprintf(text, sizeof text, ".%06u", micros % 1000000);
  return text;
}

Status ReadDateLiteral(PayloadReader* reader, uint8_t type, std::string* literal) {
  uint8_t length = 0;
  TimeParts t;
  uint64_t v = 0;
  if (!reader->U8(&length)) return Status::InvalidArgument("date parameter cut short");
  if (length != 0 && length != 4 && length != 7 && length != 11)
    return Status::InvalidArgument("date parameter of " + std::to_string(length) + " bytes");
  if (length >= 4) {
    if (!ReadUnsigned(reader, 2, &v) || !reader->U8(&t.month) || !reader->U8(&t.day))
      return Status::InvalidArgument("date parameter cut short");
    t.year = static_cast<uint16_t>(v);
  }
  if (length >= 7 && (!reader->U8(&t.hour) || !reader->U8(&t.minute) || !reader->U8(&t.second)))
    return Status::InvalidArgument("datetime parameter cut short");
  if (length == 11) {
    if (!ReadUnsigned(reader, 4, &v)) return Status::InvalidArgument("datetime parameter cut short");
    t.micros = static_cast<uint32_t>(v);
  }
  char text[64];
  if (type == kTypeDate || type == kTypeNewDate) {
    std::snprintf(text, sizeof text, "'%04u-%02u-%02u'", t.year, t.month, t.day);
    *literal = text;
    return Status::Ok();
  }
  std::snprintf(text, sizeof text, "%04u-%02u-%02u %02u:%02u:%02u", t.year, t.month, t.day, t.hour, t.minute,
                t.second);
  *literal = "'" + std::string(text) + Fraction(t.micros) + "'";
  return Status::Ok();
}

Status ReadTimeLiteral(PayloadReader* reader, std::string* literal) {
  uint8_t length = 0;
  TimeParts t;
  uint64_t v = 0;
  uint8_t negative = 0;
  if (!reader->U8(&length)) return Status::InvalidArgument("time parameter cut short");
  if (length != 0 && length != 8 && length != 12)
    return Status::InvalidArgument("time parameter of " + std::to_string(length) + " bytes");
  if (length >= 8) {
    if (!reader->U8(&negative) || !ReadUnsigned(reader, 4, &v) || !reader->U8(&t.hour) ||
        !reader->U8(&t.minute) || !reader->U8(&t.second))
      return Status::InvalidArgument("time parameter cut short");
    t.days = static_cast<uint32_t>(v);
  }
  if (length == 12) {
    if (!ReadUnsigned(reader, 4, &v)) return Status::InvalidArgument("time parameter cut short");
    t.micros = static_cast<uint32_t>(v);
  }
  char text[64];
  std::snprintf(text, sizeof text, "%s%02llu:%02u:%02u", negative ? "-" : "",
                static_cast<unsigned long long>(t.days) * 24 + t.hour, t.minute, t.second);
  *literal = "'" + std::string(text) + Fraction(t.micros) + "'";
  return Status::Ok();
}

// Text MySQL wrote for a numeric column, read back; 0 for anything else.
template <typename Number>
Number Parse(std::string_view text) {
  Number value{};
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

void WriteDateCell(PayloadWriter* writer, uint8_t type, std::string_view text) {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0;
  const std::string value(text);
  char fraction[16] = "";
  std::sscanf(value.c_str(), "%u-%u-%u %u:%u:%u.%15[0-9]", &year, &month, &day, &hour, &minute, &second,
              fraction);
  if (fraction[0] != '\0')
    micros = static_cast<unsigned>(std::atoi((std::string(fraction) + "000000").substr(0, 6).c_str()));
  const bool date_only = type == kTypeDate || type == kTypeNewDate;
  uint8_t length = 11;
  if (micros == 0) length = 7;
  if (length == 7 && hour == 0 && minute == 0 && second == 0) length = 4;
  if (date_only) length = 4;
  if (length == 4 && year == 0 && month == 0 && day == 0) length = 0;
  writer->U8(length);
  if (length == 0) return;
  writer->U16(static_cast<uint16_t>(year));
  writer->U8(static_cast<uint8_t>(month));
  writer->U8(static_cast<uint8_t>(day));
  if (length == 4) return;
  writer->U8(static_cast<uint8_t>(hour));
  writer->U8(static_cast<uint8_t>(minute));
  writer->U8(static_cast<uint8_t>(second));
  if (length == 11) writer->U32(micros);
}

void WriteTimeCell(PayloadWriter* writer, std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  unsigned long hours = 0;
  unsigned minute = 0, second = 0, micros = 0;
  char fraction[16] = "";
  std::sscanf(std::string(text).c_str(), "%lu:%u:%u.%15[0-9]", &hours, &minute, &second, fraction);
  if (fraction[0] != '\0')
    micros = static_cast<unsigned>(std::atoi((std::string(fraction) + "000000").substr(0, 6).c_str()));
  if (hours == 0 && minute == 0 && second == 0 && micros == 0) {
    writer->U8(0);
    return;
  }
  writer->U8(micros == 0 ? 8 : 12);
  writer->U8(negative ? 1 : 0);
  writer->U32(static_cast<uint32_t>(hours / 24));
  writer->U8(static_cast<uint8_t>(hours % 24));
  writer->U8(static_cast<uint8_t>(minute));
  writer->U8(static_cast<uint8_t>(second));
  if (micros != 0) writer->U32(micros);
}

}  // namespace

std::string QuotedLiteral(std::string_view text, const LiteralStyle& style) {
  std::string literal = "'";
  for (char c : text) {
    if (c == '\'') {
      literal += style.backslash_escapes ? "\\'" : "''";
    } else if (style.backslash_escapes && c == '\\') {
      literal += "\\\\";
    } else if (style.backslash_escapes && c == '\0') {
      literal += "\\0";
    } else if (style.backslash_escapes && c == '\032') {
      literal += "\\Z";  // Ctrl-Z ends a file on Windows: as mysql_real_escape_string writes it
    } else {
      literal += c;
    }
  }
  return literal + "'";
}

std::string BytesLiteral(std::string_view bytes, const ParamType& type, const LiteralStyle& style) {
  if ((type.type == kTypeNewDecimal || type.type == kTypeDecimal) && IsDecimalNumber(bytes))
    return std::string(bytes);
  if (IsBlobType(type.type)) return HexLiteral(bytes);
  // Zero bytes cannot be written inside quotes without backslash escapes;
  // bytes that are not UTF-8 are binary data, not text of a UTF-8 client.
  if ((!style.backslash_escapes && bytes.find('\0') != std::string_view::npos) ||
      (style.utf8_text && !IsValidUtf8(bytes)))
    return HexLiteral(bytes);
  return QuotedLiteral(bytes, style);
}

Status ReadParamLiteral(PayloadReader* reader, const ParamType& type, const LiteralStyle& style,
                        std::string* literal) {
  uint64_t raw = 0;
  const auto integer = [&](size_t width) {
    if (!ReadUnsigned(reader, width, &raw))
      return Status::InvalidArgument("integer parameter of type " + std::to_string(type.type) + " cut short");
    *literal = IntegerLiteral(raw, width, type.is_unsigned);
    return Status::Ok();
  };
  switch (type.type) {
    case kTypeNull: *literal = "NULL"; return Status::Ok();
    case kTypeTiny: return integer(1);
    case kTypeShort:
    case kTypeYear: return integer(2);
    case kTypeLong:
    case kTypeInt24: return integer(4);
    case kTypeLongLong: return integer(8);
    case kTypeFloat: {
      if (!ReadUnsigned(reader, 4, &raw)) return Status::InvalidArgument("FLOAT parameter cut short");
      float value = 0;
      const auto bits = static_cast<uint32_t>(raw);
      std::memcpy(&value, &bits, sizeof value);
      return DoubleLiteral(value, literal);  // MySQL widens a FLOAT parameter to DOUBLE too
    }
    case kTypeDouble: {
      if (!ReadUnsigned(reader, 8, &raw)) return Status::InvalidArgument("DOUBLE parameter cut short");
      double value = 0;
      std::memcpy(&value, &raw, sizeof value);
      return DoubleLiteral(value, literal);
    }
    case kTypeDate:
    case kTypeNewDate:
    case kTypeDateTime:
    case kTypeTimestamp: return ReadDateLiteral(reader, type.type, literal);
    case kTypeTime: return ReadTimeLiteral(reader, literal);
    default: {
      std::string bytes;
      if (!reader->LengthEncodedString(&bytes))
        return Status::InvalidArgument("string parameter of type " + std::to_string(type.type) +
                                       " cut short");
      *literal = BytesLiteral(bytes, type, style);
      return Status::Ok();
    }
  }
}

void WriteBinaryCell(PayloadWriter* writer, uint8_t type, std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  // Signed or unsigned, the cell holds the same two's-complement bits.
  const auto integer = [&] {
    return negative ? static_cast<uint64_t>(Parse<int64_t>(text)) : Parse<uint64_t>(text);
  };
  switch (type) {
    case kTypeTiny: writer->U8(static_cast<uint8_t>(integer())); return;
    case kTypeShort:
    case kTypeYear: writer->U16(static_cast<uint16_t>(integer())); return;
    case kTypeLong:
    case kTypeInt24: writer->U32(static_cast<uint32_t>(integer())); return;
    case kTypeLongLong: writer->U64(integer()); return;
    case kTypeFloat: {
      const float value = Parse<float>(text);
      uint32_t bits = 0;
      std::memcpy(&bits, &value, sizeof bits);
      writer->U32(bits);
      return;
    }
    case kTypeDouble: {
      const double value = Parse<double>(text);
      uint64_t bits = 0;
      std::memcpy(&bits, &value, sizeof bits);
      writer->U64(bits);
      return;
    }
    case kTypeDate:
    case kTypeNewDate:
    case kTypeDateTime:
    case kTypeTimestamp: WriteDateCell(writer, type, text); return;
    case kTypeTime: WriteTimeCell(writer, text); return;
    default: writer->LengthEncodedString(text); return;
  }
}

}  // namespace ddb::mysql
