#include "ddb/sql/row_order.h"

#include <string_view>

namespace ddb {
namespace {

// One data-changing statement: tokens [begin, end), begin its verb.
struct DmlStatement {
  size_t begin;
  size_t end;
  std::string verb;  // INSERT, REPLACE, UPDATE or DELETE
};

bool IsFunctionCall(const std::vector<Token>& tokens, size_t i) {
  return i + 1 < tokens.size() && IsOperator(tokens[i + 1], "(") && tokens[i + 1].offset == tokens[i].end();
}

// Whether the verb word at `i` starts a statement, rather than naming a
// privilege (GRANT INSERT, UPDATE ON), a trigger's event (BEFORE UPDATE),
// a foreign key's action (ON DELETE), a locking read (FOR UPDATE), ON
// DUPLICATE KEY UPDATE, a column after a '.', a function (INSERT(),
// REPLACE()), CREATE OR REPLACE, or CREATE TABLE's REPLACE [AS] SELECT.
bool StartsStatement(const std::vector<Token>& tokens, size_t i, std::string_view verb) {
  if (IsFunctionCall(tokens, i)) return false;
  if (i > 0) {
    const Token& before = tokens[i - 1];
    for (const char* word : {"ON", "KEY", "FOR", "BEFORE", "AFTER", "GRANT", "REVOKE", "OR"}) {
      if (IsKeyword(before, word)) return false;
    }
    if (IsOperator(before, ",") || IsOperator(before, ".")) return false;
  }
  if (verb == "REPLACE" && i + 1 < tokens.size() &&
      (IsKeyword(tokens[i + 1], "SELECT") || IsKeyword(tokens[i + 1], "AS") ||
       IsOperator(tokens[i + 1], "("))) {
    return false;
  }
  return true;
}

std::vector<DmlStatement> DmlStatements(const std::vector<Token>& tokens) {
  std::vector<DmlStatement> found;
  if (!tokens.empty() && (IsKeyword(tokens[0], "GRANT") || IsKeyword(tokens[0], "REVOKE"))) return found;
  for (size_t i = 0; i < tokens.size(); ++i) {
    // Compared in place: this runs for every write, and most words are none of these.
    std::string verb;
    for (const char* dml : {"INSERT", "REPLACE", "UPDATE", "DELETE"}) {
      if (IsKeyword(tokens[i], dml)) verb = dml;
    }
    if (verb.empty()) continue;
    if (!StartsStatement(tokens, i, verb)) continue;
    // It ends at its ';', or where a parenthesis it did not open closes.
    size_t end = i + 1;
    for (int depth = 0; end < tokens.size(); ++end) {
      if (IsOperator(tokens[end], "(")) ++depth;
      if (IsOperator(tokens[end], ")") && --depth < 0) break;
      if (depth == 0 && tokens[end].kind == TokenKind::kSemicolon) break;
    }
    found.push_back({i, end, verb});
    i = end;
  }
  return found;
}

// IGNORE that is not an index hint (IGNORE INDEX/KEY).
bool IsIgnoreModifier(const std::vector<Token>& tokens, size_t i) {
  return IsKeyword(tokens[i], "IGNORE") &&
         !(i + 1 < tokens.size() && (IsKeyword(tokens[i + 1], "INDEX") || IsKeyword(tokens[i + 1], "KEY")));
}

struct Shape {
  bool limit = false;
  bool order_by = false;
  bool select = false;  // INSERT/REPLACE ... SELECT: its rows come from a query
  bool ignore = false;  // IGNORE among the verb's modifiers
  bool on_duplicate = false;
};

Shape ShapeOf(const std::vector<Token>& tokens, const DmlStatement& statement) {
  Shape shape;
  bool values = false;  // VALUES, VALUE or SET: the rows are written out, not read
  int depth = 0;
  for (size_t i = statement.begin + 1; i < statement.end; ++i) {
    const Token& token = tokens[i];
    if (IsOperator(token, "(")) ++depth;
    if (IsOperator(token, ")")) --depth;
    if (token.kind != TokenKind::kWord) continue;
    if (IsKeyword(token, "LIMIT")) shape.limit = true;
    if (IsKeyword(token, "ORDER") && i + 1 < statement.end && IsKeyword(tokens[i + 1], "BY"))
      shape.order_by = true;
    if (IsKeyword(token, "SELECT")) shape.select = true;
    if (depth != 0) continue;
    if (IsKeyword(token, "DUPLICATE") && IsKeyword(tokens[i - 1], "ON")) shape.on_duplicate = true;
    if (shape.on_duplicate) continue;  // its VALUES(col) and SET are not where the rows come from
    if (IsKeyword(token, "VALUES") || IsKeyword(token, "VALUE") || IsKeyword(token, "SET")) values = true;
    // The modifiers come before INTO, the table, or the rows' SELECT.
    if (!shape.select && i <= statement.begin + 3 && IsIgnoreModifier(tokens, i)) shape.ignore = true;
  }
  if (values && statement.verb != "UPDATE" && statement.verb != "DELETE") shape.select = false;
  return shape;
}

// CREATE TABLE ... IGNORE|REPLACE [AS] SELECT, at the top level or in a
// body; "" when there is none. (CREATE OR REPLACE is not it.)
std::string CreateSelectSettlingCollisions(const std::vector<Token>& tokens) {
  for (size_t i = 1; i + 1 < tokens.size(); ++i) {
    if (!IsIgnoreModifier(tokens, i) && !IsKeyword(tokens[i], "REPLACE")) continue;
    if (IsKeyword(tokens[i - 1], "OR")) continue;
    const Token& next = tokens[i + 1];
    if (IsKeyword(next, "SELECT") || IsKeyword(next, "AS") || IsOperator(next, "(")) {
      if (IsFunctionCall(tokens, i)) continue;  // REPLACE(str, from, to)
      return "CREATE TABLE ... " + AsciiUpper(tokens[i].text) + " SELECT";
    }
  }
  return "";
}

// CREATE [OR REPLACE] [TEMPORARY] TABLE.
bool IsCreateTable(const std::vector<Token>& tokens) {
  if (tokens.empty() || !IsKeyword(tokens[0], "CREATE")) return false;
  size_t i = 1;
  if (i + 1 < tokens.size() && IsKeyword(tokens[i], "OR") && IsKeyword(tokens[i + 1], "REPLACE")) i += 2;
  if (i < tokens.size() && IsKeyword(tokens[i], "TEMPORARY")) ++i;
  return i < tokens.size() && IsKeyword(tokens[i], "TABLE");
}

// CREATE TABLE t (id INT AUTO_INCREMENT ...) [AS] SELECT ... FROM ...: a
// query that reads rows (without FROM it gives one).
bool DefinesAutoIncrementBeforeQuery(const std::vector<Token>& tokens) {
  bool auto_increment = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (IsKeyword(tokens[i], "AUTO_INCREMENT")) auto_increment = true;
    if (!IsKeyword(tokens[i], "SELECT")) continue;
    if (!auto_increment) return false;
    for (size_t j = i + 1; j < tokens.size(); ++j) {
      if (IsKeyword(tokens[j], "FROM")) return true;
    }
    return false;
  }
  return false;
}

constexpr const char* kCollisionOrder =
    " without ORDER BY settles rows that collide on a unique key by the order it meets them in, which a "
    "slave need not share; add an ORDER BY on a unique key";

}  // namespace

