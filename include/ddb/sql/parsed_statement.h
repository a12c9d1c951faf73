// ParsedStatement: one statement lexed once, the way its session's server
// reads it (LexMode), with its classification. The master's write path asks
// many questions of a statement (what kind, is it allowed, what does its
// replay need, does it call a stored function, does it touch ddb_meta); they
// all read these tokens instead of lexing the text again.
#pragma once

#include <string_view>
#include <vector>

#include "ddb/sql/sql_lexer.h"
#include "ddb/sql/statement_classifier.h"

namespace ddb {

struct ParsedStatement {
  // Views into the text given to ParseStatement, which must outlive them.
  std::vector<Token> tokens;  // without comments (an unterminated one stays: the text is incomplete)
  StatementInfo info;
};

ParsedStatement ParseStatement(std::string_view sql, LexMode mode = {});

}  // namespace ddb
