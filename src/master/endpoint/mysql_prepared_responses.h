// The server's answers to server-side prepared statements: COM_STMT_PREPARE's
// PREPARE_OK with its parameter and column definitions, and the binary
// result set COM_STMT_EXECUTE answers a read with (protocol 4.1, without
// CLIENT_DEPRECATE_EOF).
#pragma once

#include <cstdint>
#include <vector>

#include "ddb/mysql/mysql_connection.h"

namespace ddb::mysql {

// PREPARE_OK, then one definition per '?' and per result column, each group
// closed by EOF.
std::vector<std::vector<uint8_t>> EncodePrepareOk(uint32_t statement_id, const StatementShape& shape,
                                                  uint8_t charset, uint16_t status);

// A result set in the binary protocol: column count, definitions, EOF, one
// binary row per row (0x00, NULL bitmap with offset 2, the non-NULL cells in
// their column's binary form), EOF.
std::vector<std::vector<uint8_t>> EncodeBinaryResultSet(const QueryResult& result, uint8_t charset,
                                                        uint16_t status);

}  // namespace ddb::mysql
