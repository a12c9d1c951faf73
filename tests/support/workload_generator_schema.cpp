#include "workload_generator.h"

namespace ddb::testing {

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
  copy.triggers.clear();  // LIKE copies no triggers
  Emit("CREATE TABLE " + Quoted(copy.database) + "." + Quoted(copy.name) + " LIKE " +
       Quoted(source.database) + "." + Quoted(source.name));
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
  auto part = [](const Column& column) {
    return column.type == Type::kText ? column.name + "(12)" : column.name;
  };
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
  // MariaDB moves a table's triggers with it, but not to another database.
  if (table.triggers.empty() && Percent(30)) table.database = kDatabases[Below(2)];
  Emit("RENAME TABLE " + old_ref + " TO " + Quoted(table.database) + "." + Quoted(table.name));
}

void WorkloadGenerator::Truncate() {
  Table& table = AnyTable();
  table.ids_used = 0;
  Emit(std::string(Percent(50) ? "TRUNCATE TABLE " : "TRUNCATE ") + Ref(table));
}

}  // namespace ddb::testing
