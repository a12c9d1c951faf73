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
    {"apple", 5},       {"pear", 4},         {"Zürich", 6},      {"naïve", 5},        {"Ærø", 3},
    {"日本語", 3},      {"中文", 2},         {"한국어", 3},      {"Ωμέγα", 5},        {"ß", 1},
    {"😀", 1},          {"🚀", 1},           {"👍🏽", 2},          {"🇩🇪", 2},            {"€", 1},
    {"O'Brien", 7},     {"it''s", 5},        {"back\\slash", 10}, {"\\", 1},           {"\"dq\"", 4},
    {"semi;colon", 10}, {"-- not a comment", 16}, {"/* nor this */", 14}, {"tab\there", 8}, {"new\nline", 8},
    {"%_", 2},          {"NULL", 4},         {" ", 1},           {"x", 1},            {"\\n", 2},
};

std::string Quoted(const std::string& name) { return "`" + name + "`"; }

}  // namespace

WorkloadGenerator::WorkloadGenerator(uint64_t seed) : engine_(seed) {}

uint64_t WorkloadGenerator::Below(uint64_t n) { return n == 0 ? 0 : engine_() % n; }

int WorkloadGenerator::Between(int low, int high) {
  return low + static_cast<int>(Below(static_cast<uint64_t>(high - low + 1)));
}

bool WorkloadGenerator::Percent(int p) { return static_cast<int>(Below(100)) < p; }

std::vector<std::string> WorkloadGenerator::Next(int count) {
  out_.clear();
  target_ = count;
  while (Remaining() > 0) {
    if (!set_up_) {
      if (Remaining() < kSetupStatements) {
        Emit("SELECT 1");  // too short a run to create the schema
        continue;
      }
      Setup();
      continue;
    }
    Unit();
  }
  return std::move(out_);
}

