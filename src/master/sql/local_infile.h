// LOAD DATA LOCAL INFILE (and LOAD XML LOCAL INFILE): the one load ddb
// replicates. The file is the client's, sent in the statement's own exchange
// (the endpoint asks for it by name); the master runs the statement with
// those bytes and logs them with it, and each slave's replay serves the same
// bytes to its MySQL. A load without LOCAL reads a file on the master's host,
// which the slaves do not have: refused (statement_policy.cpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/sql/sql_lexer.h"

namespace ddb {

// The file name a LOAD DATA LOCAL / LOAD XML LOCAL statement asks for (its
// value, quotes and escapes resolved); none for any other statement,
// including a load without LOCAL.
std::optional<std::string> LocalInfileName(const std::vector<Token>& tokens);

// Where a session's LOAD DATA LOCAL gets its file: asked for `name`, it
// fills `content` with at most `limit` bytes, or fails (the client refused
// or sent more; a lost client). Set by the MySQL endpoint, whose client has
// the file.
using LocalFileSource = std::function<Status(const std::string& name, size_t limit, std::string* content)>;

// What a session without a LocalFileSource (the console, the HTTP SQL box,
// a client that did not allow local files) answers: MariaDB's own error
// for a client without the capability.
Status LocalFilesNotAllowed();

}  // namespace ddb
