#include "temporary_tables.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "ddb/mysql/mysql_connection.h"
#include "insert_select.h"
#include "local_infile.h"
#include "statement_policy.h"
#include "table_names.h"
#include "written_tables.h"

namespace ddb {
namespace {

using Tokens = std::vector<Token>;

bool WordAt(const Tokens& t, size_t i, std::string_view upper) {
  return i < t.size() && IsKeyword(t[i], upper);
}
bool OperatorAt(const Tokens& t, size_t i, std::string_view op) {
  return i < t.size() && IsOperator(t[i], op);
}

bool IsTemporaryTableStatement(const StatementInfo& info) {
  return info.kind == StatementKind::kDdl && info.is_temporary && info.object == "TABLE" &&
         (info.verb == "CREATE" || info.verb == "DROP");
}

// The tables a DROP TABLE lists.
std::vector<TableName> DroppedTables(const Tokens& t) {
  std::vector<TableName> dropped;
  size_t i = 1;
  while (i < t.size() && !IsKeyword(t[i], "TABLE") && !IsKeyword(t[i], "TABLES")) ++i;
  i = SkipIfExists(t, i + 1);
  for (TableName name; ReadTableName(t, i, &name, &i);) {
    dropped.push_back(std::move(name));
    if (!OperatorAt(t, i, ",")) break;
    ++i;
  }
  return dropped;
}

// The one table an ALTER TABLE, TRUNCATE, CREATE INDEX or DROP INDEX
// changes; none for other statements.
std::optional<TableName> ChangedTable(const StatementInfo& info, const Tokens& t) {
  TableName name;
  bool found = false;
  if (info.verb == "ALTER" && info.object == "TABLE") found = NameAfter(t, "TABLE", &name);
  if (info.verb == "TRUNCATE") found = ReadTableName(t, WordAt(t, 1, "TABLE") ? 2 : 1, &name);
  if ((info.verb == "CREATE" || info.verb == "DROP") && info.object == "INDEX")
    found = NameAfter(t, "ON", &name);
  if (!found) return std::nullopt;
  return name;
}

// An UPDATE whose table references hold parentheses: UPDATE tmp JOIN (t)
// ... SET t.x = 1 may change a table WrittenTables does not list.
bool UpdatesParenthesizedJoin(const StatementInfo& info, const Tokens& t) {
  if (info.verb != "UPDATE") return false;
  for (size_t i = 1; i < t.size() && !IsKeyword(t[i], "SET"); ++i) {
    if (IsOperator(t[i], "(")) return true;
  }
  return false;
}

// ALTER TABLE ... RENAME [TO|AS] x (RENAME COLUMN, INDEX and KEY rename
// within the table).
bool RenamesTable(const Tokens& t) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (IsKeyword(t[i], "RENAME") && !WordAt(t, i + 1, "COLUMN") && !WordAt(t, i + 1, "INDEX") &&
        !WordAt(t, i + 1, "KEY")) {
      return true;
    }
  }
  return false;
}

}  // namespace

