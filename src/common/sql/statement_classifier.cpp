#include "ddb/sql/statement_classifier.h"

#include <algorithm>
#include <initializer_list>
#include <span>
#include <vector>

#include "ddb/base/word_list.h"
#include "ddb/sql/sql_lexer.h"

namespace ddb {
namespace {

using Tokens = std::span<const Token>;

struct VerbKind {
  std::string_view verb;
  StatementKind kind;
};

// Verbs whose first word alone decides the kind. Verbs that need a look at
// later words (SELECT, SET, BEGIN, LOCK, ...) are handled in Classify().
constexpr VerbKind kPlainVerbs[] = {
    {"SHOW", StatementKind::kRead},
    {"HELP", StatementKind::kRead},
    {"INSERT", StatementKind::kDml},
    {"UPDATE", StatementKind::kDml},
    {"DELETE", StatementKind::kDml},
    {"REPLACE", StatementKind::kDml},
    {"CALL", StatementKind::kDml},
    // MariaDB runs compound statements outside stored programs; their body
    // can do anything a CALL can.
    {"IF", StatementKind::kDml},
    {"CASE", StatementKind::kDml},
    {"LOOP", StatementKind::kDml},
    {"REPEAT", StatementKind::kDml},
    {"WHILE", StatementKind::kDml},
    {"FOR", StatementKind::kDml},
    {"COMMIT", StatementKind::kCommit},
    {"SAVEPOINT", StatementKind::kSavepoint},
    {"RELEASE", StatementKind::kSavepoint},
    {"FLUSH", StatementKind::kAdmin},
    {"OPTIMIZE", StatementKind::kAdmin},
    {"CHECK", StatementKind::kAdmin},
    {"CHECKSUM", StatementKind::kAdmin},
    {"REPAIR", StatementKind::kAdmin},
    {"KILL", StatementKind::kAdmin},
    {"PURGE", StatementKind::kAdmin},
    {"RESET", StatementKind::kAdmin},
    {"INSTALL", StatementKind::kAdmin},
    {"UNINSTALL", StatementKind::kAdmin},
    {"DO", StatementKind::kAdmin},
    {"HANDLER", StatementKind::kAdmin},
    {"XA", StatementKind::kAdmin},
    {"CACHE", StatementKind::kAdmin},
    {"SHUTDOWN", StatementKind::kAdmin},
    {"RESTART", StatementKind::kAdmin},
    {"CLONE", StatementKind::kAdmin},
    {"BINLOG", StatementKind::kAdmin},
    {"CHANGE", StatementKind::kAdmin},
    {"STOP", StatementKind::kAdmin},
    {"PREPARE", StatementKind::kAdmin},
    {"EXECUTE", StatementKind::kAdmin},
    {"DEALLOCATE", StatementKind::kAdmin},
    {"BACKUP", StatementKind::kAdmin},
    {"SIGNAL", StatementKind::kAdmin},
    {"RESIGNAL", StatementKind::kAdmin},
    {"GET", StatementKind::kAdmin},
    {"IMPORT", StatementKind::kAdmin},
};

constexpr std::string_view kDdlVerbs[] = {"CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME", "GRANT", "REVOKE"};

constexpr std::string_view kDdlObjects[] = {
    "TABLE",     "TABLES",  "DATABASE", "SCHEMA",   "INDEX",  "VIEW",       "USER",    "ROLE",    "FUNCTION",
    "PROCEDURE", "TRIGGER", "EVENT",    "SEQUENCE", "SERVER", "TABLESPACE", "LOGFILE", "PACKAGE", "INSTANCE"};

// Words that may sit between a DDL verb and its object: CREATE OR REPLACE
// UNIQUE INDEX, ALTER ONLINE IGNORE TABLE, CREATE AGGREGATE FUNCTION...
constexpr std::string_view kDdlModifiers[] = {"UNIQUE",  "FULLTEXT", "SPATIAL",   "ONLINE",
                                              "OFFLINE", "IGNORE",   "AGGREGATE", "NO_WRITE_TO_BINLOG",
                                              "LOCAL",   "UNDO"};

// Statements that open a compound block (MariaDB runs them outside routines).
constexpr std::string_view kCompoundVerbs[] = {"BEGIN", "IF", "CASE", "LOOP", "REPEAT", "WHILE", "FOR"};

// Objects whose body may be a BEGIN ... END block with ';' inside.
constexpr std::string_view kRoutineObjects[] = {"PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE"};

bool IsWord(Tokens t, std::size_t i, std::string_view upper_keyword) {
  return i < t.size() && IsKeyword(t[i], upper_keyword);
}

template <typename Words>
bool IsAnyWord(Tokens t, std::size_t i, const Words& upper_keywords) {
  return std::any_of(std::begin(upper_keywords), std::end(upper_keywords),
                     [&](std::string_view keyword) { return IsWord(t, i, keyword); });
}

bool IsAnyWord(Tokens t, std::size_t i, std::initializer_list<std::string_view> upper_keywords) {
  return IsAnyWord<std::initializer_list<std::string_view>>(t, i, upper_keywords);
}

bool IsOperator(Tokens t, std::size_t i, std::string_view op) {
  return i < t.size() && t[i].kind == TokenKind::kOperator && t[i].text == op;
}

// `t[i]` is "("; returns the index just past its matching ")" (or the end).
std::size_t SkipParentheses(Tokens t, std::size_t i) {
  int depth = 0;
  for (; i < t.size(); ++i) {
    if (IsOperator(t, i, "(")) ++depth;
    if (IsOperator(t, i, ")") && --depth == 0) return i + 1;
  }
  return t.size();
}

// Skips "FORMAT = JSON" of EXPLAIN/ANALYZE.
std::size_t SkipFormatOption(Tokens t, std::size_t i) {
  return IsWord(t, i, "FORMAT") && IsOperator(t, i + 1, "=") ? i + 3 : i;
}

// Skips a user such as 'app'@'%', `app`@localhost or CURRENT_USER().
std::size_t SkipUser(Tokens t, std::size_t i) {
  if (IsWord(t, i, "CURRENT_USER")) {
    ++i;
    return IsOperator(t, i, "(") && IsOperator(t, i + 1, ")") ? i + 2 : i;
  }
  ++i;
  if (IsOperator(t, i, "@")) i += 2;
  return std::min(i, t.size());
}

bool WritesFile(Tokens t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (IsWord(t, i, "INTO") && IsAnyWord(t, i + 1, {"OUTFILE", "DUMPFILE"})) return true;
  }
  return false;
}

StatementInfo Classify(Tokens t);

StatementInfo WithKind(StatementInfo info, StatementKind kind) {
  info.kind = kind;
  return info;
}

// SELECT, VALUES, TABLE: reads, unless they write a file on the server.
StatementInfo ClassifyQuery(StatementInfo info, Tokens t) {
  return WithKind(std::move(info), WritesFile(t) ? StatementKind::kAdmin : StatementKind::kRead);
}

// "(SELECT ...) UNION (SELECT ...)" and friends.
StatementInfo ClassifyParenthesized(StatementInfo info, Tokens t) {
  std::size_t i = 0;
  while (IsOperator(t, i, "(")) ++i;
  if (!IsAnyWord(t, i, {"SELECT", "WITH", "VALUES", "TABLE"})) {
    return WithKind(std::move(info), StatementKind::kUnknown);
  }
  StatementInfo inner = Classify(t.subspan(i));
  // "(SELECT 1) INTO OUTFILE 'f'": the INTO may follow the parentheses.
  if (inner.kind == StatementKind::kRead && WritesFile(t)) inner.kind = StatementKind::kAdmin;
  return inner;
}

// WITH [RECURSIVE] name [(columns)] AS (...) [, ...] <statement>: the kind is
// the statement's after the common table expressions.
StatementInfo ClassifyWith(StatementInfo info, Tokens t) {
  std::size_t i = IsWord(t, 1, "RECURSIVE") ? 2 : 1;
  while (true) {
    ++i;  // the name
    if (IsOperator(t, i, "(")) i = SkipParentheses(t, i);
    if (!IsWord(t, i, "AS") || !IsOperator(t, i + 1, "("))
      return WithKind(std::move(info), StatementKind::kUnknown);
    i = SkipParentheses(t, i + 1);
    if (!IsOperator(t, i, ",")) break;
    ++i;
  }
  const StatementInfo inner = Classify(t.subspan(i));
  return WithKind(std::move(info),
                  inner.kind == StatementKind::kEmpty ? StatementKind::kUnknown : inner.kind);
}

// EXPLAIN/DESCRIBE only plan a statement, except MySQL's EXPLAIN ANALYZE, which
// runs it.
StatementInfo ClassifyExplain(StatementInfo info, Tokens t) {
  std::size_t i = 1;
  while (IsAnyWord(t, i, {"EXTENDED", "PARTITIONS"})) ++i;
  i = SkipFormatOption(t, i);
  if (IsWord(t, i, "ANALYZE")) {
    const StatementInfo inner = Classify(t.subspan(SkipFormatOption(t, i + 1)));
    if (inner.kind == StatementKind::kDml || inner.kind == StatementKind::kDdl ||
        inner.kind == StatementKind::kAdmin) {
      return WithKind(std::move(info), inner.kind);
    }
  }
  return WithKind(std::move(info), StatementKind::kRead);
}

// ANALYZE TABLE maintains statistics; MariaDB's ANALYZE <statement> runs the
// statement and reports on it, so ANALYZE DELETE deletes.
StatementInfo ClassifyAnalyze(StatementInfo info, Tokens t) {
  const std::size_t i = SkipFormatOption(t, 1);
  if (i >= t.size() || IsAnyWord(t, i, {"TABLE", "TABLES", "NO_WRITE_TO_BINLOG", "LOCAL"})) {
    return WithKind(std::move(info), StatementKind::kAdmin);
  }
  const StatementInfo inner = Classify(t.subspan(i));
  const bool runs = inner.kind == StatementKind::kRead || inner.kind == StatementKind::kDml;
  return WithKind(std::move(info), runs ? inner.kind : StatementKind::kAdmin);
}

// Whether assignment `i` of a SET (just after SET or a top-level ',') reaches
// beyond the session: GLOBAL x=1, PERSIST x=1, @@global.x=1.
bool AssignsGlobal(Tokens t, std::size_t i) {
  constexpr std::string_view kScopes[] = {"GLOBAL", "PERSIST", "PERSIST_ONLY"};
  if (IsAnyWord(t, i, kScopes)) return true;
  return IsOperator(t, i, "@@") && IsAnyWord(t, i + 1, kScopes) && IsOperator(t, i + 2, ".");
}

StatementInfo ClassifySet(StatementInfo info, Tokens t) {
  if (IsWord(t, 1, "STATEMENT")) {
    // MariaDB's SET STATEMENT var=value FOR <statement> runs <statement>.
    int depth = 0;
    for (std::size_t i = 2; i < t.size(); ++i) {
      if (IsOperator(t, i, "(")) ++depth;
      if (IsOperator(t, i, ")")) --depth;
      if (depth == 0 && IsWord(t, i, "FOR")) {
        StatementInfo inner = Classify(t.subspan(i + 1));
        return inner.kind == StatementKind::kEmpty ? WithKind(std::move(info), StatementKind::kUnknown)
                                                   : inner;
      }
    }
    return WithKind(std::move(info), StatementKind::kSet);
  }
  // Changing an account commits implicitly like GRANT does.
  if (IsWord(t, 1, "PASSWORD")) {
    info.object = "PASSWORD";
    return WithKind(std::move(info), StatementKind::kDdl);
  }
  if (IsWord(t, 1, "DEFAULT") && IsWord(t, 2, "ROLE")) {
    info.object = "ROLE";
    return WithKind(std::move(info), StatementKind::kDdl);
  }
  int depth = 0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (IsOperator(t, i, "(")) ++depth;
    if (IsOperator(t, i, ")")) --depth;
    const bool starts_assignment = i == 1 || (depth == 0 && IsOperator(t, i - 1, ","));
    if (starts_assignment && AssignsGlobal(t, i)) info.sets_global_state = true;
  }
  return WithKind(std::move(info), StatementKind::kSet);
}

