// The tables a write statement names as the ones it changes, read off its
// tokens (no catalog): a statement's own targets, and those of the writes
// in a program's body.
#pragma once

#include <vector>

#include "ddb/sql/parsed_statement.h"
#include "program_ids.h"

namespace ddb {

// The tables an INSERT, REPLACE, UPDATE, DELETE or LOAD DATA writes (for UPDATE and
// DELETE with joins: every table they join, read ones too, since a DELETE's
// list may name aliases); empty for other statements.
std::vector<TableName> WrittenTables(const ParsedStatement& statement);

// Every table the writes inside a program's or compound block's body
// change (its INSERT, REPLACE, UPDATE and DELETE statements).
std::vector<TableName> TablesWrittenInBody(const std::vector<Token>& tokens);

}  // namespace ddb
