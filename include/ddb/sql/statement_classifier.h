// Statement classifier: what a statement typed at a console does, decided from
// its tokens (sql_lexer.h), never from string prefixes.
//
// It is the guard that keeps a slave console from executing writes, so when in
// doubt it errs towards "not a read": unknown first words are kUnknown, and the
// contents of executable comments count as SQL. It sees text only, so it cannot
// know that a stored function called from a SELECT writes; slaves should still
// run their MySQL connection read-only.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

enum class StatementKind {
  kEmpty,       // only whitespace/comments
  kRead,        // SELECT, SHOW, DESCRIBE/DESC, EXPLAIN, HELP, WITH ... SELECT, VALUES, TABLE t, (SELECT ...),
                // ANALYZE [FORMAT=...] SELECT (MariaDB). SELECT ... INTO @var and ... FOR UPDATE stay reads.
  kDml,         // INSERT, UPDATE, DELETE, REPLACE, LOAD DATA/XML, CALL, WITH ... UPDATE/DELETE,
                // ANALYZE UPDATE/DELETE (MariaDB executes them), compound blocks (BEGIN NOT ATOMIC, IF ...)
  kDdl,         // CREATE, DROP, ALTER, TRUNCATE, RENAME, GRANT, REVOKE, SET PASSWORD, SET DEFAULT ROLE:
                // statements that commit implicitly and change schema or accounts
  kBegin,       // BEGIN [WORK], START TRANSACTION [...] (not "BEGIN NOT ATOMIC")
  kCommit,      // COMMIT [WORK] [AND [NO] CHAIN] [[NO] RELEASE]
  kRollback,    // ROLLBACK [WORK] of the whole transaction
  kSavepoint,   // SAVEPOINT x, ROLLBACK [WORK] TO [SAVEPOINT] x, RELEASE SAVEPOINT x
  kUse,         // USE db
  kSet,         // SET ... (variables, NAMES, autocommit, TRANSACTION; GLOBAL too, see sets_global_state)
  kLockTables,  // LOCK TABLE(S), UNLOCK TABLE(S)
  kAdmin,       // FLUSH, ANALYZE TABLE, OPTIMIZE, CHECK, REPAIR, KILL, PURGE, RESET, INSTALL, UNINSTALL,
                // SELECT ... INTO OUTFILE/DUMPFILE, DO, HANDLER, XA, PREPARE/EXECUTE, START SLAVE, ...
  kUnknown,     // first word not a known statement keyword
};

// "empty", "read", "dml", "ddl", "begin", "commit", "rollback", "savepoint",
// "use", "set", "lock_tables", "admin", "unknown".
const char* StatementKindName(StatementKind kind);

struct StatementInfo {
  StatementKind kind = StatementKind::kEmpty;
  std::string verb;  // first keyword upper-cased: "CREATE", "INSERT", "START", "WITH", "SELECT" for "(SELECT"
  std::string object;         // DDL: "TABLE", "DATABASE", "SCHEMA", "INDEX", "VIEW", "USER", "PROCEDURE", ...
  bool is_temporary = false;  // CREATE/DROP TEMPORARY TABLE
  std::string use_database;   // kUse: the database name unquoted
  bool has_multiple_statements =
      false;                // a ';' followed by more tokens (";" inside BEGIN...END of a routine excepted)
  bool incomplete = false;  // unterminated quote or comment
  // kSet: changes more than this session (GLOBAL, PERSIST, @@global.x).
  bool sets_global_state = false;
};

// Classifies the first non-empty statement of `sql`; later ones only set
// has_multiple_statements. "SET STATEMENT v=1 FOR <stmt>" is classified as <stmt>.
StatementInfo ClassifyStatement(std::string_view sql, LexMode mode = {});
// The same for the statement's tokens, as Tokenize gives them.
StatementInfo ClassifyTokens(const std::vector<Token>& tokens);

// Whether a read-only console (slave) may run it: kRead, kEmpty, kUse, and kSet
// of session-only things. Text holding several statements or left incomplete is
// refused: the server could run a part the classifier did not judge.
bool IsAllowedOnReadOnlyConsole(const StatementInfo& info);

// Where the statement starting at token `begin` of `tokens` (comments
// removed) ends: the index of its ';', or tokens.size(). A stored program's
// or compound block's BEGIN ... END keeps its inner ';'. `info`, when given,
// gets the statement's classification.
std::size_t StatementEnd(std::span<const Token> tokens, std::size_t begin, StatementInfo* info = nullptr);

}  // namespace ddb
