#include "mysql_responses.h"

#include "mysql_binary_values.h"
#include "mysql_packet.h"

namespace ddb::mysql {
namespace {

constexpr uint8_t kOkMarker = 0x00;
constexpr uint8_t kEofMarker = 0xFE;
constexpr uint8_t kErrMarker = 0xFF;
constexpr uint16_t kBinaryCharset = 63;

// Column definition flags.
constexpr uint16_t kUnsignedFlag = 32;
constexpr uint16_t kBinaryFlag = 128;
constexpr uint16_t kNumFlag = 32768;

bool IsNumber(uint8_t mysql_type) {
  return (mysql_type >= 1 && mysql_type <= 5) || mysql_type == 8 || mysql_type == 9 ||
         mysql_type == kTypeNewDecimal || mysql_type == 0;
}

}  // namespace

ColumnType ResultColumnType(const QueryResult& result, size_t column) {
  if (column < result.column_types.size()) return result.column_types[column];
  ColumnType type;
  // A numeric column of a result ddb or a slave built: DECIMAL keeps every
  // value exact whatever its digits.
  if (column < result.numeric.size() && result.numeric[column]) type.mysql_type = kTypeNewDecimal;
  return type;
}

std::vector<uint8_t> EncodeColumnDefinition(const std::string& name, const ColumnType& type,
                                            uint8_t charset) {
  PayloadWriter w;
  w.LengthEncodedString("def");
  w.LengthEncodedString("");  // schema
  w.LengthEncodedString("");  // table alias
  w.LengthEncodedString("");  // table
  w.LengthEncodedString(name);
  w.LengthEncodedString(name);  // original name
  w.LengthEncodedInt(0x0C);     // length of the fixed fields that follow
  const bool number = IsNumber(type.mysql_type);
  w.U16(type.is_binary || number ? kBinaryCharset : charset);
  w.U32(type.length);
  w.U8(type.mysql_type);
  uint16_t flags = 0;
  if (type.is_unsigned) flags |= kUnsignedFlag;
  if (type.is_binary || number) flags |= kBinaryFlag;
  if (number) flags |= kNumFlag;
  w.U16(flags);
  w.U8(type.decimals);
  w.U16(0);
  return w.Take();
}

std::vector<uint8_t> EncodeOk(const OkInfo& ok) {
  PayloadWriter w;
  w.U8(kOkMarker);
  w.LengthEncodedInt(ok.affected_rows);
  w.LengthEncodedInt(ok.insert_id);
  w.U16(ok.status);
  w.U16(ok.warnings);
  // Length-encoded, as MySQL and MariaDB servers send it (and libmariadb
  // reads it), and only when there is something to say.
  if (!ok.info.empty()) w.LengthEncodedString(ok.info);
  return w.Take();
}

std::vector<uint8_t> EncodeErr(uint16_t code, const std::string& sql_state, const std::string& message) {
  PayloadWriter w;
  w.U8(kErrMarker);
  w.U16(code);
  w.U8('#');
  w.Raw(sql_state.size() == 5 ? sql_state : "HY000");
  w.Raw(message);
  return w.Take();
}

std::vector<uint8_t> EncodeEof(uint16_t status) {
  PayloadWriter w;
  w.U8(kEofMarker);
  w.U16(0);  // warnings
  w.U16(status);
  return w.Take();
}

std::vector<std::vector<uint8_t>> EncodeResultSet(const QueryResult& result, uint8_t charset,
                                                  uint16_t status) {
  std::vector<std::vector<uint8_t>> payloads;
  payloads.reserve(result.columns.size() + result.rows.size() + 3);
  PayloadWriter count;
  count.LengthEncodedInt(result.columns.size());
  payloads.push_back(count.Take());
  for (size_t i = 0; i < result.columns.size(); ++i) {
    payloads.push_back(EncodeColumnDefinition(result.columns[i], ResultColumnType(result, i), charset));
  }
  payloads.push_back(EncodeEof(status));
  for (const auto& row : result.rows) {
    PayloadWriter w;
    for (size_t i = 0; i < result.columns.size(); ++i) {
      if (i >= row.size() || !row[i]) {
        w.U8(kNullCell);
      } else {
        w.LengthEncodedString(*row[i]);
      }
    }
    payloads.push_back(w.Take());
  }
  payloads.push_back(EncodeEof(status));
  return payloads;
}

}  // namespace ddb::mysql
