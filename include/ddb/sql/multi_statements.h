// The statements of a multi-statement text (CLIENT_MULTI_STATEMENTS), cut
// where MariaDB's parser ends them. Unlike StatementSplitter
// (statement_splitter.h), which cuts a script the way the mariadb client
// does (at the DELIMITER), this is what the server itself does with one
// COM_QUERY.
#pragma once

#include <string_view>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// Cut at ';' outside quotes and comments (read as `mode` says), and not
// inside the BEGIN ... END of a stored program or compound block (CREATE
// PROCEDURE p() BEGIN ...; ...; END is one). Each keeps the comments before
// it (a /* ddb:master */ hint) and loses its ';'; empty statements are
// dropped. Views into `text`.
std::vector<std::string_view> SplitStatements(std::string_view text, LexMode mode = {});

}  // namespace ddb
