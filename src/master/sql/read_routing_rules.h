// Which reads a slave may answer for a session, statement by statement: the
// rules behind SqlSession's read/write split (the console, the web SQL box
// and the MySQL endpoint all read through them). docs/mysql-endpoint.md
// has them as a table.
//
// A read may go to a slave only when a slave gives the answer the master
// would: a plain SELECT, SHOW of schema objects, DESCRIBE or EXPLAIN that
// neither locks rows, nor writes into variables or files, nor reads state
// that lives in this session or on one server (user and system variables,
// LAST_INSERT_ID(), FOUND_ROWS(), locks, the server's own schemas), and that
// carries no `/* ddb:master */` hint. The session adds its own conditions
// (no open transaction, autocommit on, no SET that pinned it): see
// SqlSession::Routable.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ddb/sql/parsed_statement.h"

namespace ddb {

// The hint that keeps one statement on the master, in any comment of it:
// `/* ddb:master */ SELECT ...` (the mariadb client sends comments only
// with --comments).
inline constexpr std::string_view kMasterHint = "ddb:master";

// Whether `sql` carries the master hint in a comment.
bool HasMasterHint(std::string_view sql, LexMode mode = {});

// Whether the statement itself lets a slave answer it (the session's state
// aside). `sql` is the text `parsed` was lexed from.
bool IsRoutableRead(std::string_view sql, const ParsedStatement& parsed);

// For a SET that succeeded: the first variable it changed whose effect a
// slave's read would not reproduce (so the session's later reads stay on the
// master), or "" when every assignment travels with routed reads or does
// not change what a read returns.
std::string SetKeepsReadsOnMaster(const std::vector<Token>& tokens);

}  // namespace ddb
