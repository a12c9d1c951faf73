#include "ddb/sql/replay_safety.h"

#include <algorithm>
#include <set>

#include "ddb/sql/row_order.h"
#include "ddb/sql/sql_lexer.h"

namespace ddb {
namespace {

// Functions whose value on a slave differs from the master's however the
// session is set up. The advice says what to write instead.
struct UnsafeFunction {
  const char* name;
  const char* advice;
};

constexpr UnsafeFunction kUnsafeFunctions[] = {
    {"UUID", "generate the UUID in the application, or SELECT UUID() first and write the value"},
    {"UUID_SHORT", "generate the id in the application, or SELECT it first and write the value"},
    {"SYSDATE", "use NOW(), which replays with the master's timestamp"},
    {"USER", "write the user name as a literal"},
    {"SESSION_USER", "write the user name as a literal"},
    {"SYSTEM_USER", "write the user name as a literal"},
    {"CONNECTION_ID", "SELECT CONNECTION_ID() first and write the value"},
    {"FOUND_ROWS", "SELECT FOUND_ROWS() first and write the value"},
    {"ROW_COUNT", "SELECT ROW_COUNT() first and write the value"},
    {"LOAD_FILE", "read the file in the application and write its contents"},
    {"VERSION", "write the version as a literal"},
    {"GET_LOCK", "take the lock in a separate statement"},
    {"RELEASE_LOCK", "release the lock in a separate statement"},
    {"IS_FREE_LOCK", "query the lock in a separate statement"},
    {"IS_USED_LOCK", "query the lock in a separate statement"},
    {"SLEEP", "sleep in a separate statement"},
    {"MASTER_POS_WAIT", "do not wait inside a write"},
    {"MASTER_GTID_WAIT", "do not wait inside a write"},
    {"BENCHMARK", "do not benchmark inside a write"},
    {"NEXTVAL", "use an AUTO_INCREMENT column, whose ids are logged"},
    {"LASTVAL", "use an AUTO_INCREMENT column, whose ids are logged"},
    {"SETVAL", "restart the sequence with ALTER SEQUENCE ... RESTART WITH, which is replicated"},
    {"SYS_GUID", "generate the id in the application, or SELECT SYS_GUID() first and write the value"},
    {"RANDOM_BYTES",
     "generate the bytes in the application, or SELECT RANDOM_BYTES() first and write the value"},
    {"ENCRYPT",
     "hash in the application (ENCRYPT() calls the host's crypt(), with a random salt when none is given)"},
    {"DES_ENCRYPT", "use AES_ENCRYPT() with a key you pass (DES_ENCRYPT() may read each server's key file)"},
    {"DES_DECRYPT", "use AES_DECRYPT() with a key you pass (DES_DECRYPT() may read each server's key file)"},
    {"BINLOG_GTID_POS", "SELECT BINLOG_GTID_POS() first and write the value"},
    // The number of each row as the statement meets it, before any ORDER
    // BY: the access path's order, which a slave's plan need not share.
    {"ROWNUM", "number the rows with ROW_NUMBER() OVER (ORDER BY a unique key)"},
    {"RELEASE_ALL_LOCKS", "release the locks in a separate statement"},
    {"WSREP_LAST_SEEN_GTID", "SELECT it first and write the value"},
    {"WSREP_LAST_WRITTEN_GTID", "SELECT it first and write the value"},
    {"WSREP_SYNC_WAIT_UPTO_GTID", "do not wait inside a write"},
};

// The account a statement runs as: a slave replays as its own account, so
// these differ in a statement run by the session (a trigger or a routine
// of SQL SECURITY DEFINER runs as its definer, the same on every node).
constexpr UnsafeFunction kInvokerFunctions[] = {
    {"CURRENT_USER", "write the account as a literal, or SELECT CURRENT_USER() first and write the value"},
    {"CURRENT_ROLE", "write the role as a literal, or SELECT CURRENT_ROLE() first and write the value"},
};

// Statements whose expressions run as the session's account.
constexpr std::string_view kInvokerVerbs[] = {"SELECT", "INSERT", "REPLACE", "UPDATE", "DELETE",
                                              "CALL",   "DO",     "WITH",    "BEGIN",  "IF",
                                              "CASE",   "LOOP",   "REPEAT",  "WHILE",  "FOR"};

bool IsWordLike(const Token& token) {
  return token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedIdentifier ||
         token.kind == TokenKind::kString;
}

// A function call: the name directly followed by '(' (MySQL's default
// IGNORE_SPACE off means no space may come between).
bool IsCall(const std::vector<Token>& tokens, size_t i) {
  return tokens[i].kind == TokenKind::kWord && i + 1 < tokens.size() && IsOperator(tokens[i + 1], "(") &&
         tokens[i + 1].offset == tokens[i].end();
}

// InnoDB's full-text index holds what was committed when the search runs,
// and the search locks nothing: a transaction that committed on the master
// after it (its rows not found) but took an earlier place in the log is
// replayed before it on a slave, whose search then finds them.
constexpr const char* kFullTextSearchInWrite =
    "MATCH ... AGAINST searches the full-text index as committed at that moment, without locking what it "
    "does not find: a transaction committing on the master meanwhile comes before this write on a slave, "
    "whose search then finds other rows; SELECT the keys WHERE MATCH ... first, then write those rows by "
    "key";

// Whether a body (tokens from `from`) writes rows: INSERT, UPDATE, DELETE
// or REPLACE as a statement's verb, not the string functions INSERT(...)
// and REPLACE(...). FOR UPDATE counts too: a false alarm only for a body
// that also searches a full-text index.
bool BodyWrites(const std::vector<Token>& tokens, size_t from) {
  for (size_t i = from; i < tokens.size(); ++i) {
    const bool verb = IsKeyword(tokens[i], "INSERT") || IsKeyword(tokens[i], "UPDATE") ||
                      IsKeyword(tokens[i], "DELETE") || IsKeyword(tokens[i], "REPLACE");
    if (verb && !(i + 1 < tokens.size() && IsOperator(tokens[i + 1], "("))) return true;
  }
  return false;
}

constexpr std::string_view kBlockVerbs[] = {"BEGIN", "IF", "CASE", "LOOP", "REPEAT", "WHILE", "FOR"};
constexpr std::string_view kCreatedObjects[] = {"TABLE", "TRIGGER",  "PROCEDURE", "FUNCTION", "PACKAGE",
                                                "VIEW",  "INDEX",    "DATABASE",  "SCHEMA",   "USER",
                                                "ROLE",  "SEQUENCE", "EVENT",     "SERVER"};

// Whether the statement writes rows of tables that replicate, or defines a
// program whose runs do: CREATE TABLE ... SELECT, a trigger (whatever it
// computes goes into the write that fires it), a procedure, function or
// block whose body writes. A view's definition does not (its searches run
// in the statements that read it).
bool WritesRows(const std::vector<Token>& tokens, const std::string& verb) {
  if (verb == "INSERT" || verb == "REPLACE" || verb == "UPDATE" || verb == "DELETE") return true;
  if (std::find(std::begin(kBlockVerbs), std::end(kBlockVerbs), verb) != std::end(kBlockVerbs))
    return BodyWrites(tokens, 1);
  if (verb != "CREATE") return false;
  // CREATE [OR REPLACE] [DEFINER = ...] [AGGREGATE] object ...
  for (size_t i = 1; i < tokens.size(); ++i) {
    if (tokens[i].kind != TokenKind::kWord) continue;
    const std::string word = AsciiUpper(tokens[i].text);
    if (std::find(std::begin(kCreatedObjects), std::end(kCreatedObjects), word) == std::end(kCreatedObjects))
      continue;
    if (word == "TABLE" || word == "TRIGGER") return true;
    if (word == "PROCEDURE" || word == "FUNCTION" || word == "PACKAGE") return BodyWrites(tokens, i + 1);
    return false;
  }
  return false;
}

}  // namespace

std::string UserVariableKey(std::string_view written) {
  const std::vector<Token> tokens = Tokenize(written);
  return AsciiUpper(tokens.empty() ? std::string(written) : TokenValue(tokens.front()));
}

ReplayTraits InspectForReplay(std::string_view sql, LexMode mode) {
  return InspectForReplay(Tokenize(sql, false, mode));
}

ReplayTraits InspectForReplay(const std::vector<Token>& tokens) {
  ReplayTraits traits;
  std::set<std::string> seen_variables;
  std::string verb;
  bool invoker_verb = false;  // the verb runs its expressions as the session's account
  // Inside a column's DEFAULT (expression) of a CREATE or ALTER: the
  // parenthesis depth; 0 outside one.
  int default_depth = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (default_depth > 0) {
      if (IsOperator(token, "(")) ++default_depth;
      if (IsOperator(token, ")")) --default_depth;
      // DEFAULT (@v) reads the inserting session's variable, which no
      // INSERT relying on it names: the slave's applier would read its own.
      if (IsOperator(token, "@") && traits.unsafe_reason.empty()) {
        traits.unsafe_reason =
            "a column DEFAULT (@variable) reads the inserting session's user variable, which an INSERT "
            "relying on the default does not name, so a slave would read its applier's; write the variable "
            "in the INSERT instead";
      }
    }
    if (token.kind == TokenKind::kWord) {
      const std::string upper = AsciiUpper(token.text);
      if (verb.empty()) {
        verb = upper;
        invoker_verb =
            std::find(std::begin(kInvokerVerbs), std::end(kInvokerVerbs), verb) != std::end(kInvokerVerbs);
      }
      if (upper == "DEFAULT" && (verb == "CREATE" || verb == "ALTER") && default_depth == 0 &&
          i + 1 < tokens.size() && IsOperator(tokens[i + 1], "(")) {
        default_depth = 1;
        ++i;
        continue;
      }
      // DEFAULT RAND() needs no parentheses around the call either.
      const bool default_call = default_depth > 0 || (i > 0 && IsKeyword(tokens[i - 1], "DEFAULT") &&
                                                      (verb == "CREATE" || verb == "ALTER"));
      if (default_call && upper == "RAND" && IsCall(tokens, i) && traits.unsafe_reason.empty()) {
        traits.unsafe_reason =
            "a column DEFAULT (RAND()) draws a new value for every row an INSERT adds "
            "without naming the column, which a slave cannot reproduce; leave the default "
            "out and write RAND() in the INSERT (ddb ships its seeds)";
      }
      // DATABASE() is NULL for a session without a default database, and a
      // slave's applier, replaying every session in one of its own, always
      // has one once a record named one: a default computes it out of sight
      // of the INSERT, where ddb writes the NULL it gave (database_calls.h).
      if (default_call && (upper == "DATABASE" || upper == "SCHEMA") && IsCall(tokens, i) &&
          traits.unsafe_reason.empty()) {
        traits.unsafe_reason =
            "a column DEFAULT (" + upper +
            "()) is NULL for an INSERT from a session without a default database, which a slave, whose "
            "applier keeps the last database a record named, cannot reproduce; leave the default out and "
            "write " +
            upper + "() in the INSERT";
      }
      if (upper == "DUPLICATE" && i > 0 && IsKeyword(tokens[i - 1], "ON") && i + 1 < tokens.size() &&
          IsKeyword(tokens[i + 1], "KEY")) {
        traits.updates_on_duplicate_key = true;
      }
      // Which rows SKIP LOCKED leaves out depends on the locks other sessions
      // hold on the master at that moment; a slave's replay sees none.
      if (upper == "SKIP" && i + 1 < tokens.size() && IsKeyword(tokens[i + 1], "LOCKED") &&
          traits.unsafe_reason.empty()) {
        traits.unsafe_reason =
            "SKIP LOCKED leaves out the rows other sessions hold locked on the master at that moment, which "
            "a "
            "slave replaying the statement does not see; lock the rows with a plain FOR UPDATE, or read them "
            "first and write their values";
      }
      if (upper == "MATCH" && i + 1 < tokens.size() && IsOperator(tokens[i + 1], "(") &&
          WritesRows(tokens, verb) && traits.unsafe_reason.empty()) {
        traits.unsafe_reason = kFullTextSearchInWrite;
      }
      // NEXT VALUE FOR s and PREVIOUS VALUE FOR s are NEXTVAL(s) and LASTVAL(s).
      if ((upper == "NEXT" || upper == "PREVIOUS") && i + 2 < tokens.size() &&
          IsKeyword(tokens[i + 1], "VALUE") && IsKeyword(tokens[i + 2], "FOR") &&
          traits.unsafe_reason.empty()) {
        traits.unsafe_reason = upper +
                               " VALUE FOR gives a different value when a slave replays the statement; " +
                               "use an AUTO_INCREMENT column, whose ids are logged";
      }
      if (IsCall(tokens, i)) {
        if (upper == "RAND") traits.uses_rand = true;
        if (upper == "LAST_INSERT_ID") traits.uses_last_insert_id = true;
        for (const UnsafeFunction& unsafe : kUnsafeFunctions) {
          if (upper == unsafe.name && traits.unsafe_reason.empty()) {
            traits.unsafe_reason =
                upper + "() gives a different value when a slave replays the statement; " + unsafe.advice;
          }
        }
      }
      // CURRENT_USER and CURRENT_ROLE need no parentheses.
      for (const UnsafeFunction& unsafe : kInvokerFunctions) {
        if ((default_call || invoker_verb) && upper == unsafe.name && traits.unsafe_reason.empty()) {
          traits.unsafe_reason = upper +
                                 "() is the account running the statement, and a slave replays it as its "
                                 "own; " +
                                 unsafe.advice;
        }
      }
    }
    // A user variable: '@' directly followed by its name ('@@' is a system
    // variable and lexes as one operator).
    if (IsOperator(token, "@") && i + 1 < tokens.size() && IsWordLike(tokens[i + 1]) &&
        tokens[i + 1].offset == token.end()) {
      const std::string name = std::string(tokens[i + 1].text);
      if (seen_variables.insert(AsciiUpper(name)).second) traits.user_variables.push_back(name);
    }
  }
  // Which rows a LIMIT picks, or which of the rows colliding on a unique
  // key are kept, without ORDER BY.
  if (traits.unsafe_reason.empty()) traits.unsafe_reason = RowOrderUnsafeReason(tokens);
  return traits;
}

}  // namespace ddb