TemporaryTables::Decision TemporaryTables::Classify(const ParsedStatement& statement,
                                                    const std::string& database) const {
  const StatementInfo& info = statement.info;
  const Tokens& t = statement.tokens;
  const bool temporary_statement = IsTemporaryTableStatement(info);
  if (held_.empty() && !temporary_statement) return {};

  auto held = [&](const TableName& name) {
    return held_.count({name.schema.empty() ? database : name.schema, name.table}) != 0;
  };
  Decision local{.use = Use::kLocal};
  Decision refused{.use = Use::kRefused};
  if (temporary_statement) {
    if (!CallsStoredFunction(QueryOfDefinition(t))) return local;
    refused.refusal =
        "a statement on a temporary table that calls a stored function: ddb runs statements on temporary "
        "tables on the master alone, unlogged, and the function may write tables that replicate";
    return refused;
  }
  const std::string named = NamedIn(t);
  const bool runs_programs = info.kind == StatementKind::kRead || info.kind == StatementKind::kDml ||
                             info.kind == StatementKind::kSet || info.kind == StatementKind::kAdmin;
  if (runs_programs && (info.verb == "CALL" || IsCompoundVerb(info.verb) || CallsStoredFunction(t))) {
    // Logged and replayed with the program: the slaves have no such table.
    if (named.empty()) return {.use = Use::kCheckPrograms};
    refused.refusal = "the statement names " + QuoteIdentifier(named) +
                      ", a temporary table of this session, and runs a stored program: ddb replays such a "
                      "statement on the slaves, which do not have the table";
    return refused;
  }
  if (named.empty()) return {};

  refused.refusal = "the statement names " + QuoteIdentifier(named) +
                    ", a temporary table of this session: temporary tables stay on the master (ddb does not "
                    "replicate them), so a statement that reads one into tables that replicate, or changes "
                    "them together, could not be replayed on the slaves";
  switch (info.kind) {
    case StatementKind::kRead: return local;
    case StatementKind::kDml: {
      if (info.verb == "LOAD" && !LocalInfileName(t)) {
        refused.refusal =
            "LOAD DATA without LOCAL into " + QuoteIdentifier(named) +
            " would read a file on the master's host: send the client's file with LOAD DATA LOCAL";
        return refused;
      }
      const std::vector<TableName> written = WrittenTables(statement);
      if (!written.empty() && std::all_of(written.begin(), written.end(), held) &&
          !UpdatesParenthesizedJoin(info, t)) {
        return local;
      }
      refused.refusal += " (read its rows first and write them as values)";
      size_t query_start = 0;
      size_t query_end = 0;
      if (!written.empty() && std::none_of(written.begin(), written.end(), held) &&
          FindInsertQuery(t, &query_start, &query_end)) {
        refused.use = Use::kMaterialize;
      }
      return refused;
    }
    case StatementKind::kDdl: {
      local.commits_implicitly = true;
      if (info.verb == "DROP" && info.object == "TABLE") {
        const std::vector<TableName> dropped = DroppedTables(t);
        if (!dropped.empty() && std::all_of(dropped.begin(), dropped.end(), held)) return local;
        refused.refusal += " (drop temporary and other tables in separate statements)";
        return refused;
      }
      const std::optional<TableName> changed = ChangedTable(info, t);
      if (changed && held(*changed) && !RenamesTable(t)) return local;
      if (info.verb == "RENAME" || (changed && held(*changed))) {
        refused.refusal = "renaming " + QuoteIdentifier(named) +
                          ", a temporary table: not supported by ddb (create one under the new name)";
      }
      return refused;
    }
    default:
      // SET, LOCK TABLES, maintenance statements: they run on the master
      // and are never logged.
      return {};
  }
}

std::string TemporaryTables::NamedIn(const std::vector<Token>& tokens) const {
  if (held_.empty()) return "";
  for (const Token& token : tokens) {
    if (!IsName(token)) continue;
    const std::string upper = AsciiUpper(TokenValue(token));
    const auto same = [&](const Key& key) { return AsciiUpper(key.second) == upper; };
    if (const auto found = std::find_if(held_.begin(), held_.end(), same); found != held_.end()) {
      return found->second;
    }
  }
  return "";
}

std::vector<TemporaryTables::Key> TemporaryTables::Listed(const ParsedStatement& statement,
                                                          const std::string& database) {
  const StatementInfo& info = statement.info;
  const Tokens& t = statement.tokens;
  std::vector<TableName> names;
  if (info.verb == "CREATE" && IsTemporaryTableStatement(info)) {
    if (TableName created; NameAfter(t, "TABLE", &created)) names.push_back(std::move(created));
  } else if (info.verb == "DROP" && info.object == "TABLE") {
    names = DroppedTables(t);
  }
  std::vector<Key> keys;
  for (TableName& name : names) {
    keys.emplace_back(name.schema.empty() ? database : std::move(name.schema), std::move(name.table));
  }
  return keys;
}

void TemporaryTables::Learn(const ParsedStatement& statement, const std::string& database) {
  const bool creates = statement.info.verb == "CREATE";
  Recheck(statement, database, [creates](const std::string&, const std::string&) { return creates; });
}

void TemporaryTables::Recheck(
    const ParsedStatement& statement, const std::string& database,
    const std::function<bool(const std::string& schema, const std::string& table)>& is_temporary) {
  for (Key& key : Listed(statement, database)) {
    if (is_temporary(key.first, key.second)) {
      held_.insert(std::move(key));
    } else {
      held_.erase(key);
    }
  }
}

}  // namespace ddb
