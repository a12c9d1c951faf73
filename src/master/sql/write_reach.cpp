#include "write_reach.h"

#include <map>
#include <set>
#include <tuple>

#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/sql_lexer.h"
#include "program_ids.h"
#include "statement_policy.h"
#include "written_tables.h"

namespace ddb {
namespace {

using Key = std::pair<std::string, std::string>;  // (schema, name)

// A table or a routine on the way; tables and routines have names of their own.
struct Node {
  bool routine = false;
  Key key;
  bool operator<(const Node& other) const {
    return std::tie(routine, key) < std::tie(other.routine, other.key);
  }
};

std::string Quoted(const Key& key) { return QuoteIdentifier(key.first) + "." + QuoteIdentifier(key.second); }

bool IsName(const std::vector<Token>& t, size_t i) {
  return i < t.size() && (t[i].kind == TokenKind::kQuotedIdentifier || t[i].kind == TokenKind::kWord);
}
bool IsDot(const std::vector<Token>& t, size_t i) {
  return i < t.size() && t[i].kind == TokenKind::kOperator && t[i].text == ".";
}

// Every `a`.`b` of a view's definition, and the first two parts of every
// `a`.`b`.`c`: MariaDB stores a view with its tables qualified, so these
// hold every table it reads. Columns written `t`.`c` come along too; such a
// pair names no table, or one the view reads anyway. And the functions it
// calls.
std::vector<Node> ViewReaches(const std::string& definition) {
  const std::vector<Token> t = Tokenize(definition);
  std::vector<Node> nodes;
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    if ((i > 0 && IsDot(t, i - 1)) || !IsName(t, i) || !IsDot(t, i + 1) || !IsName(t, i + 2)) continue;
    nodes.push_back({false, {TokenValue(t[i]), TokenValue(t[i + 2])}});
  }
  for (const RoutineName& called : StoredFunctionsCalled(t)) {
    if (!called.schema.empty()) nodes.push_back({true, {called.schema, called.name}});
  }
  return nodes;
}

// What a trigger's or routine's body writes and calls, unqualified names in
// the program's schema.
// `tokens` start with a word before the body: TablesWrittenInBody looks
// past the first token (the CREATE of a program), and a trigger's body may
// start with its write.
std::vector<Node> BodyReaches(const std::string& schema, const std::vector<Token>& tokens,
                              std::set<Key>* inserted) {
  for (const TableName& name : InsertTargets(tokens)) {
    inserted->insert({name.schema.empty() ? schema : name.schema, name.table});
  }
  std::vector<Node> nodes;
  for (const TableName& name : TablesWrittenInBody(tokens)) {
    nodes.push_back({false, {name.schema.empty() ? schema : name.schema, name.table}});
  }
  for (const std::vector<RoutineName>& routines : {ProceduresCalled(tokens), StoredFunctionsCalled(tokens)}) {
    for (const RoutineName& called : routines) {
      nodes.push_back({true, {called.schema.empty() ? schema : called.schema, called.name}});
    }
  }
  return nodes;
}

// One round trip for a level: each table's type and engine, each view's
// definition, each table's trigger bodies, each routine's body and the
// AUTO_INCREMENT column of each table a body inserts into, rows tagged T,
// V, G, R and C. An equality on both names lets MariaDB open just those
// objects.
Status AskCatalog(SqlConnection& connection, const std::vector<Node>& level, const std::set<Key>& inserted,
                  QueryResult* rows) {
  std::string sql;
  std::vector<SqlParam> params;
  auto add = [&](bool routines, const char* select, bool inserted_only = false) {
    for (const Node& node : level) {
      if (node.routine != routines || (inserted_only && inserted.count(node.key) == 0)) continue;
      sql += sql.empty() ? "" : " UNION ALL ";
      sql += select;
      params.emplace_back(node.key.first);
      params.emplace_back(node.key.second);
    }
  };
  add(false,
      "SELECT 'T', TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_TYPE FROM information_schema.TABLES WHERE "
      "TABLE_SCHEMA = ? AND TABLE_NAME = ?");
  add(false,
      "SELECT 'V', TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, NULL FROM information_schema.VIEWS WHERE "
      "TABLE_SCHEMA = ? AND TABLE_NAME = ?");
  add(false,
      "SELECT 'G', TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, ACTION_STATEMENT, TRIGGER_NAME FROM "
      "information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?");
  add(true,
      "SELECT 'R', ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_DEFINITION, ROUTINE_TYPE FROM "
      "information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_NAME = ?");
  add(false,
      "SELECT 'C', TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, NULL FROM information_schema.COLUMNS WHERE "
      "TABLE_SCHEMA = ? AND TABLE_NAME = ? AND EXTRA LIKE '%auto_increment%'",
      /*inserted_only=*/true);
  return connection.ExecuteWithParams(sql, params, rows);
}

}  // namespace

