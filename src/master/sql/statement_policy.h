// StatementPolicy: the master's allow-list. Every statement a session sends
// is either proven to change nothing replicated (a read, or a maintenance
// statement that acts on this server only), logged with what its replay
// needs, or refused with the reason and what to write instead. Anything the
// classifier cannot account for is refused, never run unlogged
// (docs/replay.md has the full table).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ddb/sql/parsed_statement.h"
#include "routine_calls.h"

namespace ddb {

// Why the master must not run `statement`, or empty when the session may go
// on to run it as its kind says.
std::string RefusalFor(const ParsedStatement& statement);

// Why the body of a stored program (its tokens, from the first of the
// body) cannot be replayed where a statement reaches it (a procedure it
// calls, a trigger of a table it writes): what RefusalFor says of the
// program's CREATE. "" when it can. Unsafe functions count with
// `refuse_unsafe` (unsafe_statements = refuse).
std::string RefusalForStoredBody(const std::vector<Token>& tokens, bool refuse_unsafe);

// Whether a statement starting with `verb` is a compound block (BEGIN NOT
// ATOMIC ... END, IF ..., LOOP ...), which runs the statements it holds.
bool IsCompoundVerb(std::string_view verb);

}  // namespace ddb
