#include "statement_policy.h"

#include <algorithm>
#include <vector>

#include "body_commits.h"
#include "ddb/base/word_list.h"
#include "ddb/mysql/replay_session.h"
#include "ddb/sql/builtin_functions.h"
#include "ddb/sql/replay_safety.h"
#include "ddb/sql/sql_lexer.h"
#include "local_infile.h"
#include "server_local_tables.h"

namespace ddb {
namespace {

// A statement that acts on the server itself rather than on replicated data
// may run on the master alone. Those listed with a refusal would change data
// (or the server) behind the log's back.
struct LocalVerb {
  std::string_view verb;
  const char* refusal;  // nullptr: runs on the master only, unlogged, by design
};

constexpr LocalVerb kLocalVerbs[] = {
    // Maintenance and diagnostics: no replicated row changes.
    {"FLUSH", nullptr},
    {"ANALYZE", nullptr},
    {"OPTIMIZE", nullptr},
    {"CHECK", nullptr},
    {"CHECKSUM", nullptr},
    {"REPAIR", nullptr},
    {"CACHE", nullptr},
    {"LOAD", nullptr},  // LOAD INDEX INTO CACHE (LOAD DATA is DML, refused below)
    {"KILL", nullptr},
    {"PURGE", nullptr},
    {"HANDLER", nullptr},  // HANDLER ... OPEN/READ/CLOSE only read
    {"SIGNAL", nullptr},
    {"RESIGNAL", nullptr},
    {"GET", nullptr},  // GET DIAGNOSTICS
    {"BACKUP", nullptr},
    {"DEALLOCATE", nullptr},
    {"DROP", nullptr},    // DROP PREPARE
    {"SELECT", nullptr},  // ... INTO OUTFILE/DUMPFILE: a file on the master's host
    {"WITH", nullptr},
    {"VALUES", nullptr},
    {"TABLE", nullptr},
    {"UNLOCK", nullptr},
    {"XA",
     "XA transactions are not replicated by ddb: a prepared branch commits outside its log; use BEGIN ... "
     "COMMIT"},
    {"PREPARE",
     "server-side prepared texts (PREPARE/EXECUTE) run outside ddb's statement log; send the statement "
     "itself, "
     "with the values in it (client-side parameters)"},
    {"EXECUTE",
     "server-side prepared texts (PREPARE/EXECUTE) run outside ddb's statement log; send the statement "
     "itself, "
     "with the values in it (client-side parameters)"},
    {"SHUTDOWN", "that would stop the master's MySQL server; stop ddb-master and its server from the host"},
    {"RESTART", "that would restart the master's MySQL server; restart it from the host"},
    {"BINLOG", "BINLOG applies raw binary-log events, which ddb cannot log or replay"},
    {"CHANGE",
     "ddb replicates this server itself; MariaDB's own replication would apply changes ddb never logs"},
    {"START",
     "ddb replicates this server itself; MariaDB's own replication would apply changes ddb never logs"},
    {"STOP", "ddb replicates this server itself; MariaDB's own replication is not managed through ddb"},
    {"RESET", "RESET acts on this server's replication state and logs, which ddb does not manage"},
    {"CLONE", "CLONE copies a server behind the log's back; seed slaves with ddb instead"},
    {"IMPORT", "IMPORT TABLE brings in data ddb never logged; load it with INSERT statements"},
    {"INSTALL", "plugins change what each server can do; install them on every node with the mariadb client"},
    {"UNINSTALL",
     "plugins change what each server can do; uninstall them on every node with the mariadb client"},
    {"DO", nullptr},  // built-in functions only: one that calls a stored function is logged as a write
};

constexpr std::string_view kNonTransactionalEngines[] = {"MYISAM",  "MEMORY",     "HEAP",  "ARIA",     "CSV",
                                                         "ARCHIVE", "MRG_MYISAM", "MERGE", "BLACKHOLE"};

// Stored programs and compound blocks: the statements they hold run too.
constexpr std::string_view kRoutineObjects[] = {"PROCEDURE", "FUNCTION", "TRIGGER", "PACKAGE"};
constexpr std::string_view kCompoundVerbs[] = {"BEGIN", "IF", "CASE", "LOOP", "REPEAT", "WHILE", "FOR"};

// Words that, inside a routine, trigger or compound block, run a statement
// that cannot be logged: the block would do it on every replay too, but the
// master's own run of it is what must not escape the log.
constexpr std::string_view kUnloggableInBodies[] = {"PREPARE", "EXECUTE", "XA"};

std::string RefuseLocal(const StatementInfo& info, const std::vector<Token>& tokens) {
  for (const LocalVerb& local : kLocalVerbs) {
    if (local.verb != info.verb) continue;
    if (local.refusal == nullptr) return "";
    if (info.verb == "RESET" && tokens.size() >= 3 && IsKeyword(tokens[1], "QUERY") &&
        IsKeyword(tokens[2], "CACHE")) {
      return "";
    }
    return std::string(info.verb) + " is not run by ddb: " + local.refusal;
  }
  return "ddb does not know what '" + info.verb + "' changes, so it was not executed (nothing replicated)";
}

// A system variable read into data replays as the slave's own value, which
// differs per server (@@port, @@hostname, @@server_id...). Those ddb sets
// on replay from the master's session are safe.
std::string RefuseServerVariables(const std::vector<Token>& tokens) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!IsOperator(tokens[i], "@@")) continue;
    size_t name = i + 1;
    // @@global.x is the server's own default, never the session's value
    // that travels with the statement.
    const bool global = name + 2 < tokens.size() && IsKeyword(tokens[name], "GLOBAL");
    if (name + 2 < tokens.size() && IsOperator(tokens[name + 1], ".") &&
        (IsKeyword(tokens[name], "SESSION") || IsKeyword(tokens[name], "GLOBAL") ||
         IsKeyword(tokens[name], "LOCAL"))) {
      name += 2;
    }
    if (!IsName(tokens[name])) continue;
    std::string variable = TokenValue(tokens[name]);
    for (char& c : variable) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (variable == "timestamp") continue;  // pinned by the master and replayed
    const auto& replicated = ReplicatedVariables();
    if (!global && std::any_of(replicated.begin(), replicated.end(),
                               [&](const ReplicatedVariable& v) { return variable == v.name; })) {
      continue;
    }
    return "@@" + std::string(global ? "global." : "") + variable +
           " has each server's own value, so a slave replaying this write would store its own; "
           "SELECT @@" +
           variable + " first and write the value (nothing was changed)";
  }
  return "";
}