Status FindNonTransactionalReach(SqlConnection& connection, const WriteStart& start, bool refuse_unsafe,
                                 NonTransactionalTable* found) {
  *found = {};
  std::vector<Node> level;
  for (const Key& table : start.tables) level.push_back({false, table});
  for (const Key& routine : start.routines) level.push_back({true, routine});
  std::set<Node> seen(level.begin(), level.end());
  std::map<Node, std::string> path;  // how the statement reaches each node; none for its own
  std::set<Key> inserted;            // tables a body on the way inserts into
  for (int depth = 0; !level.empty(); ++depth) {
    if (depth == kMaxWriteReachDepth) {
      return Status::Refused("the statement reaches more than " + std::to_string(kMaxWriteReachDepth) +
                             " levels of views, triggers and routines; ddb cannot check what it changes");
    }
    QueryResult rows;
    if (Status s = AskCatalog(connection, level, inserted, &rows); !s.ok()) return s;
    std::vector<Node> next;
    auto reach = [&](const Node& from, const std::string& how, std::vector<Node> nodes) {
      for (Node& node : nodes) {
        if (!seen.insert(node).second) continue;
        path[node] = (path.count(from) ? path[from] + ", " : "") + how;
        next.push_back(std::move(node));
      }
    };
    for (const auto& row : rows.rows) {
      const std::string tag = row.at(0).value_or("");
      const Key key{row.at(1).value_or(""), row.at(2).value_or("")};
      const Node table{false, key};
      const std::string value = row.at(3).value_or("");
      if (tag == "T" && row.at(4).value_or("") != "VIEW" && row.at(3) && value != "InnoDB") {
        found->table = Quoted(key);
        found->engine = value;
        if (path.count(table)) found->path = " (written through " + path[table] + ")";
        return Status::Ok();
      }
      if (tag == "C") {
        return Status::Refused(
            Quoted(key) + " (reached through " + path[table] + ") has an AUTO_INCREMENT column, " + value +
            ", that a program on the way inserts into: ids generated inside a program come from each "
            "server's "
            "own counter, which rolled-back inserts and concurrent transactions move differently, so a slave "
            "would store other ids; re-create the program through ddb to be told what to change");
      }
      if (tag == "V") {
        if (value.empty()) {
          return Status::Refused(
              "ddb cannot see the definition of view " + Quoted(key) +
              " to check what a write through it changes: the account needs SHOW VIEW on it");
        }
        reach(table, "view " + Quoted(key), ViewReaches(value));
      }
      if (tag == "G" || (tag == "R" && !value.empty())) {
        const Node from = tag == "G" ? table : Node{true, key};
        const std::string what = tag == "G" ? "trigger " + Quoted({key.first, row.at(4).value_or("")})
                                 : row.at(4).value_or("") == "FUNCTION" ? "function " + Quoted(key)
                                                                        : "procedure " + Quoted(key);
        // The tokens point into it. A trigger's body is read as its CREATE
        // would be: whatever it computes goes into the write that fires it,
        // so the checks of a write apply to all of it (replay_safety.h).
        const std::string text = (tag == "G" ? "CREATE TRIGGER " : "BEGIN ") + value;
        const std::vector<Token> body = Tokenize(text);
        if (std::string refusal = RefusalForStoredBody(body, refuse_unsafe); !refusal.empty()) {
          const std::string via = path.count(from) ? " (reached through " + path[from] + ")" : "";
          return Status::Refused(
              what + via + " cannot be replayed: " + refusal +
              "; ddb checks a program made through it when it is created, and this one was "
              "not: re-create it through ddb to be told what to change");
        }
        reach(from, what, BodyReaches(key.first, body, &inserted));
      }
    }
    level = std::move(next);
  }
  return Status::Ok();
}

}  // namespace ddb