void WorkloadGenerator::Setup() {
  Emit("CREATE DATABASE wl CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  // The second database compares strings byte by byte: different duplicate
  // keys than wl for the same text.
  Emit("CREATE DATABASE wl_b CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  Emit("USE wl");
  current_database_ = "wl";
  Emit("SET @counter = 0");
  variables_.push_back({"counter", VariableKind::kInt});
  CreateTable("wl");
  CreateTable("wl_b");
  set_up_ = true;
}

// One unit of work: a single statement or a whole transaction. A unit that
// does not fit in what is left of the run is replaced by a single statement.
void WorkloadGenerator::Unit() {
  const int roll = static_cast<int>(Below(100));
  const int remaining = Remaining();
  if (roll < 5) return EdgeCase();
  if (roll < 57) return Dml();
  if (roll < 65) return remaining >= 3 ? TransactionBlock(true) : Dml();
  if (roll < 69) return remaining >= 3 ? TransactionBlock(false) : Dml();
  if (roll < 72) return remaining >= 8 ? SavepointBlock() : Dml();
  if (roll < 75) return remaining >= 7 ? AutocommitBlock() : Dml();
  if (roll < 82) return Ddl();
  if (roll < 89) return SetVariable();
  if (roll < 91) return UseDatabase();
  if (roll < 93) return SetTimeZone();
  if (roll < 95) return Read();
  return InsertChildOfLastInsert();
}

void WorkloadGenerator::TransactionBlock(bool commit) {
  static const std::vector<std::string> kBegins = {"BEGIN", "START TRANSACTION", "BEGIN WORK"};
  Emit(Pick(kBegins));
  const int statements = Between(1, std::min(6, Remaining() - 1));
  for (int i = 0; i < statements; ++i) {
    // Now and then a DDL in the middle: it commits what came before, as
    // MySQL does; the rest runs in autocommit mode until COMMIT/ROLLBACK.
    if (Percent(3)) {
      AlterAddColumn();  // one statement, whatever it turns into
    } else {
      Dml();
    }
  }
  if (commit) {
    Emit(Percent(80) ? "COMMIT" : "COMMIT WORK");
  } else {
    Emit(Percent(80) ? "ROLLBACK" : "ROLLBACK WORK");
  }
}

void WorkloadGenerator::SavepointBlock() {
  // BEGIN, dml, SAVEPOINT a, dml, [SAVEPOINT b, dml, ROLLBACK TO b],
  // ROLLBACK TO a, dml, [RELEASE a], COMMIT|ROLLBACK: at most 11 statements.
  const bool nested = Remaining() >= 11 && Percent(50);
  Emit("BEGIN");
  Dml();
  Emit("SAVEPOINT sp_a");
  Dml();
  if (nested) {
    Emit("SAVEPOINT sp_b");
    Dml();
    Emit(Percent(50) ? "ROLLBACK TO sp_b" : "ROLLBACK TO SAVEPOINT sp_b");
  }
  Emit(Percent(50) ? "ROLLBACK TO SAVEPOINT sp_a" : "ROLLBACK WORK TO SAVEPOINT sp_a");
  Dml();
  if (nested) Emit("RELEASE SAVEPOINT sp_a");
  Emit(Percent(85) ? "COMMIT" : "ROLLBACK");
}

void WorkloadGenerator::AutocommitBlock() {
  // SET autocommit=0, dml..., COMMIT, dml..., ROLLBACK, dml,
  // SET autocommit=1 (which commits the last dml).
  Emit(Percent(50) ? "SET autocommit = 0" : "SET SESSION autocommit=OFF");
  const int budget = Remaining() - 4;  // COMMIT, ROLLBACK, the last dml, SET autocommit=1
  const int first = Between(1, std::max(1, std::min(4, budget - 1)));
  for (int i = 0; i < first; ++i) Dml();
  Emit("COMMIT");
  const int second = Between(1, std::max(1, std::min(3, Remaining() - 3)));
  for (int i = 0; i < second && Remaining() > 3; ++i) Dml();
  Emit("ROLLBACK");
  if (Remaining() > 1) {
    if (Percent(10)) {
      CreateIndex();  // an implicit commit in an autocommit=0 session
    } else {
      Dml();
    }
  }
  Emit(Percent(50) ? "SET autocommit = 1" : "SET @@session.autocommit = ON");
}

void WorkloadGenerator::Dml() {
  const int roll = static_cast<int>(Below(100));
  if (roll < 20) return Insert();
  if (roll < 33) return InsertMultiRow();
  if (roll < 37) return InsertIgnore();
  if (roll < 45) return InsertOnDuplicateKeyUpdate();
  if (roll < 50) return Replace();
  if (roll < 54) return InsertSelect();
  if (roll < 58) return InsertChildOfLastInsert();
  if (roll < 82) return Update();
  if (roll < 84) return UpdateJoin();
  if (roll < 96) return Delete();
  return SetVariable();
}

void WorkloadGenerator::Ddl() {
  const int roll = static_cast<int>(Below(100));
  if (roll < 12) return tables_.size() < kMaxTables ? CreateTable(kDatabases[Below(2)]) : AlterAddColumn();
  if (roll < 17) return tables_.size() < kMaxTables ? CreateTableLike() : CreateIndex();
  if (roll < 45) return AlterAddColumn();
  if (roll < 55) return AlterDropColumn();
  if (roll < 63) return AlterModifyColumn();
  if (roll < 83) return CreateIndex();
  if (roll < 89) return DropTable();
  if (roll < 95) return RenameTable();
  return Truncate();
}

// ---------------------------------------------------------------- schema

void WorkloadGenerator::CreateTable(const std::string& database) {
  Table table;
  table.database = database;
  table.name = "t" + std::to_string(++table_counter_);
  table.auto_increment = Percent(75);
  std::string sql = "CREATE TABLE " + Quoted(database) + "." + Quoted(table.name) + " (\n  ";
  if (table.auto_increment) {
    sql += Percent(50) ? "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT" : "id INT NOT NULL AUTO_INCREMENT";
  } else {
    sql += "id INT NOT NULL";
  }
  table.columns.push_back({"id", Type::kInt, 0, false});
  sql += ",\n  code INT NULL";
  table.columns.push_back({"code", Type::kInt, 0, true});
  const int name_length = Between(3, 8) * 8;
  sql += ",\n  name VARCHAR(" + std::to_string(name_length) + ") NULL";
  table.columns.push_back({"name", Type::kVarchar, name_length, true});
  sql += ",\n  qty INT NOT NULL DEFAULT 0";
  table.columns.push_back({"qty", Type::kInt, 0, false});
  struct Optional {
    const char* definition;
    Column column;
  };
  static const std::vector<Optional> kOptional = {
      {"note TEXT NULL", {"note", Type::kText, 0, true}},
      {"price DECIMAL(12,2) NULL DEFAULT 9.99", {"price", Type::kDecimal, 0, true}},
      {"ratio DOUBLE NULL", {"ratio", Type::kDouble, 0, true}},
      {"flag TINYINT(1) NOT NULL DEFAULT 0", {"flag", Type::kBool, 0, false}},
      {"color ENUM('red','green','blue') NULL DEFAULT 'red'", {"color", Type::kEnum, 0, true}},
      {"born DATE NULL", {"born", Type::kDate, 0, true}},
      {"created DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)", {"created", Type::kDateTime, 0, false}},
      {"touched TIMESTAMP(6) NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)",
       {"touched", Type::kTimestamp, 0, true}},
      {"parent BIGINT NULL", {"parent", Type::kBigInt, 0, true}},
  };
  for (const Optional& optional : kOptional) {
    if (Percent(60)) {
      sql += ",\n  " + std::string(optional.definition);
      table.columns.push_back(optional.column);
    }
  }
  sql += ",\n  PRIMARY KEY (id),\n  UNIQUE KEY uk_code (code)";
  if (Percent(50)) {
    sql += ",\n  KEY ix_qty (qty)";
    ++table.indexes;
  }
  sql += "\n) ENGINE=InnoDB";
  if (Percent(50)) sql += " DEFAULT CHARSET=utf8mb4";
  Emit(sql);
  tables_.push_back(std::move(table));
}

void WorkloadGenerator::CreateTableLike() {
  const Table& source = AnyTable();
  Table copy = source;
  copy.database = kDatabases[Below(2)];
  copy.name = "t" + std::to_string(++table_counter_);
  copy.ids_used = 0;
  Emit("CREATE TABLE " + Quoted(copy.database) + "." + Quoted(copy.name) + " LIKE " + Quoted(source.database) + "." +
       Quoted(source.name));
  if (Remaining() > 0 && Percent(70)) {
    copy.ids_used = source.ids_used;
    Emit("INSERT INTO " + Quoted(copy.database) + "." + Quoted(copy.name) + " SELECT * FROM " +
         Quoted(source.database) + "." + Quoted(source.name) + " ORDER BY id");
  }
  tables_.push_back(std::move(copy));
}

void WorkloadGenerator::AlterAddColumn() {
  Table& table = AnyTable();
  if (table.added_columns >= kMaxAddedColumns) return AlterDropColumn();
  const std::string name = "c" + std::to_string(++name_counter_);
  Column column{name, Type::kInt, 0, true, true};  // added
  std::string definition;
  switch (Below(6)) {
    case 0:
      column.nullable = false;
      definition = "INT NOT NULL DEFAULT " + std::to_string(Between(-5, 50));
      break;
    case 1:
      column.type = Type::kVarchar;
      column.length = 24;
      definition = "VARCHAR(24) NULL DEFAULT " + Literal(column);
      break;
    case 2:
      // Existing rows get the DDL's clock: the master ships its timestamp.
      column.type = Type::kDateTime;
      column.nullable = false;
      definition = "DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)";
      break;
    case 3:
      column.type = Type::kDouble;
      definition = "DOUBLE NULL DEFAULT 2.5";
      break;
    case 4:
      column.type = Type::kDate;
      definition = "DATE NULL DEFAULT '2020-02-29'";
      break;
    default:
      column.type = Type::kText;
      definition = "TEXT NULL";
      break;
  }
  std::string sql = "ALTER TABLE " + Ref(table) + " ADD COLUMN " + name + " " + definition;
  if (Percent(20)) sql += " AFTER name";
  Emit(sql);
  table.columns.push_back(column);
  ++table.added_columns;
}

void WorkloadGenerator::AlterDropColumn() {
  Table& table = AnyTable();
  std::vector<size_t> droppable;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].added && !table.columns[i].indexed) droppable.push_back(i);
  }
  if (droppable.empty()) return AlterModifyColumn();
  const size_t index = droppable[Below(droppable.size())];
  Emit("ALTER TABLE " + Ref(table) + " DROP COLUMN " + table.columns[index].name);
  table.columns.erase(table.columns.begin() + static_cast<std::ptrdiff_t>(index));
  --table.added_columns;
}