// ENGINE = x in a CREATE or ALTER, or a SET of the default engine.
std::string RefuseNonTransactionalEngine(const std::vector<Token>& tokens) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!IsKeyword(tokens[i], "ENGINE") && !IsKeyword(tokens[i], "DEFAULT_STORAGE_ENGINE") &&
        !IsKeyword(tokens[i], "STORAGE_ENGINE")) {
      continue;
    }
    size_t value = i + 1;
    if (IsOperator(tokens[value], "=") || IsOperator(tokens[value], ":=")) ++value;
    if (value >= tokens.size()) break;
    const std::string engine = AsciiUpper(TokenValue(tokens[value]));
    if (Contains(kNonTransactionalEngines, engine)) {
      return "ENGINE=" + engine +
             " is not transactional: a rolled-back transaction keeps its rows on the master "
             "and a crash can leave a slave's copy and its position apart; ddb replicates InnoDB tables "
             "(nothing "
             "was changed)";
    }
  }
  return "";
}

// `stored`: the body of a program that runs when called or fired (not a
// compound block run as it is typed).
std::string RefuseUnloggableBody(const std::vector<Token>& tokens, bool stored) {
  for (size_t i = 1; i < tokens.size(); ++i) {
    // A stored program's RAND() draws from the session that fires or calls
    // it; that statement itself names no RAND(), so no seeds go with it.
    if (stored && IsKeyword(tokens[i], "RAND") && i + 1 < tokens.size() && IsOperator(tokens[i + 1], "(")) {
      return "the body calls RAND(), whose values a slave cannot reproduce for the statements that fire or "
             "call "
             "it; pass the random value in as a parameter, or write RAND() in the statement itself (its "
             "seeds are "
             "logged)";
    }
    for (std::string_view word : kUnloggableInBodies) {
      if (IsKeyword(tokens[i], word)) {
        return "the body runs " + std::string(word) +
               ", which ddb cannot log (server-side prepared texts and XA run outside its statement log)";
      }
    }
    // A temporary table outlives the call in the session that ran it. On a
    // slave that session is the applier's, which replays every master
    // session's statements: the table would hide a real one of the same
    // name from the statements that follow, and fail the next call.
    if (IsKeyword(tokens[i], "TEMPORARY") &&
        (IsKeyword(tokens[i - 1], "CREATE") || IsKeyword(tokens[i - 1], "REPLACE"))) {
      return "the body creates a TEMPORARY table, which outlives the call in the session that ran it: on a "
             "slave that is the one session replaying every master session's statements, where it would hide "
             "a "
             "real table of the same name; use a real table";
    }
    if (IsKeyword(tokens[i], "LOAD") && i + 1 < tokens.size() &&
        (IsKeyword(tokens[i + 1], "DATA") || IsKeyword(tokens[i + 1], "XML"))) {
      return "the body runs LOAD DATA, which reads a file slaves do not have";
    }
  }
  return RefuseCommitInBody(tokens);
}