std::string RowOrderUnsafeReason(const std::vector<Token>& tokens) {
  bool select = false, limit = false, order_by = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (IsKeyword(tokens[i], "SELECT")) select = true;
    if (IsKeyword(tokens[i], "LIMIT")) limit = true;
    if (IsKeyword(tokens[i], "ORDER") && i + 1 < tokens.size() && IsKeyword(tokens[i + 1], "BY"))
      order_by = true;
  }
  // Which of the SELECT's rows CREATE TABLE keeps when they collide.
  if (const std::string kind = CreateSelectSettlingCollisions(tokens); !kind.empty() && !order_by) {
    return kind + kCollisionOrder;
  }
  // Which rows CREATE TABLE ... SELECT ... LIMIT copies.
  if (IsCreateTable(tokens) && select && limit && !order_by) {
    return "CREATE TABLE ... SELECT with LIMIT but no ORDER BY may pick different rows on a slave; add an "
           "ORDER BY on a unique key";
  }
  // Which ids the new table's AUTO_INCREMENT column gives the SELECT's
  // rows: the order it meets them in (select_order_ids.h says why).
  if (IsCreateTable(tokens) && select && !order_by && DefinesAutoIncrementBeforeQuery(tokens)) {
    return "CREATE TABLE ... SELECT without ORDER BY numbers the new table's AUTO_INCREMENT column in the "
           "order the SELECT meets its rows, which a slave with other index statistics need not share; add "
           "an "
           "ORDER BY on a unique key";
  }
  for (const DmlStatement& statement : DmlStatements(tokens)) {
    const Shape shape = ShapeOf(tokens, statement);
    if (shape.order_by) continue;
    const std::string& verb = statement.verb;
    // Which rows LIMIT picks (in the statement or in a subquery giving it values).
    if (shape.limit) {
      return verb +
             " with LIMIT but no ORDER BY may pick different rows on a slave; add an ORDER BY on a "
             "unique key";
    }
    // Which of the rows that collide on a unique key is kept: INSERT
    // IGNORE keeps the first, REPLACE and ON DUPLICATE KEY UPDATE the last,
    // UPDATE IGNORE skips whichever row's new values collide first.
    std::string kind;
    if (verb == "UPDATE" && shape.ignore) {
      kind = "UPDATE IGNORE";
    } else if (verb == "REPLACE" && shape.select) {
      kind = "REPLACE ... SELECT";
    } else if (verb == "INSERT" && shape.select && shape.ignore) {
      kind = "INSERT IGNORE ... SELECT";
    } else if (verb == "INSERT" && shape.select && shape.on_duplicate) {
      kind = "INSERT ... SELECT ... ON DUPLICATE KEY UPDATE";
    }
    if (!kind.empty()) {
      return kind + kCollisionOrder +
             (verb == "UPDATE" ? " (a multi-table UPDATE cannot have one: leave out IGNORE)" : "");
    }
  }
  return "";
}

std::string VariableNumberingReason(const std::vector<Token>& tokens) {
  for (const DmlStatement& statement : DmlStatements(tokens)) {
    const Shape shape = ShapeOf(tokens, statement);
    // INSERT ... VALUES meets its rows in the order they are written.
    if (shape.order_by || ((statement.verb == "INSERT" || statement.verb == "REPLACE") && !shape.select))
      continue;
    for (size_t i = statement.begin + 2; i < statement.end; ++i) {
      if (IsOperator(tokens[i], ":=") && IsOperator(tokens[i - 2], "@")) {
        return statement.verb +
               " assigns a user variable row by row without ORDER BY, so each row's value follows the order "
               "the statement meets the rows in, which a slave's plan need not share; add an ORDER BY on a "
               "unique key";
      }
    }
  }
  return "";
}

}  // namespace ddb