StatementInfo ClassifyDdl(StatementInfo info, Tokens t) {
  info.kind = StatementKind::kDdl;
  if (info.verb == "GRANT" || info.verb == "REVOKE") return info;
  // DROP PREPARE is DEALLOCATE PREPARE: it touches no schema.
  if (info.verb == "DROP" && IsWord(t, 1, "PREPARE")) return WithKind(std::move(info), StatementKind::kAdmin);
  std::size_t i = 1;
  while (i < t.size()) {
    if (IsWord(t, i, "OR") && IsWord(t, i + 1, "REPLACE")) {
      i += 2;
    } else if (IsWord(t, i, "TEMPORARY")) {
      info.is_temporary = true;
      ++i;
    } else if (IsAnyWord(t, i, kDdlModifiers)) {
      ++i;
    } else if (IsWord(t, i, "ALGORITHM") && IsOperator(t, i + 1, "=")) {
      i += 3;
    } else if (IsWord(t, i, "SQL") && IsWord(t, i + 1, "SECURITY")) {
      i += 3;
    } else if (IsWord(t, i, "DEFINER") && IsOperator(t, i + 1, "=")) {
      i = SkipUser(t, i + 2);
    } else {
      break;
    }
  }
  if (i < t.size() && t[i].kind == TokenKind::kWord) {
    const std::string word = AsciiUpper(t[i].text);
    if (Contains(kDdlObjects, word)) info.object = word == "TABLES" ? "TABLE" : word;
  }
  if (info.object.empty() && info.verb == "TRUNCATE") info.object = "TABLE";  // TRUNCATE t
  return info;
}

