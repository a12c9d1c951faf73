#include "workload_generator.h"

#include <algorithm>
#include <iterator>

namespace ddb::testing {
namespace {

constexpr int kSetupStatements = 6;
constexpr size_t kMinTables = 3;
constexpr size_t kMaxTables = 8;
constexpr int kMaxAddedColumns = 6;
constexpr int kMaxIndexes = 6;
constexpr const char* kDatabases[] = {"wl", "wl_b"};

// Pieces of text: plain ASCII, accents, CJK, 4-byte emoji (one with a skin
// tone modifier: two code points), quotes, backslashes, SQL-looking text that
// must stay inside the string, control characters written as escapes.
struct Piece {
  const char* text;
  int chars;  // code points
};
constexpr Piece kPieces[] = {
    {"apple", 5},
    {"pear", 4},
    {"Zürich", 6},
    {"naïve", 5},
    {"Ærø", 3},
    {"日本語", 3},
    {"中文", 2},
    {"한국어", 3},
    {"Ωμέγα", 5},
    {"ß", 1},
    {"😀", 1},
    {"🚀", 1},
    {"👍🏽", 2},
    {"🇩🇪", 2},
    {"€", 1},
    {"O'Brien", 7},
    {"it''s", 5},
    {"back\\slash", 10},
    {"\\", 1},
    {"\"dq\"", 4},
    {"semi;colon", 10},
    {"-- not a comment", 16},
    {"/* nor this */", 14},
    {"tab\there", 8},
    {"new\nline", 8},
    {"%_", 2},
    {"NULL", 4},
    {" ", 1},
    {"x", 1},
    {"\\n", 2},
};

}  // namespace

// ---------------------------------------------------------------- pieces

WorkloadGenerator::Table& WorkloadGenerator::AnyTable() { return tables_[Below(tables_.size())]; }

std::string WorkloadGenerator::Ref(const Table& table) {
  if (table.database == current_database_ && Percent(70)) {
    return Percent(70) ? table.name : Quoted(table.name);
  }
  return Percent(50) ? table.database + "." + table.name : Quoted(table.database) + "." + Quoted(table.name);
}

std::vector<const WorkloadGenerator::Column*> WorkloadGenerator::SomeColumns(const Table& table) {
  std::vector<const Column*> columns;
  for (size_t i = 1; i < table.columns.size(); ++i) {
    if (Percent(i == 2 ? 85 : 55)) columns.push_back(&table.columns[i]);
  }
  if (columns.empty()) columns.push_back(&table.columns[2]);
  return columns;
}

std::string WorkloadGenerator::ColumnList(const std::vector<const Column*>& columns, bool with_id) {
  std::string list = "(";
  if (with_id) list += "id";
  for (const Column* column : columns) {
    if (list.size() > 1) list += ", ";
    list += Percent(20) ? Quoted(column->name) : column->name;
  }
  return list + ")";
}

std::string WorkloadGenerator::RowFor(Table& table, const std::vector<const Column*>& columns, bool with_id,
                                      bool fresh_id) {
  std::string row = "(";
  if (with_id) {
    if (table.auto_increment && Percent(30)) {
      row += "NULL";  // generated, like an omitted id
      ++table.ids_used;
    } else {
      row += IdValue(table, fresh_id);
    }
  } else {
    ++table.ids_used;
  }
  bool first = !with_id;
  for (const Column* column : columns) {
    if (!first) row += ", ";
    first = false;
    row += column->name == "code" ? CodeValue(table) : Value(*column);
  }
  return row + ")";
}

std::string WorkloadGenerator::IdValue(Table& table, bool fresh) {
  if (fresh) {
    table.ids_used += Percent(80) ? 1 : Between(2, 20);  // gaps too
    return std::to_string(table.ids_used);
  }
  return std::to_string(Between(1, table.ids_used + 1));  // probably taken: a duplicate key
}

std::string WorkloadGenerator::CodeValue(const Table& table) {
  if (Percent(45)) return "NULL";  // any number of NULLs in a UNIQUE key
  return std::to_string(Between(1, table.ids_used * 2 + 30));
}

std::string WorkloadGenerator::Text(int max_chars) {
  std::string raw;
  int chars = 0;
  const int pieces = Between(0, 5);
  for (int i = 0; i < pieces; ++i) {
    const Piece& piece = kPieces[Below(std::size(kPieces))];
    const std::string sep = raw.empty() ? "" : (Percent(50) ? " " : "");
    if (chars + piece.chars + static_cast<int>(sep.size()) > max_chars) break;
    raw += sep + piece.text;
    chars += piece.chars + static_cast<int>(sep.size());
  }
  // Written as a string literal: quotes doubled or backslash-escaped,
  // backslashes doubled, control characters as \n and \t.
  std::string literal = Percent(5) ? "_utf8mb4'" : "'";
  for (char c : raw) {
    switch (c) {
      case '\'': literal += Percent(50) ? "''" : "\\'"; break;
      case '\\': literal += "\\\\"; break;
      case '\n': literal += "\\n"; break;
      case '\t': literal += "\\t"; break;
      default: literal += c;
    }
  }
  return literal + "'";
}

const WorkloadGenerator::Variable* WorkloadGenerator::VariableOf(VariableKind kind) {
  std::vector<const Variable*> matching;
  for (const Variable& variable : variables_) {
    if (variable.kind == kind) matching.push_back(&variable);
  }
  return matching.empty() ? nullptr : matching[Below(matching.size())];
}

// A literal for the column: what WHERE clauses and DEFAULTs use.
std::string WorkloadGenerator::Literal(const Column& column) {
  switch (column.type) {
    case Type::kInt: return std::to_string(Between(-50, 1000));
    case Type::kBigInt: return std::to_string(static_cast<int64_t>(Below(9'000'000'000'000'000ULL)));
    case Type::kDecimal:
      return std::to_string(Between(-99999, 99999)) + "." + std::to_string(Between(10, 99));
    case Type::kDouble: return std::to_string(Between(-5000, 5000)) + ".25";
    case Type::kVarchar: return Text(column.length);
    case Type::kText: return Text(60);
    case Type::kDateTime:
      return "'20" + std::to_string(Between(10, 29)) + "-0" + std::to_string(Between(1, 9)) + "-1" +
             std::to_string(Between(0, 9)) + " 1" + std::to_string(Between(0, 9)) + ":3" +
             std::to_string(Between(0, 9)) + ":0" + std::to_string(Between(0, 9)) + "." +
             std::to_string(Between(100000, 999999)) + "'";
    case Type::kTimestamp:
      return "'20" + std::to_string(Between(10, 29)) + "-1" + std::to_string(Between(0, 2)) + "-2" +
             std::to_string(Between(0, 8)) + " 0" + std::to_string(Between(0, 9)) + ":1" +
             std::to_string(Between(0, 9)) + ":4" + std::to_string(Between(0, 9)) + "'";
    case Type::kDate:
      return "'" + std::to_string(Between(1990, 2030)) + "-0" + std::to_string(Between(1, 9)) + "-2" +
             std::to_string(Between(0, 8)) + "'";
    case Type::kBool: return Percent(50) ? "0" : "1";
    case Type::kEnum: {
      static const std::vector<std::string> kColors = {"'red'", "'green'", "'blue'"};
      return Pick(kColors);
    }
  }
  return "0";
}

// A value for the column in INSERT or UPDATE: literals, NULLs, DEFAULT,
// clock functions, RAND(), LAST_INSERT_ID() and user variables.
std::string WorkloadGenerator::Value(const Column& column) {
  if (column.nullable && Percent(12)) return "NULL";
  if (column.name != "" && Percent(3)) return "DEFAULT";
  const int roll = static_cast<int>(Below(100));
  switch (column.type) {
    case Type::kInt:
      if (roll < 10) return "FLOOR(RAND() * 1000)";
      if (roll < 15) return "LAST_INSERT_ID() % 1000";
      if (roll < 25) {
        if (const Variable* v = VariableOf(VariableKind::kInt)) return "@" + v->name;
      }
      if (roll < 30) return "CHAR_LENGTH(" + Text(10) + ")";
      return Literal(column);
    case Type::kBigInt:
      if (roll < 20) return "LAST_INSERT_ID()";
      if (roll < 30) return "UNIX_TIMESTAMP()";
      if (roll < 40) {
        if (const Variable* v = VariableOf(VariableKind::kInt)) return "@" + v->name;
      }
      return Literal(column);
    case Type::kDecimal:
      if (roll < 20) return "ROUND(RAND() * 10000, 2)";
      if (roll < 30) {
        if (const Variable* v = VariableOf(VariableKind::kInt)) return "@" + v->name;
      }
      return Literal(column);
    case Type::kDouble:
      if (roll < 25) return "RAND()";
      if (roll < 30) return "RAND() * RAND() * 1e6";
      if (roll < 35) return "PI() * " + std::to_string(Between(1, 9));
      if (roll < 45) {
        if (const Variable* v = VariableOf(Percent(50) ? VariableKind::kDouble : VariableKind::kInt)) {
          return "@" + v->name;
        }
      }
      return Literal(column);
    case Type::kVarchar:
      if (roll < 8 && column.length >= 40) return "CONCAT('at ', NOW(6))";
      if (roll < 14 && column.length >= 16) {
        if (const Variable* v = VariableOf(Percent(50) ? VariableKind::kString : VariableKind::kInt)) {
          return "@" + v->name;
        }
      }
      if (roll < 18) return "LEFT(MD5(RAND()), " + std::to_string(std::min(column.length, 32)) + ")";
      if (roll < 22) return "UPPER(" + Text(column.length) + ")";
      if (roll < 25) return "REPEAT('é', " + std::to_string(Between(0, column.length)) + ")";
      return Text(column.length);
    case Type::kText:
      if (roll < 10) return "REPEAT('😀ab\\'', " + std::to_string(Between(1, 300)) + ")";
      if (roll < 15) return "CONCAT('stamp ', UTC_TIMESTAMP(6), ' ', RAND())";
      if (roll < 25) {
        if (const Variable* v = VariableOf(Percent(50) ? VariableKind::kString : VariableKind::kDouble)) {
          return "@" + v->name;
        }
      }
      return Text(200);
    case Type::kDateTime:
      if (roll < 30) return Percent(50) ? "NOW(6)" : "CURRENT_TIMESTAMP(6)";
      if (roll < 40) return "NOW()";
      if (roll < 50) return "DATE_ADD(NOW(6), INTERVAL " + std::to_string(Between(-5000, 5000)) + " MINUTE)";
      if (roll < 60) {
        if (const Variable* v = VariableOf(VariableKind::kDateTime)) return "@" + v->name;
      }
      return Literal(column);
    case Type::kTimestamp:
      if (roll < 50) return "NOW(6)";
      if (roll < 60) return "UTC_TIMESTAMP(6)";
      return Literal(column);
    case Type::kDate:
      if (roll < 40) return "CURDATE()";
      if (roll < 50) return "DATE_SUB(CURDATE(), INTERVAL " + std::to_string(Between(0, 400)) + " DAY)";
      return Literal(column);
    case Type::kBool:
      if (roll < 20) return "RAND() < 0.5";
      return Percent(50) ? "TRUE" : Literal(column);
    case Type::kEnum: return Literal(column);
  }
  return Literal(column);
}

std::string WorkloadGenerator::Assignment(const Table& table) {
  const Column& column = table.columns[1 + Below(table.columns.size() - 1)];
  const std::string& name = column.name;
  if (name == "code") return "code = NULL";  // never two rows with one code
  if (name == "qty") {
    switch (Below(4)) {
      case 0: return "qty = qty + " + std::to_string(Between(1, 9));
      case 1: return "qty = (qty * 3 + 1) % 100000";
      case 2: return "qty = (@counter := @counter + 1)";
      default: return "qty = " + Value(column);
    }
  }
  switch (column.type) {
    case Type::kVarchar:
      if (Percent(40)) {
        return name + " = CONCAT(LEFT(COALESCE(" + name + ", ''), " + std::to_string(column.length - 2) +
               "), 'ü✓')";
      }
      if (Percent(20)) return name + " = " + (Percent(50) ? "UPPER(" : "REVERSE(") + name + ")";
      break;
    case Type::kDouble:
      if (Percent(40)) return name + " = COALESCE(" + name + ", 0) + RAND()";
      break;
    case Type::kDecimal:
      if (Percent(40)) return name + " = qty / 7";  // div_precision_increment travels
      break;
    case Type::kBool:
      if (Percent(50)) return name + " = 1 - " + name;
      break;
    case Type::kText:
      if (Percent(30)) return name + " = CONCAT(COALESCE(" + name + ", ''), " + Text(20) + ")";
      break;
    default: break;
  }
  return name + " = " + Value(column);
}

std::string WorkloadGenerator::Where(const Table& table) {
  const int top = table.ids_used + 1;
  switch (Below(9)) {
    case 0: {
      const int low = Between(1, top);
      return "id BETWEEN " + std::to_string(low) + " AND " + std::to_string(low + Between(0, 10));
    }
    case 1:
      return "id IN (" + std::to_string(Between(1, top)) + ", " + std::to_string(Between(1, top)) + ", " +
             std::to_string(Between(1, top)) + ")";
    case 2:
      return Percent(50) ? "code IS NULL" : "code IS NOT NULL AND code < " + std::to_string(Between(1, top));
    case 3: return "qty " + std::string(Percent(50) ? "> " : "< ") + std::to_string(Between(-10, 300));
    case 4: return "name LIKE " + std::string(Percent(50) ? "'%a%'" : "'%😀%'");
    case 5: return "id % " + std::to_string(Between(2, 9)) + " = " + std::to_string(Between(0, 1));
    case 6:
      if (const Variable* v = VariableOf(VariableKind::kInt)) return "qty > @" + v->name;
      return "qty = 0";
    case 7: {
      for (const Column& column : table.columns) {
        if (column.name == "created" && Percent(50)) return "created < NOW(6) - INTERVAL 1 SECOND";
        if (column.name == "color" && Percent(50)) return "color = " + Literal(column);
      }
      return "name IS NULL";
    }
    default: return "id = " + std::to_string(Between(1, top));
  }
}

}  // namespace ddb::testing