void WorkloadGenerator::AlterModifyColumn() {
  Table& table = AnyTable();
  Column& name = table.columns[2];
  if (name.length >= 120) return CreateIndex();
  name.length += 8;
  Emit("ALTER TABLE " + Ref(table) + " MODIFY COLUMN name VARCHAR(" + std::to_string(name.length) + ") NULL");
}

void WorkloadGenerator::CreateIndex() {
  Table& table = AnyTable();
  if (table.indexes >= kMaxIndexes) return RenameTable();
  std::vector<Column*> candidates;  // never empty: name and qty are always there
  for (Column& column : table.columns) {
    if (column.name != "id" && column.name != "code") candidates.push_back(&column);
  }
  auto part = [](const Column& column) { return column.type == Type::kText ? column.name + "(12)" : column.name; };
  Column* first = candidates[Below(candidates.size())];
  Column* second = candidates[Below(candidates.size())];
  std::string columns = part(*first);
  first->indexed = true;
  if (second != first && Percent(30)) {
    columns += ", " + part(*second);
    second->indexed = true;
  }
  const std::string name = "ix" + std::to_string(++name_counter_);
  if (Percent(50)) {
    Emit("CREATE INDEX " + name + " ON " + Ref(table) + " (" + columns + ")");
  } else {
    Emit("ALTER TABLE " + Ref(table) + " ADD INDEX " + name + " (" + columns + ")");
  }
  ++table.indexes;
}

