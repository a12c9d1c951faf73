// Values in the MySQL binary protocol (server-side prepared statements):
// the field types, a parameter of COM_STMT_EXECUTE read as an SQL literal,
// and a text value of a result written as a binary row cell.
//
// The endpoint runs every prepared statement as text, with each '?' replaced
// by its bound value as a literal, so the statement is classified, checked
// and logged with its values like one sent with COM_QUERY. The literals are
// exact: integers as written, floats in their shortest round-trip form with
// an exponent (a DOUBLE literal, not a DECIMAL one), DECIMAL as its digits,
// dates and times as quoted strings, text quoted as the session's sql_mode
// reads it, bytes as X'hex'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ddb/base/status.h"
#include "mysql_packet.h"

namespace ddb::mysql {

// MYSQL_TYPE_*: the type byte of parameters and result columns.
enum FieldType : uint8_t {
  kTypeDecimal = 0,
  kTypeTiny = 1,
  kTypeShort = 2,
  kTypeLong = 3,
  kTypeFloat = 4,
  kTypeDouble = 5,
  kTypeNull = 6,
  kTypeTimestamp = 7,
  kTypeLongLong = 8,
  kTypeInt24 = 9,
  kTypeDate = 10,
  kTypeTime = 11,
  kTypeDateTime = 12,
  kTypeYear = 13,
  kTypeNewDate = 14,
  kTypeVarchar = 15,
  kTypeBit = 16,
  kTypeJson = 245,
  kTypeNewDecimal = 246,
  kTypeEnum = 247,
  kTypeSet = 248,
  kTypeTinyBlob = 249,
  kTypeMediumBlob = 250,
  kTypeLongBlob = 251,
  kTypeBlob = 252,
  kTypeVarString = 253,
  kTypeString = 254,
  kTypeGeometry = 255,
};

// A parameter's type as COM_STMT_EXECUTE sends it: the type byte, and the
// flag byte's high bit for unsigned integers.
struct ParamType {
  uint8_t type = kTypeVarString;
  bool is_unsigned = false;
};

// How string literals are written for the session's server.
struct LiteralStyle {
  bool backslash_escapes = true;  // false under NO_BACKSLASH_ESCAPES: only the quote is doubled
  // The client's character set is UTF-8: a text value that is not valid
  // UTF-8 is bytes (a VARBINARY value bound as a string) and goes as X'hex'.
  bool utf8_text = true;
};

// Reads one non-NULL parameter value of `type` and writes it as a literal.
// A value cut short is kInvalidArgument naming the type.
Status ReadParamLiteral(PayloadReader* reader, const ParamType& type, const LiteralStyle& style,
                        std::string* literal);

// The bytes of a string-typed parameter (sent inline or with
// COM_STMT_SEND_LONG_DATA) as a literal: DECIMAL digits as a number, blobs
// as X'hex', text quoted.
std::string BytesLiteral(std::string_view bytes, const ParamType& type, const LiteralStyle& style);

// `text` as a quoted string literal.
std::string QuotedLiteral(std::string_view text, const LiteralStyle& style);

// Writes the text value MySQL gave for a column of `type` as a binary
// protocol cell (fixed-width integers and floats, date/time structures,
// length-encoded bytes for everything else).
void WriteBinaryCell(PayloadWriter* writer, uint8_t type, std::string_view text);

}  // namespace ddb::mysql
