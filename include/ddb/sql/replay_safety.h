// What a statement needs, or forbids, for its replay on a slave to give the
// master's result (MySQL's "unsafe for statement-based replication" rules).
//
// Looks at tokens from the SQL lexer, so names inside strings and comments do
// not count and executable comments do.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

struct ReplayTraits {
  std::vector<std::string> user_variables;  // @names the statement reads or writes, as written
  bool uses_rand = false;                   // RAND(): the seeds travel with it
  bool uses_last_insert_id = false;         // LAST_INSERT_ID(): the session's value travels with it
  bool updates_on_duplicate_key = false;    // INSERT ... ON DUPLICATE KEY UPDATE
  std::string unsafe_reason;                // why replay could differ; empty when safe
  std::string warning;                      // safe to replay, but worth telling the user
};

// A user variable's name as written after its '@' (x, `a b`, 'x'), folded
// for comparison: MariaDB compares them without regard to case or quotes.
std::string UserVariableKey(std::string_view written);

ReplayTraits InspectForReplay(std::string_view sql, LexMode mode = {});
// The same for the statement's tokens, as Tokenize gives them.
ReplayTraits InspectForReplay(const std::vector<Token>& tokens);

}  // namespace ddb