void WorkloadGenerator::DropTable() {
  if (tables_.size() <= kMinTables) return CreateIndex();
  const size_t index = Below(tables_.size());
  const Table& table = tables_[index];
  Emit(std::string(Percent(50) ? "DROP TABLE " : "DROP TABLE IF EXISTS ") + Ref(table));
  tables_.erase(tables_.begin() + static_cast<std::ptrdiff_t>(index));
}

void WorkloadGenerator::RenameTable() {
  Table& table = AnyTable();
  const std::string old_ref = Quoted(table.database) + "." + Quoted(table.name);
  table.name = "t" + std::to_string(++table_counter_);
  if (Percent(30)) table.database = kDatabases[Below(2)];
  Emit("RENAME TABLE " + old_ref + " TO " + Quoted(table.database) + "." + Quoted(table.name));
}

void WorkloadGenerator::Truncate() {
  Table& table = AnyTable();
  table.ids_used = 0;
  Emit(std::string(Percent(50) ? "TRUNCATE TABLE " : "TRUNCATE ") + Ref(table));
}

// ---------------------------------------------------------------- session

void WorkloadGenerator::UseDatabase() {
  current_database_ = kDatabases[Below(2)];
  Emit(Percent(50) ? "USE " + current_database_ : "USE " + Quoted(current_database_));
}