// A view's query runs at every read of it, where nothing is logged and the
// read may run on a slave: a stored function it calls could write
// unlogged there. Its body is what follows the first AS after VIEW (the
// name and column list come before).
std::string RefuseViewCallingFunctions(const std::vector<Token>& tokens) {
  size_t i = 0;
  while (i < tokens.size() && !IsKeyword(tokens[i], "VIEW")) ++i;
  while (i < tokens.size() && !IsKeyword(tokens[i], "AS")) ++i;
  if (i >= tokens.size()) return "";
  const std::vector<Token> body(tokens.begin() + static_cast<std::ptrdiff_t>(i) + 1, tokens.end());
  if (!CallsStoredFunction(body)) return "";
  return "this view calls a stored function, which would run at every read of the view, where ddb logs "
         "nothing (and reads may run on a slave): what the function writes would not replicate; call the "
         "function in the statements that read the view instead (nothing was changed)";
}

// DATA DIRECTORY and INDEX DIRECTORY name a path on the master's host: a
// slave's host may lack it, and servers sharing one host cannot hold the
// same file (MariaDB's own replicas ignore the option, NO_DIR_IN_CREATE).
// IMPORT TABLESPACE reads a file only the master's host has.
std::string RefuseHostFiles(const std::vector<Token>& tokens) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if ((IsKeyword(tokens[i], "DATA") || IsKeyword(tokens[i], "INDEX")) &&
        IsKeyword(tokens[i + 1], "DIRECTORY")) {
      return AsciiUpper(tokens[i].text) +
             " DIRECTORY names a path on the master's host, which a slave's host may lack (and servers on "
             "one host "
             "cannot share the file); leave it out, so each server keeps the table in its own data directory "
             "(nothing was changed)";
    }
    if (IsKeyword(tokens[i], "IMPORT") && IsKeyword(tokens[i + 1], "TABLESPACE")) {
      return "IMPORT TABLESPACE brings in a file from the master's data directory that ddb never logged, and "
             "that no slave has; load the rows with INSERT statements (nothing was changed)";
    }
  }
  return "";
}

// A routine of SQL SECURITY INVOKER runs as whoever calls it: on a slave,
// the applier's account, so CURRENT_USER in its body names another account
// there (one of SQL SECURITY DEFINER names its definer, the same on every
// node, as does a trigger).
std::string RefuseInvokerAccount(const std::vector<Token>& tokens) {
  size_t i = 0;
  while (i + 1 < tokens.size() && !(IsKeyword(tokens[i], "SECURITY") && IsKeyword(tokens[i + 1], "INVOKER")))
    ++i;
  for (; i < tokens.size(); ++i) {
    if (IsKeyword(tokens[i], "CURRENT_USER") || IsKeyword(tokens[i], "CURRENT_ROLE")) {
      return "the routine is SQL SECURITY INVOKER and its body reads " + AsciiUpper(tokens[i].text) +
             ", which a slave replaying a call would answer with its own account; make it SQL SECURITY "
             "DEFINER "
             "or pass the account in as a parameter";
    }
  }
  return "";
}

// A read that takes a sequence's next value (NEXTVAL(s), NEXT VALUE FOR s)
// or sets it (SETVAL) moves the sequence on the master alone: sequences are
// not transactional and each server caches its own block of values, so no
// replay of the read would leave a slave's sequence where the master's is,
// and a promoted slave would hand out the same values again.
std::string RefuseSequenceMoves(const std::vector<Token>& tokens) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    const bool call =
        (IsKeyword(tokens[i], "NEXTVAL") || IsKeyword(tokens[i], "SETVAL")) && IsOperator(tokens[i + 1], "(");
    const bool next_value = IsKeyword(tokens[i], "NEXT") && IsKeyword(tokens[i + 1], "VALUE");
    if (call || next_value) {
      return "a sequence's next value is taken on the master alone (sequences are not transactional and each "
             "server caches its own values), so slaves, and a slave promoted later, would hand out the same "
             "values again; ddb does not replicate sequence positions: use an AUTO_INCREMENT column, whose "
             "ids "
             "are logged (nothing was changed)";
    }
  }
  return "";
}

// Whether a SET asks for an isolation level below REPEATABLE READ, in any of
// its spellings and scopes: SET [GLOBAL|SESSION] TRANSACTION ISOLATION LEVEL
// READ COMMITTED, SET tx_isolation = 'READ-UNCOMMITTED', SET
// @@transaction_isolation = ... Replaying in commit order is only exact
// when InnoDB takes locking reads for INSERT ... SELECT and the like, which
// it does not below REPEATABLE READ (docs/architecture.md).
bool LowersIsolation(const std::vector<Token>& tokens) {
  bool mentions_isolation = false;
  bool weak_level = false;
  for (const Token& token : tokens) {
    const std::string value = AsciiUpper(TokenValue(token));
    if (value == "ISOLATION" || value == "TX_ISOLATION" || value == "TRANSACTION_ISOLATION") {
      mentions_isolation = true;
    }
    if (value.find("COMMITTED") != std::string::npos)
      weak_level = true;  // READ COMMITTED, 'READ-UNCOMMITTED'
  }
  return mentions_isolation && weak_level;
}

}  // namespace