// Classifies one statement: `t` holds no top-level ';'.
StatementInfo Classify(Tokens t) {
  StatementInfo info;
  if (t.empty()) return info;
  if (IsOperator(t, 0, "(")) return ClassifyParenthesized(std::move(info), t);
  if (t[0].kind != TokenKind::kWord) return WithKind(std::move(info), StatementKind::kUnknown);
  info.verb = AsciiUpper(t[0].text);
  const std::string verb = info.verb;
  for (const VerbKind& plain : kPlainVerbs) {
    if (plain.verb == verb) return WithKind(std::move(info), plain.kind);
  }
  if (Contains(kDdlVerbs, verb)) return ClassifyDdl(std::move(info), t);
  if (verb == "SELECT" || verb == "VALUES" || verb == "TABLE") return ClassifyQuery(std::move(info), t);
  if (verb == "WITH") return ClassifyWith(std::move(info), t);
  if (verb == "EXPLAIN" || verb == "DESCRIBE" || verb == "DESC") return ClassifyExplain(std::move(info), t);
  if (verb == "ANALYZE") return ClassifyAnalyze(std::move(info), t);
  if (verb == "SET") return ClassifySet(std::move(info), t);
  if (verb == "BEGIN") {
    if (t.size() == 1 || (t.size() == 2 && IsWord(t, 1, "WORK"))) {
      return WithKind(std::move(info), StatementKind::kBegin);
    }
    const bool compound = IsWord(t, 1, "NOT") && IsWord(t, 2, "ATOMIC");
    return WithKind(std::move(info), compound ? StatementKind::kDml : StatementKind::kUnknown);
  }
  if (verb == "START") {
    return WithKind(std::move(info),
                    IsWord(t, 1, "TRANSACTION") ? StatementKind::kBegin : StatementKind::kAdmin);
  }
  if (verb == "ROLLBACK") {
    const std::size_t i = IsWord(t, 1, "WORK") ? 2 : 1;
    return WithKind(std::move(info),
                    IsWord(t, i, "TO") ? StatementKind::kSavepoint : StatementKind::kRollback);
  }
  if (verb == "USE") {
    if (t.size() > 1) info.use_database = TokenValue(t[1]);
    return WithKind(std::move(info), StatementKind::kUse);
  }
  if (verb == "LOCK" || verb == "UNLOCK") {
    const bool tables = IsAnyWord(t, 1, {"TABLE", "TABLES"});
    return WithKind(std::move(info), tables ? StatementKind::kLockTables : StatementKind::kAdmin);
  }
  if (verb == "LOAD") {
    const bool data = IsAnyWord(t, 1, {"DATA", "XML"});
    return WithKind(std::move(info), data ? StatementKind::kDml : StatementKind::kAdmin);
  }
  return WithKind(std::move(info), StatementKind::kUnknown);
}

