#include "read_routing_rules.h"

#include <algorithm>
#include <cctype>
#include <span>

#include "ddb/mysql/replay_session.h"
#include "ddb/sql/replay_safety.h"

namespace ddb {
namespace {

// SHOW forms about the schema, which every node has the same of. The others
// (STATUS, PROCESSLIST, WARNINGS, TABLE STATUS, VARIABLES...) are about one
// server or this session.
constexpr std::string_view kRoutedShows[] = {"TABLES", "DATABASES", "SCHEMAS", "COLUMNS",
                                             "FIELDS", "INDEX",     "INDEXES", "KEYS"};
constexpr std::string_view kRoutedFullShows[] = {"TABLES", "COLUMNS", "FIELDS"};

// Schemas that describe one server (its sessions, counters, row estimates,
// accounts' internals): the master's answer is the one asked for.
constexpr std::string_view kServerSchemas[] = {"INFORMATION_SCHEMA", "PERFORMANCE_SCHEMA", "MYSQL", "SYS",
                                               "DDB_META"};

// Words that make a read act on the master's session or rows: locking reads
// (FOR UPDATE, LOCK IN SHARE MODE), SELECT ... INTO, and
// SQL_CALC_FOUND_ROWS, whose count a later FOUND_ROWS() reads on the master.
constexpr std::string_view kMasterWords[] = {"FOR", "LOCK", "INTO", "SQL_CALC_FOUND_ROWS"};

// Session variables a SET may change without pinning reads to the master:
// those besides ReplicatedVariables() that change nothing a read returns
// (timeouts, transaction settings: transactions stay on the master), and
// character_set_results, which routed reads carry.
constexpr std::string_view kHarmlessVariables[] = {"autocommit",
                                                   "character_set_results",
                                                   "character_set_connection",
                                                   "wait_timeout",
                                                   "interactive_timeout",
                                                   "net_read_timeout",
                                                   "net_write_timeout",
                                                   "net_retry_count",
                                                   "lock_wait_timeout",
                                                   "innodb_lock_wait_timeout",
                                                   "tx_isolation",
                                                   "transaction_isolation",
                                                   "tx_read_only",
                                                   "transaction_read_only",
                                                   "sql_notes",
                                                   "sql_warnings",
                                                   "session_track_schema",
                                                   "session_track_state_change",
                                                   "session_track_system_variables",
                                                   "session_track_transaction_info"};

// SET forms that name no variable: SET NAMES / CHARACTER SET (their
// variables travel with routed reads), SET TRANSACTION (transactions stay on
// the master), SET PASSWORD / ROLE / DEFAULT ROLE (accounts, not results).
constexpr std::string_view kHarmlessSetWords[] = {"names",    "character", "charset", "transaction",
                                                  "password", "role",      "default"};

bool ListHas(std::span<const std::string_view> list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

bool IsRoutingOperator(const Token& token, std::string_view op) {
  return token.kind == TokenKind::kOperator && token.text == op;
}

bool IsNameOrQuoted(const Token& token) {
  return token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedIdentifier;
}

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool RoutedShow(const std::vector<Token>& tokens) {
  if (tokens.size() < 2) return false;
  for (std::string_view word : kRoutedShows) {
    if (IsKeyword(tokens[1], word)) return true;
  }
  if (IsKeyword(tokens[1], "CREATE")) return true;  // SHOW CREATE TABLE / VIEW / DATABASE ...
  if (IsKeyword(tokens[1], "FULL") && tokens.size() > 2) {
    for (std::string_view word : kRoutedFullShows) {
      if (IsKeyword(tokens[2], word)) return true;
    }
  }
  return false;
}

bool AllowedVariable(const std::string& name) {
  const auto& replicated = ReplicatedVariables();
  return ListHas(kHarmlessVariables, name) ||
         std::any_of(replicated.begin(), replicated.end(),
                     [&](const ReplicatedVariable& variable) { return name == variable.name; });
}

}  // namespace

bool HasMasterHint(std::string_view sql, LexMode mode) {
  // Cheap first: most statements have no such text at all.
  const std::string lowered = LowerAscii(std::string(sql));
  if (lowered.find(kMasterHint) == std::string::npos) return false;
  for (const Token& token : Tokenize(sql, true, mode)) {
    if (token.kind == TokenKind::kComment &&
        LowerAscii(std::string(token.text)).find(kMasterHint) != std::string::npos) {
      return true;
    }
  }
  return false;
}

bool IsRoutableRead(std::string_view sql, const ParsedStatement& parsed) {
  const StatementInfo& info = parsed.info;
  const std::vector<Token>& tokens = parsed.tokens;
  if (info.kind != StatementKind::kRead) return false;
  if (info.verb == "SHOW") {
    if (!RoutedShow(tokens)) return false;
  } else if (info.verb != "SELECT" && info.verb != "DESCRIBE" && info.verb != "DESC" &&
             info.verb != "EXPLAIN") {
    return false;
  }
  for (const Token& token : tokens) {
    // @variables and @@variables are this session's (or this server's).
    if (token.kind == TokenKind::kOperator && (token.text == "@" || token.text == "@@")) return false;
    if (!IsNameOrQuoted(token)) continue;
    const std::string upper = AsciiUpper(TokenValue(token));
    if (token.kind == TokenKind::kWord && ListHas(kMasterWords, upper)) return false;
    if (ListHas(kServerSchemas, upper)) return false;
  }
  const ReplayTraits traits = InspectForReplay(tokens);
  // unsafe_reason names the functions whose value depends on the server or
  // session (CONNECTION_ID(), FOUND_ROWS(), GET_LOCK(), VERSION()...).
  if (!traits.unsafe_reason.empty() || traits.uses_last_insert_id || traits.uses_rand) return false;
  return !HasMasterHint(sql);
}

std::string SetKeepsReadsOnMaster(const std::vector<Token>& tokens) {
  size_t i = 1;
  // SET STATEMENT ... FOR: the settings last for that one statement.
  if (i < tokens.size() && IsKeyword(tokens[i], "STATEMENT")) return "";
  while (i < tokens.size()) {
    bool global = false;
    if (IsKeyword(tokens[i], "GLOBAL") || IsKeyword(tokens[i], "PERSIST") ||
        IsKeyword(tokens[i], "PERSIST_ONLY")) {
      global = true;
      ++i;
    } else if (IsKeyword(tokens[i], "SESSION") || IsKeyword(tokens[i], "LOCAL")) {
      ++i;
    }
    std::string name;
    bool user_variable = false;
    if (i < tokens.size() && IsRoutingOperator(tokens[i], "@")) {
      user_variable = true;  // reads of @variables stay on the master anyway
    } else if (i < tokens.size() && IsRoutingOperator(tokens[i], "@@")) {
      ++i;
      if (i + 1 < tokens.size() && IsRoutingOperator(tokens[i + 1], ".")) {
        global = IsKeyword(tokens[i], "GLOBAL");
        i += 2;
      }
    }
    if (!user_variable && i < tokens.size() && IsNameOrQuoted(tokens[i]))
      name = LowerAscii(TokenValue(tokens[i]));
    if (!user_variable && !global && !ListHas(kHarmlessSetWords, name) && !AllowedVariable(name)) {
      return name.empty() ? "SET" : name;
    }
    // The next assignment starts after a comma outside parentheses.
    int depth = 0;
    for (; i < tokens.size(); ++i) {
      if (IsRoutingOperator(tokens[i], "(")) ++depth;
      if (IsRoutingOperator(tokens[i], ")")) --depth;
      if (depth == 0 && IsRoutingOperator(tokens[i], ",")) break;
    }
    ++i;
  }
  return "";
}

}  // namespace ddb