bool IsCompoundVerb(std::string_view verb) { return Contains(kCompoundVerbs, verb); }

std::string RefusalForStoredBody(const std::vector<Token>& tokens, bool refuse_unsafe) {
  if (std::string refusal = RefuseUnloggableBody(tokens, true); !refusal.empty()) return refusal;
  if (std::string refusal = RefuseServerVariables(tokens); !refusal.empty()) return refusal;
  if (std::string table = ServerLocalTableIn(tokens); !table.empty()) {
    return "the body reads " + table +
           ", which is each server's own, so a slave replaying it would read its own";
  }
  const ReplayTraits traits = InspectForReplay(tokens);
  if (refuse_unsafe && !traits.unsafe_reason.empty())
    return "the body is unsafe for replication: " + traits.unsafe_reason;
  return "";
}

std::string RefusalFor(const ParsedStatement& statement) {
  const StatementInfo& info = statement.info;
  const std::vector<Token>& tokens = statement.tokens;
  if (tokens.size() > 2 && IsKeyword(tokens[0], "SET") && IsKeyword(tokens[1], "STATEMENT")) {
    for (const Token& token : tokens) {
      if (IsKeyword(token, "FOR")) break;
      if (IsKeyword(token, "SQL_MODE")) {
        return "SET STATEMENT sql_mode = ... FOR changes how the server reads quotes for one statement, so "
               "ddb "
               "could not judge it; SET sql_mode first, then run the statement";
      }
    }
  }
  switch (info.kind) {
    case StatementKind::kRead: return RefuseSequenceMoves(tokens);
    case StatementKind::kAdmin:
      if (info.verb == "DO") return RefuseSequenceMoves(tokens);  // DO NEXTVAL(s) runs on the master alone
      return RefuseLocal(info, tokens);
    case StatementKind::kDml: {
      if (info.verb == "LOAD" && !LocalInfileName(tokens)) {
        return "LOAD DATA without LOCAL reads a file on the master's host, which slaves cannot read; use "
               "LOAD DATA LOCAL INFILE (the client sends the file, and it travels with the log) or INSERT "
               "... VALUES batches (nothing was changed)";
      }
      if (Contains(kCompoundVerbs, info.verb)) {
        if (std::string refusal = RefuseUnloggableBody(tokens, false); !refusal.empty()) return refusal;
      }
      return RefuseServerVariables(tokens);
    }
    case StatementKind::kDdl: {
      if (info.object == "SERVER" && info.verb != "DROP" &&
          std::any_of(tokens.begin(), tokens.end(),
                      [](const Token& t) { return IsKeyword(t, "PASSWORD"); })) {
        return "a server definition's PASSWORD option has no hash form, so it would be logged in plain text; "
               "create the server on each node with the mariadb client";
      }
      if (info.object == "EVENT" && info.verb != "DROP") {
        return "events run inside the server, outside ddb's log: their writes would not replicate (and a "
               "copy on "
               "each slave would write on its own); schedule the statement from a client instead";
      }
      if (std::string refusal = RefuseNonTransactionalEngine(tokens); !refusal.empty()) return refusal;
      if (std::string refusal = RefuseHostFiles(tokens); !refusal.empty()) return refusal;
      if (info.object == "VIEW" && info.verb != "DROP") {
        if (std::string refusal = RefuseViewCallingFunctions(tokens); !refusal.empty()) return refusal;
      }
      if (Contains(kRoutineObjects, info.object)) {
        if (std::string refusal = RefuseUnloggableBody(tokens, true); !refusal.empty()) return refusal;
        if (std::string refusal = RefuseInvokerAccount(tokens); !refusal.empty()) return refusal;
      }
      return RefuseServerVariables(tokens);
    }
    case StatementKind::kSet:
      if (std::string refusal = RefuseSequenceMoves(tokens); !refusal.empty())
        return refusal;  // SET @v = NEXTVAL(s)
      if (LowersIsolation(tokens)) {
        return "ddb runs master sessions at REPEATABLE READ or SERIALIZABLE: below it, INSERT ... SELECT and "
               "other "
               "statements that read one table to write another could read rows a slave replaying in commit "
               "order "
               "would not see (nothing was changed)";
      }
      return RefuseNonTransactionalEngine(tokens);
    default: return "";
  }
}

}  // namespace ddb