// Stored programs and compound blocks keep their inner ';' to themselves.
bool MayHoldCompoundBody(const StatementInfo& info) {
  if (info.kind == StatementKind::kDdl) return Contains(kRoutineObjects, info.object);
  return info.kind == StatementKind::kDml && Contains(kCompoundVerbs, info.verb);
}

// Whether the word at `i` opens a block that END <word> closes: IF ...
// THEN (not the IF(a, b, c) function, nor a DDL's IF [NOT] EXISTS), LOOP,
// WHILE, REPEAT (not the REPEAT() function) and FOR x IN (not FOR UPDATE,
// FOR EACH ROW, SET STATEMENT ... FOR). A program's body may be one of
// them without BEGIN: CREATE PROCEDURE p() IF x THEN ...; END IF.
bool OpensEndedBlock(Tokens t, std::size_t i) {
  if (IsAnyWord(t, i, {"LOOP", "WHILE"})) return true;
  if (IsWord(t, i, "REPEAT")) return !(i + 1 < t.size() && IsOperator(t[i + 1], "("));
  if (IsWord(t, i, "FOR")) return IsWord(t, i + 2, "IN");
  if (!IsWord(t, i, "IF")) return false;
  int depth = 0;
  for (std::size_t j = i + 1; j < t.size() && t[j].kind != TokenKind::kSemicolon; ++j) {
    if (IsOperator(t[j], "(")) ++depth;
    if (IsOperator(t[j], ")") && --depth < 0) return false;
    // A comma directly inside the parentheses right after IF: IF(a, b, c).
    if (depth == 1 && IsOperator(t[j], ",") && IsOperator(t[i + 1], "(")) return false;
    if (depth == 0 && IsWord(t, j, "THEN")) return true;
  }
  return false;
}

