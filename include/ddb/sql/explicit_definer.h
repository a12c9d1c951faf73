// A program's or view's definer, made explicit for replay.
//
// CREATE VIEW, PROCEDURE, FUNCTION, TRIGGER and EVENT (and ALTER VIEW)
// without a DEFINER clause take the account that runs them as definer. On
// the master that is the endpoint user's account; a slave replays as its
// own account, so the object would get another definer, run with other
// privileges, and show other text. The log keeps the statement with
// `DEFINER = <the master session's account>`, as MariaDB's binlog does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// `sql` with `DEFINER = account ` placed where MariaDB's grammar takes it
// (after CREATE [OR REPLACE] and a view's ALGORITHM), or `sql` unchanged
// when it names a definer already, creates something without one, or is a
// loadable function (SONAME). `tokens` are `sql`'s, comments removed;
// `account` is already quoted (`app`@`%`).
std::string WithExplicitDefiner(std::string_view sql, const std::vector<Token>& tokens,
                                std::string_view account);

// 'app@%' (CURRENT_USER()'s form) as an account name no sql_mode misreads:
// `app`@`%` (the host is after the last '@').
std::string QuotedAccount(std::string_view current_user);

}  // namespace ddb