void WorkloadGenerator::SetVariable() {
  static const char* const kNames[] = {"v1", "v2", "v3", "v4", "v5", "counter"};
  auto assign = [this](const std::string& name) {
    Variable variable{name, VariableKind::kInt};
    std::string expression;
    switch (Below(9)) {
      case 0: expression = std::to_string(Between(-100, 100000)); break;
      case 1:
        variable.kind = VariableKind::kString;
        expression = Value({"", Type::kVarchar, 12, false});
        break;
      case 2:
        variable.kind = VariableKind::kDouble;
        expression = "RAND()";
        break;
      case 3:
        variable.kind = VariableKind::kDateTime;
        expression = Percent(50) ? "NOW(6)" : "DATE_ADD(NOW(), INTERVAL " + std::to_string(Between(1, 999)) + " MINUTE)";
        break;
      case 4: expression = "LAST_INSERT_ID()"; break;
      case 5: {
        const Table& table = AnyTable();
        expression = "(SELECT COALESCE(MAX(id), 0) FROM " + Ref(table) + ")";
        break;
      }
      case 6:
        variable.kind = VariableKind::kNull;
        expression = "NULL";
        break;
      case 7:
        variable.kind = VariableKind::kDouble;
        expression = std::to_string(Between(-9999, 9999)) + ".5e-1";
        break;
      default:
        variable.kind = VariableKind::kString;
        expression = "'" + std::string(Percent(50) ? "lit" : "ü😀") + "'";
        break;
    }
    std::erase_if(variables_, [&](const Variable& v) { return v.name == name; });
    variables_.push_back(variable);
    return "@" + name + " = " + expression;
  };
  if (Percent(10) && !tables_.empty()) {
    // SELECT ... INTO @v: a read that sets a variable.
    const Table& table = AnyTable();
    std::erase_if(variables_, [](const Variable& v) { return v.name == "v5"; });
    variables_.push_back({"v5", VariableKind::kInt});
    return Emit("SELECT COUNT(*) INTO @v5 FROM " + Ref(table));
  }
  std::string sql = "SET " + assign(kNames[Below(6)]);
  if (Percent(20)) sql += ", " + assign(kNames[Below(6)]);
  Emit(sql);
}

void WorkloadGenerator::SetTimeZone() {
  static const std::vector<std::string> kZones = {"'+00:00'", "'+05:30'", "'-08:00'", "'+12:45'", "'SYSTEM'"};
  if (Percent(75)) return Emit("SET time_zone = " + Pick(kZones));
  Emit("SET SESSION div_precision_increment = " + std::to_string(Between(0, 8)));
}

void WorkloadGenerator::Read() {
  const Table& table = AnyTable();
  if (Percent(50)) return Emit("SELECT COUNT(*) AS n FROM " + Ref(table));
  Emit("SELECT id, code, qty FROM " + Ref(table) + " WHERE id = " + std::to_string(Between(1, table.ids_used + 1)));
}

// ---------------------------------------------------------------- DML

void WorkloadGenerator::Insert() {
  Table& table = AnyTable();
  const std::vector<const Column*> columns = SomeColumns(table);
  const bool with_id = !table.auto_increment || Percent(20);
  std::string sql = std::string(Percent(90) ? "INSERT INTO " : "INSERT ") + Ref(table) + " " +
                    ColumnList(columns, with_id) + " VALUES " + RowFor(table, columns, with_id, Percent(90));
  Emit(sql);
}

void WorkloadGenerator::InsertMultiRow() {
  Table& table = AnyTable();
  const std::vector<const Column*> columns = SomeColumns(table);
  const bool with_id = !table.auto_increment || Percent(25);
  std::string sql = "INSERT INTO " + Ref(table) + " " + ColumnList(columns, with_id) + " VALUES ";
  const int rows = Between(2, 8);
  for (int i = 0; i < rows; ++i) {
    if (i) sql += ", ";
    sql += RowFor(table, columns, with_id, Percent(95));
  }
  Emit(sql);
}

