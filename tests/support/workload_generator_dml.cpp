#include "workload_generator.h"

#include <algorithm>

namespace ddb::testing {

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
    sql += "(" + IdValue(table, Percent(40)) + ", " + CodeValue(table) + ", " + Value(table.columns[2]) +
           ", " + std::to_string(Between(1, 9)) + ")";
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
  std::string sql = "INSERT INTO " + Ref(target) + " (name, qty) SELECT LEFT(name, " +
                    std::to_string(name_length) + "), qty + 1 FROM " + Ref(source) + " WHERE " +
                    Where(source) + " ORDER BY id";
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
        std::string sql = "INSERT INTO " + Ref(table) + " (" +
                          std::string(table.auto_increment ? "" : "id, ") + "name, parent) VALUES (" +
                          (table.auto_increment ? "" : IdValue(table, true) + ", ") +
                          "'child of last', LAST_INSERT_ID())";
        return Emit(sql);
      }
      [[fallthrough]];
    case 1: return Emit("UPDATE " + Ref(table) + " SET qty = qty + 1 WHERE id = LAST_INSERT_ID()");
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
  const bool order_matters =
      assignments.find("RAND(") != std::string::npos || assignments.find(":=") != std::string::npos;
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
    return Emit("DELETE FROM " + Ref(table) +
                " WHERE id = " + std::to_string(Between(1, table.ids_used + 1)));
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
      return Emit("UPDATE " + Ref(table) + " SET name = CONCAT(@" + variable->name +
                  " / 3) WHERE id = " + std::to_string(Between(1, table.ids_used + 1)));
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
      Emit("INSERT INTO " + Ref(table) + " (code, name) VALUES (NULL, 'first'), (" + code + ", 'second'), (" +
           code + ", 'duplicate')");
      return Emit("INSERT INTO " + Ref(table) +
                  " (name, qty) VALUES ('after a failed insert', LAST_INSERT_ID())");
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

}  // namespace ddb::testing
