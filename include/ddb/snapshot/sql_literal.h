// SQL literals for a snapshot's INSERT statements: each value written so
// that the target stores exactly the bytes the source holds.
//
//   kNumber  integers, DECIMAL, FLOAT, DOUBLE: the server's own text, which
//            is exact for integers and DECIMAL; anything that is not plain
//            number syntax is quoted instead (never raw text in SQL)
//   kText    '...' with \0 \' \" \\ \n \r \Z escaped (the loader's sql_mode
//            has no NO_BACKSLASH_ESCAPES), so no line break is ever raw
//   kBytes   X'hex' (BINARY, VARBINARY, BLOB, BIT, spatial types): no
//            character set conversion can touch them
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ddb/mysql/mysql_connection.h"  // QuoteIdentifier

namespace ddb {

enum class LiteralKind { kNumber, kText, kBytes };

// From information_schema.COLUMNS.DATA_TYPE ("int", "varbinary", ...).
LiteralKind LiteralKindForType(std::string_view data_type);

// Appends `value` (nullopt: NULL) as a literal of `kind`.
void AppendSqlLiteral(std::string* out, const std::optional<std::string>& value, LiteralKind kind);

}  // namespace ddb
