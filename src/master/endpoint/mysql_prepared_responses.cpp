#include "mysql_prepared_responses.h"

#include "mysql_binary_values.h"
#include "mysql_packet.h"
#include "mysql_responses.h"

namespace ddb::mysql {
namespace {

constexpr uint8_t kPrepareOkMarker = 0x00;
constexpr uint8_t kBinaryRowMarker = 0x00;
constexpr size_t kBinaryRowNullOffset = 2;  // the first two bits of a binary row's NULL bitmap are unused

// A column MySQL typed NULL (SELECT NULL) is described as text: its cells
// are all NULL, and a client needs no width for a NULL-typed cell.
ColumnType DescribedType(ColumnType type) {
  if (type.mysql_type == kTypeNull) type.mysql_type = kTypeVarString;
  return type;
}

}  // namespace

std::vector<std::vector<uint8_t>> EncodePrepareOk(uint32_t statement_id, const StatementShape& shape,
                                                  uint8_t charset, uint16_t status) {
  std::vector<std::vector<uint8_t>> payloads;
  PayloadWriter ok;
  ok.U8(kPrepareOkMarker);
  ok.U32(statement_id);
  ok.U16(static_cast<uint16_t>(shape.columns.size()));
  ok.U16(static_cast<uint16_t>(shape.param_count));
  ok.U8(0);   // reserved
  ok.U16(0);  // warnings
  payloads.push_back(ok.Take());
  if (shape.param_count > 0) {
    // As MySQL describes a parameter before it is bound: "?", a string.
    ColumnType param;
    param.is_binary = true;
    for (uint32_t i = 0; i < shape.param_count; ++i)
      payloads.push_back(EncodeColumnDefinition("?", param, charset));
    payloads.push_back(EncodeEof(status));
  }
  if (!shape.columns.empty()) {
    for (size_t i = 0; i < shape.columns.size(); ++i) {
      const ColumnType type = i < shape.column_types.size() ? shape.column_types[i] : ColumnType();
      payloads.push_back(EncodeColumnDefinition(shape.columns[i], DescribedType(type), charset));
    }
    payloads.push_back(EncodeEof(status));
  }
  return payloads;
}

std::vector<std::vector<uint8_t>> EncodeBinaryResultSet(const QueryResult& result, uint8_t charset,
                                                        uint16_t status) {
  const size_t columns = result.columns.size();
  std::vector<ColumnType> types;
  types.reserve(columns);
  for (size_t i = 0; i < columns; ++i) types.push_back(DescribedType(ResultColumnType(result, i)));
  std::vector<std::vector<uint8_t>> payloads;
  payloads.reserve(columns + result.rows.size() + 3);
  PayloadWriter count;
  count.LengthEncodedInt(columns);
  payloads.push_back(count.Take());
  for (size_t i = 0; i < columns; ++i)
    payloads.push_back(EncodeColumnDefinition(result.columns[i], types[i], charset));
  payloads.push_back(EncodeEof(status));
  const size_t bitmap_bytes = (columns + kBinaryRowNullOffset + 7) / 8;
  for (const auto& row : result.rows) {
    std::vector<uint8_t> nulls(bitmap_bytes, 0);
    PayloadWriter cells;
    for (size_t i = 0; i < columns; ++i) {
      if (i >= row.size() || !row[i]) {
        const size_t bit = i + kBinaryRowNullOffset;
        nulls[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
      } else {
        WriteBinaryCell(&cells, types[i].mysql_type, *row[i]);
      }
    }
    PayloadWriter w;
    w.U8(kBinaryRowMarker);
    w.Raw(std::string_view(reinterpret_cast<const char*>(nulls.data()), nulls.size()));
    w.Raw(std::string_view(reinterpret_cast<const char*>(cells.bytes().data()), cells.bytes().size()));
    payloads.push_back(w.Take());
  }
  payloads.push_back(EncodeEof(status));
  return payloads;
}

}  // namespace ddb::mysql