// Index of the ';' ending a statement that starts at `begin`, counting
// BEGIN ... END, CASE ... END [CASE] and IF/LOOP/WHILE/REPEAT/FOR ... END
// IF/LOOP/... nesting (a CASE expression ends at END, a CASE statement at
// END CASE; either way END and its word close one).
std::size_t CompoundEnd(Tokens t, std::size_t begin) {
  int depth = 0;
  for (std::size_t i = begin; i < t.size(); ++i) {
    if (t[i].kind == TokenKind::kSemicolon && depth == 0) return i;
    if (IsAnyWord(t, i, {"BEGIN", "CASE"}) || OpensEndedBlock(t, i)) ++depth;
    if (IsWord(t, i, "END") && depth > 0) {
      --depth;
      if (IsAnyWord(t, i + 1, {"CASE", "IF", "LOOP", "WHILE", "REPEAT", "FOR"})) ++i;
    }
  }
  return t.size();
}

}  // namespace

const char* StatementKindName(StatementKind kind) {
  switch (kind) {
    case StatementKind::kEmpty: return "empty";
    case StatementKind::kRead: return "read";
    case StatementKind::kDml: return "dml";
    case StatementKind::kDdl: return "ddl";
    case StatementKind::kBegin: return "begin";
    case StatementKind::kCommit: return "commit";
    case StatementKind::kRollback: return "rollback";
    case StatementKind::kSavepoint: return "savepoint";
    case StatementKind::kUse: return "use";
    case StatementKind::kSet: return "set";
    case StatementKind::kLockTables: return "lock_tables";
    case StatementKind::kAdmin: return "admin";
    case StatementKind::kUnknown: return "unknown";
  }
  return "?";
}

StatementInfo ClassifyStatement(std::string_view sql, LexMode mode) {
  return ClassifyTokens(Tokenize(sql, false, mode));
}

StatementInfo ClassifyTokens(const std::vector<Token>& lexed) {
  bool incomplete = false;
  std::vector<Token> tokens;
  tokens.reserve(lexed.size());
  for (const Token& token : lexed) {
    incomplete = incomplete || token.unterminated;
    if (token.kind != TokenKind::kComment) tokens.push_back(token);
  }
  const Tokens all(tokens);
  std::size_t begin = 0;
  while (begin < all.size() && all[begin].kind == TokenKind::kSemicolon) ++begin;
  StatementInfo info;
  const std::size_t end = StatementEnd(all, begin, &info);
  info.has_multiple_statements =
      std::any_of(all.begin() + static_cast<std::ptrdiff_t>(end), all.end(),
                  [](const Token& token) { return token.kind != TokenKind::kSemicolon; });
  info.incomplete = incomplete;
  return info;
}

std::size_t StatementEnd(std::span<const Token> tokens, std::size_t begin, StatementInfo* info) {
  std::size_t end = begin;
  while (end < tokens.size() && tokens[end].kind != TokenKind::kSemicolon) ++end;
  StatementInfo classified = Classify(tokens.subspan(begin, end - begin));
  if (MayHoldCompoundBody(classified)) end = CompoundEnd(tokens, begin);
  if (info != nullptr) *info = std::move(classified);
  return end;
}

bool IsAllowedOnReadOnlyConsole(const StatementInfo& info) {
  if (info.has_multiple_statements || info.incomplete) return false;
  switch (info.kind) {
    case StatementKind::kEmpty:
    case StatementKind::kRead:
    case StatementKind::kUse: return true;
    case StatementKind::kSet: return !info.sets_global_state;
    default: return false;
  }
}

}  // namespace ddb