void WorkloadGenerator::InsertIgnore() {
  Table& table = AnyTable();
  // code is the point: some rows collide with existing ones and are skipped.
  std::vector<const Column*> columns = {&table.columns[1], &table.columns[2]};
  const bool with_id = !table.auto_increment;
  std::string sql = "INSERT IGNORE INTO " + Ref(table) + " " + ColumnList(columns, with_id) + " VALUES ";
  const int rows = Between(1, 5);
  for (int i = 0; i < rows; ++i) {
    if (i) sql += ", ";
    sql += "(";
    if (with_id) sql += IdValue(table, Percent(70)) + ", ";
    if (table.auto_increment) ++table.ids_used;
    sql += CodeValue(table) + ", " + Value(table.columns[2]) + ")";
  }
  Emit(sql);
}

void WorkloadGenerator::InsertOnDuplicateKeyUpdate() {
  Table& table = AnyTable();
  // The row names its id (an existing one or a new one) and a code that may
  // exist: the duplicate is on the primary key, on code, or on neither.
  // (Without an id, an update of an AUTO_INCREMENT table replays wrongly:
  // see EdgeCase.)
  const std::vector<const Column*> columns = {&table.columns[1], &table.columns[2], &table.columns[3]};
  std::string sql = "INSERT INTO " + Ref(table) + " " + ColumnList(columns, true) + " VALUES ";
  const int rows = Percent(70) ? 1 : Between(2, 4);
  for (int i = 0; i < rows; ++i) {
    if (i) sql += ", ";
    sql += "(" + IdValue(table, Percent(40)) + ", " + CodeValue(table) + ", " + Value(table.columns[2]) + ", " +
           std::to_string(Between(1, 9)) + ")";
  }
  sql += " ON DUPLICATE KEY UPDATE qty = qty + VALUES(qty)";
  if (Percent(50)) sql += ", name = VALUES(name)";
  for (const Column& column : table.columns) {
    if (column.name == "touched" && Percent(50)) sql += ", touched = NOW(6)";
    if (column.name == "ratio" && Percent(30)) sql += ", ratio = RAND()";
  }
  Emit(sql);
}

void WorkloadGenerator::Replace() {
  Table& table = AnyTable();
  std::vector<const Column*> columns = SomeColumns(table);
  if (std::find(columns.begin(), columns.end(), &table.columns[1]) == columns.end()) {
    columns.insert(columns.begin(), &table.columns[1]);
  }
  const bool with_id = !table.auto_increment || Percent(30);
  std::string sql = "REPLACE INTO " + Ref(table) + " " + ColumnList(columns, with_id) + " VALUES ";
  const int rows = Percent(70) ? 1 : Between(2, 3);
  for (int i = 0; i < rows; ++i) {
    if (i) sql += ", ";
    sql += RowFor(table, columns, with_id, Percent(50));
  }
  Emit(sql);
}

void WorkloadGenerator::InsertSelect() {
  Table& target = AnyTable();
  const Table& source = AnyTable();
  if (!target.auto_increment) return Insert();
  const int name_length = target.columns[2].length;
  std::string sql = "INSERT INTO " + Ref(target) + " (name, qty) SELECT LEFT(name, " + std::to_string(name_length) +
                    "), qty + 1 FROM " + Ref(source) + " WHERE " + Where(source) + " ORDER BY id";
  if (Percent(50)) sql += " LIMIT " + std::to_string(Between(1, 5));
  target.ids_used += 5;
  Emit(sql);
}

void WorkloadGenerator::InsertChildOfLastInsert() {
  Table& table = AnyTable();
  const Column* parent = nullptr;
  for (const Column& column : table.columns) {
    if (column.name == "parent") parent = &column;
  }
  switch (Below(3)) {
    case 0:
      if (parent != nullptr) {
        if (table.auto_increment) ++table.ids_used;
        std::string sql = "INSERT INTO " + Ref(table) + " (" + std::string(table.auto_increment ? "" : "id, ") +
                          "name, parent) VALUES (" + (table.auto_increment ? "" : IdValue(table, true) + ", ") +
                          "'child of last', LAST_INSERT_ID())";
        return Emit(sql);
      }
      [[fallthrough]];
    case 1:
      return Emit("UPDATE " + Ref(table) + " SET qty = qty + 1 WHERE id = LAST_INSERT_ID()");
    default:
      std::erase_if(variables_, [](const Variable& v) { return v.name == "last"; });
      variables_.push_back({"last", VariableKind::kInt});
      return Emit("SET @last = LAST_INSERT_ID()");
  }
}

