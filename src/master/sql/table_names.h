// Table names as statements spell them, read off their tokens: the pieces
// the master's statement checks share (program_ids.h, temporary_tables.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// A table as a statement names it; `schema` empty when unqualified.
struct TableName {
  std::string schema;
  std::string table;
  bool operator==(const TableName&) const = default;
};

// The [schema.]table starting at tokens[at]; false when no name is there.
// `after`, when given, gets the index past the name.
bool ReadTableName(const std::vector<Token>& tokens, size_t at, TableName* name, size_t* after = nullptr);

// The index after "IF [NOT] EXISTS" at tokens[at], or `at`.
size_t SkipIfExists(const std::vector<Token>& tokens, size_t at);

// The name after the first `object` keyword (CREATE ... TABLE [IF NOT
// EXISTS] name, ... INDEX i ON name with `object` ON).
bool NameAfter(const std::vector<Token>& tokens, std::string_view object, TableName* name,
               size_t* after = nullptr);

}  // namespace ddb
