// The server's answers in the MySQL protocol's command phase: OK, ERR, EOF
// and text result sets (protocol 4.1, without CLIENT_DEPRECATE_EOF).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ddb/mysql/mysql_connection.h"

namespace ddb::mysql {

struct OkInfo {
  uint64_t affected_rows = 0;
  uint64_t insert_id = 0;
  uint16_t status = 0;  // ServerStatus flags
  uint16_t warnings = 0;
  std::string info;  // human-readable, e.g. "Rows matched: 1  Changed: 1  Warnings: 0"
};
std::vector<uint8_t> EncodeOk(const OkInfo& ok);

// `sql_state` is 5 characters ("42S02"); anything else is sent as "HY000".
std::vector<uint8_t> EncodeErr(uint16_t code, const std::string& sql_state, const std::string& message);

std::vector<uint8_t> EncodeEof(uint16_t status);

// The type a result's column is described with: MySQL's own when the result
// came from MySQL, else DECIMAL for numbers (exact whatever the digits) and
// text for the rest.
ColumnType ResultColumnType(const QueryResult& result, size_t column);

// One column definition (protocol 4.1). `charset` is the client's, reported
// for text columns.
std::vector<uint8_t> EncodeColumnDefinition(const std::string& name, const ColumnType& type, uint8_t charset);

// A result set as the payloads to send in order: column count, one column
// definition per column, EOF, one text row per row, EOF. Columns without a
// ColumnType are described as text (or as numbers where `numeric` says so).
// `charset` is the client's character set, reported for text columns.
std::vector<std::vector<uint8_t>> EncodeResultSet(const QueryResult& result, uint8_t charset,
                                                  uint16_t status);

}  // namespace ddb::mysql