void WorkloadGenerator::Update() {
  Table& table = AnyTable();
  const bool single_row = Percent(40);
  std::string sql = "UPDATE " + Ref(table) + " SET ";
  std::string assignments = Assignment(table);
  if (Percent(40)) {
    const std::string second = Assignment(table);
    if (second.substr(0, second.find(' ')) != assignments.substr(0, assignments.find(' '))) {
      assignments += ", " + second;
    }
  }
  if (single_row) {
    if (Percent(25)) assignments += ", code = " + CodeValue(table);  // may collide: fails, not replicated
    sql += assignments + " WHERE id = " + std::to_string(Between(1, table.ids_used + 1));
    return Emit(sql);
  }
  if (Percent(15)) {
    // A running counter in a user variable: the rows must be visited in the
    // same order everywhere.
    std::erase_if(variables_, [](const Variable& v) { return v.name == "counter"; });
    variables_.push_back({"counter", VariableKind::kInt});
    return Emit("SET @counter = " + std::to_string(Between(0, 100)));
  }
  sql += assignments + " WHERE " + Where(table);
  // RAND() or a variable assigned per row gives each row its own value:
  // visit them in key order, as on every node.
  const bool order_matters = assignments.find("RAND(") != std::string::npos ||
                             assignments.find(":=") != std::string::npos;
  if (order_matters || Percent(20)) {
    sql += Percent(50) ? " ORDER BY id" : " ORDER BY id DESC";
    if (Percent(50)) sql += " LIMIT " + std::to_string(Between(1, 10));
  }
  Emit(sql);
}

void WorkloadGenerator::UpdateJoin() {
  Table& a = AnyTable();
  Table& b = AnyTable();
  if (&a == &b) return Update();
  Emit("UPDATE " + Ref(a) + " AS a JOIN " + Ref(b) + " AS b ON a.id = b.id SET a.qty = b.qty + " +
       std::to_string(Between(1, 5)) + " WHERE b.qty > " + std::to_string(Between(-100, 500)));
}

void WorkloadGenerator::Delete() {
  Table& table = AnyTable();
  const int roll = static_cast<int>(Below(100));
  if (roll < 35) {
    return Emit("DELETE FROM " + Ref(table) + " WHERE id = " + std::to_string(Between(1, table.ids_used + 1)));
  }
  if (roll < 70) {
    return Emit("DELETE FROM " + Ref(table) + " WHERE " + Where(table) + " ORDER BY id" +
                (Percent(50) ? " DESC" : "") + " LIMIT " + std::to_string(Between(1, 3)));
  }
  if (roll < 90) {
    const int low = Between(1, table.ids_used + 1);
    return Emit("DELETE FROM " + Ref(table) + " WHERE id BETWEEN " + std::to_string(low) + " AND " +
                std::to_string(low + Between(0, 3)));
  }
  Emit("DELETE FROM " + Ref(table) + " WHERE " + Where(table));
}

// Shapes that each once replayed differently from the master: the smallest
// form of a divergence this workload found, kept so it stays fixed.
void WorkloadGenerator::EdgeCase() {
  Table& table = AnyTable();
  switch (Below(6)) {
    case 0: {
      // (Was: the slave replayed with insert_id = the session's
      // LAST_INSERT_ID(), which this statement did not change: the row it would insert takes
      // that id, collides with the row that has it, and the slave updates
      // that row instead of the one with the same code.)
      if (!table.auto_increment) return Insert();
      ++table.ids_used;
      return Emit("INSERT INTO " + Ref(table) + " (code, name, qty) VALUES (" + CodeValue(table) + ", " +
                  Value(table.columns[2]) + ", 1) ON DUPLICATE KEY UPDATE qty = qty + 100");
    }
    case 1: {
      // (Was: user variables travelled as QUOTE(@v), a string on the slave,
      // so arithmetic on an integer variable gave a DOUBLE there and a
      // DECIMAL on the master. They travel as literals of their type now.)
      const Variable* variable = VariableOf(VariableKind::kInt);
      if (variable == nullptr) return SetVariable();
      return Emit("UPDATE " + Ref(table) + " SET name = CONCAT(@" + variable->name + " / 3) WHERE id = " +
                  std::to_string(Between(1, table.ids_used + 1)));
    }
    case 2: {
      // MariaDB drops the tables that exist and then reports the missing
      // one. (Was: the master logged nothing and the slaves kept the
      // dropped table; now it logs DROP TABLE IF EXISTS with the same list.)
      if (tables_.size() <= kMinTables) return CreateIndex();
      const size_t index = Below(tables_.size());
      Emit("DROP TABLE " + Ref(tables_[index]) + ", wl.no_such_table");
      tables_.erase(tables_.begin() + static_cast<std::ptrdiff_t>(index));
      return;
    }
    case 3: {
      // A multi-row INSERT that fails after generating an id still moves
      // the master's LAST_INSERT_ID(). (Was: ddb shipped the value of the
      // last successful insert with the next statement that read it.)
      if (!table.auto_increment || Remaining() < 2) return Insert();
      const std::string code = std::to_string(table.ids_used * 2 + 1000 + Between(0, 1000));
      table.ids_used += 2;
      Emit("INSERT INTO " + Ref(table) + " (code, name) VALUES (NULL, 'first'), (" + code + ", 'second'), (" + code +
           ", 'duplicate')");
      return Emit("INSERT INTO " + Ref(table) + " (name, qty) VALUES ('after a failed insert', LAST_INSERT_ID())");
    }
    case 5: {
      // RAND() in a DDL. (Was: the master shipped no RAND() seeds with DDL,
      // so every node drew its own values.) The table is left out of the
      // model: only the final comparison looks at it.
      const std::string name = "t" + std::to_string(++table_counter_);
      return Emit("CREATE TABLE " + Quoted(table.database) + "." + Quoted(name) +
                  " (PRIMARY KEY (id)) AS SELECT id, qty, RAND() AS r FROM " + Ref(table) + " ORDER BY id");
    }
    default: {
      // (Was: in an autocommit=0 session the DDL's log row was marked done
      // inside the session's next transaction; a ROLLBACK left it 'pending', and
      // the master's next start executed the DDL a second time: a TRUNCATE
      // there emptied a table the slaves kept.)
      if (Remaining() < 4) return Insert();
      Emit("SET autocommit = 0");
      CreateIndex();
      Emit("ROLLBACK");
      Emit("SET autocommit = 1");
      return;
    }
  }
}

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
    case Type::kDecimal: return std::to_string(Between(-99999, 99999)) + "." + std::to_string(Between(10, 99));
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
        return name + " = CONCAT(LEFT(COALESCE(" + name + ", ''), " + std::to_string(column.length - 2) + "), 'ü✓')";
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
    case 2: return Percent(50) ? "code IS NULL" : "code IS NOT NULL AND code < " + std::to_string(Between(1, top));
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

std::vector<std::string> GenerateWorkloadStatements(uint64_t seed, int statements) {
  WorkloadGenerator generator(seed);
  return generator.Next(statements);
}

std::string GenerateWorkload(uint64_t seed, int statements) {
  std::string text;
  for (const std::string& statement : GenerateWorkloadStatements(seed, statements)) {
    text += statement + ";\n";
  }
  return text;
}

}  // namespace ddb::testing
