// Stored programs (triggers, procedures, functions) and the statements the
// master refuses.
//
// Bodies write only to workload tables and to wl.audit (made by Setup, never
// altered, dropped or named by other DDL), and use only columns no ALTER
// drops (id, name, qty), so a program created once keeps working while its
// tables exist. Every body is deterministic: NOW() is the statement's pinned
// clock on every node, and there is no RAND() or UUID() in them.
#include <algorithm>

#include "workload_generator.h"

namespace ddb::testing {

// No AUTO_INCREMENT column here, nor any in a table a procedure inserts
// into: ids generated inside a trigger, function or procedure come from each
// server's own counter, so the master refuses such programs
// (src/master/sql/program_ids.h; the replay matrix has those cases). So the
// audit table has no key: CHECKSUM TABLE compares it all the same.
void WorkloadGenerator::CreateAuditTable() {
  Emit(
      "CREATE TABLE wl.audit (\n  source VARCHAR(32) NOT NULL,\n  ref BIGINT NULL,\n  n BIGINT NULL,\n"
      "  note VARCHAR(64) NULL\n) ENGINE=InnoDB");
}

// Triggers, routines and their calls: a unit of its own, outside any
// transaction (CREATE and DROP commit implicitly).
void WorkloadGenerator::StoredProgram() {
  const int roll = static_cast<int>(Below(100));
  if (roll < 30) return CreateTrigger();
  if (roll < 40) return DropTrigger();
  if (roll < 60) return CreateRoutine();
  if (roll < 75) return Remaining() >= 2 ? RedefineRoutine() : CreateRoutine();
  if (roll < 80) return DropRoutine();
  CallRoutine();
}

WorkloadGenerator::Table* WorkloadGenerator::FindTable(const std::string& database, const std::string& name) {
  for (Table& table : tables_) {
    if (table.database == database && table.name == name) return &table;
  }
  return nullptr;
}

void WorkloadGenerator::CreateTrigger() {
  Table& table = AnyTable();
  const std::string name = "tg" + std::to_string(++program_counter_);
  const std::string source = "'" + name + "'";
  std::string timing = "AFTER";
  std::string event;
  std::string body;
  switch (Below(7)) {
    case 0:
      event = "INSERT";
      body = "INSERT INTO wl.audit (source, ref, n) VALUES (" + source + ", NEW.id, NEW.qty)";
      break;
    case 1:
      event = "UPDATE";
      body = "INSERT INTO wl.audit (source, ref, n, note) VALUES (" + source +
             ", NEW.id, NEW.qty - OLD.qty, LEFT(OLD.name, 24))";
      break;
    case 2:
      event = "DELETE";
      body = "INSERT INTO wl.audit (source, ref, n, note) VALUES (" + source +
             ", OLD.id, OLD.qty, CONCAT('at ', NOW(6)))";
      break;
    case 3:
      timing = "BEFORE";
      event = "INSERT";
      body = "SET NEW.qty = COALESCE(NEW.qty, 0) + " + std::to_string(Between(1, 1000));
      break;
    case 4:
      // A compound body: the console reads it between DELIMITER lines.
      timing = "BEFORE";
      event = "UPDATE";
      body =
          "BEGIN\n  IF NEW.qty < 0 THEN\n    SET NEW.qty = 0;\n  END IF;\n  SET NEW.name = "
          "LEFT(COALESCE(NEW.name, OLD.name), 24);\nEND";
      break;
    case 5:
      timing = "BEFORE";
      event = "DELETE";
      body = "INSERT INTO wl.audit (source, ref, note) VALUES (" + source + ", OLD.id, LEFT(OLD.name, 24))";
      break;
    default:
      event = "INSERT";
      body = "BEGIN\n  INSERT INTO wl.audit (source, ref) VALUES (" + source +
             ", NEW.id);\n  INSERT INTO wl.audit (source, n) VALUES (" + source + ", NEW.qty * 2);\nEND";
      break;
  }
  Emit("CREATE TRIGGER " + Quoted(table.database) + "." + name + " " + timing + " " + event + " ON " +
       Ref(table) + " FOR EACH ROW " + body);
  table.triggers.push_back(name);
}

void WorkloadGenerator::DropTrigger() {
  std::vector<Table*> with_triggers;
  for (Table& table : tables_) {
    if (!table.triggers.empty()) with_triggers.push_back(&table);
  }
  if (with_triggers.empty()) return CreateTrigger();
  Table& table = *with_triggers[Below(with_triggers.size())];
  const size_t index = Below(table.triggers.size());
  Emit(std::string(Percent(50) ? "DROP TRIGGER " : "DROP TRIGGER IF EXISTS ") + table.database + "." +
       table.triggers[index]);
  table.triggers.erase(table.triggers.begin() + static_cast<std::ptrdiff_t>(index));
}

void WorkloadGenerator::CreateProcedure(const std::string& database, const std::string& name) {
  std::vector<Table*> keyed;  // without AUTO_INCREMENT (see CreateAuditTable)
  for (Table& table : tables_) {
    if (!table.auto_increment) keyed.push_back(&table);
  }
  if (keyed.empty()) return CreateFunction(database, name);
  Table& target = *keyed[Below(keyed.size())];
  const std::string table = Quoted(target.database) + "." + Quoted(target.name);
  // k: the id, a: qty, b: name.
  std::string sql =
      "CREATE PROCEDURE " + Quoted(database) + "." + name + "(IN k BIGINT, IN a INT, IN b VARCHAR(40))";
  const std::string insert = "INSERT INTO " + table + " (id, name, qty) VALUES (k, LEFT(b, 24), a)";
  if (Percent(50)) {
    sql += " " + insert;
  } else {
    sql += "\nBEGIN\n  " + insert + ";\n  UPDATE " + table +
           " SET qty = qty + 1 WHERE qty < a;\n  INSERT INTO wl.audit (source, n, note) VALUES ('" + name +
           "', a, b);\nEND";
  }
  Emit(sql);
  routines_.push_back({true, database, name, target.database, target.name});
}

void WorkloadGenerator::CreateFunction(const std::string& database, const std::string& name) {
  std::string sql = "CREATE FUNCTION " + Quoted(database) + "." + name + "(a INT) RETURNS INT";
  switch (Below(3)) {
    case 0: sql += " DETERMINISTIC RETURN a * 3 - 1"; break;
    case 1:
      sql += " MODIFIES SQL DATA\nBEGIN\n  INSERT INTO wl.audit (source, n) VALUES ('" + name +
             "', a);\n  RETURN a * 2 + 1;\nEND";
      break;
    default:
      // Its value depends on what the audit table holds: the same on every
      // node when the rows are.
      sql += " MODIFIES SQL DATA\nBEGIN\n  INSERT INTO wl.audit (source, n) VALUES ('" + name +
             "', a);\n  RETURN (SELECT COUNT(*) FROM wl.audit WHERE source = '" + name + "') + a;\nEND";
      break;
  }
  Emit(sql);
  routines_.push_back({false, database, name, "", ""});
}

void WorkloadGenerator::CreateRoutine() {
  const std::string database = kDatabases[Below(2)];
  const std::string name = "r" + std::to_string(++program_counter_);
  if (Percent(50)) return CreateProcedure(database, name);
  CreateFunction(database, name);
}

// DROP ... IF EXISTS and CREATE again under the same name (now perhaps for
// another table, or as the other kind of routine).
void WorkloadGenerator::RedefineRoutine() {
  if (routines_.empty()) return CreateRoutine();
  const size_t index = Below(routines_.size());
  const Routine old = routines_[index];
  routines_.erase(routines_.begin() + static_cast<std::ptrdiff_t>(index));
  Emit(std::string(old.procedure ? "DROP PROCEDURE IF EXISTS " : "DROP FUNCTION IF EXISTS ") +
       Quoted(old.database) + "." + old.name);
  if (Percent(50)) return CreateProcedure(old.database, old.name);
  CreateFunction(old.database, old.name);
}

void WorkloadGenerator::DropRoutine() {
  if (routines_.empty()) return CreateRoutine();
  const size_t index = Below(routines_.size());
  const Routine& routine = routines_[index];
  Emit(std::string(routine.procedure ? "DROP PROCEDURE " : "DROP FUNCTION ") + Quoted(routine.database) +
       "." + routine.name);
  routines_.erase(routines_.begin() + static_cast<std::ptrdiff_t>(index));
}

std::string WorkloadGenerator::RoutineRef(const Routine& routine) {
  if (routine.database == current_database_ && Percent(50)) return routine.name;
  return Percent(50) ? routine.database + "." + routine.name : Quoted(routine.database) + "." + routine.name;
}

// A call of a routine that works now (a procedure whose table is still
// there); DML when there is none. Calls also come inside transactions
// (Dml), so their writes commit and roll back with the rest.
void WorkloadGenerator::CallRoutine() {
  std::vector<const Routine*> callable;
  for (const Routine& routine : routines_) {
    if (!routine.procedure || FindTable(routine.target_database, routine.target_name) != nullptr) {
      callable.push_back(&routine);
    }
  }
  if (callable.empty()) return Insert();
  const Routine& routine = *callable[Below(callable.size())];
  if (routine.procedure) return CallProcedure(routine);
  CallFunction(routine);
}

void WorkloadGenerator::CallProcedure(const Routine& routine) {
  Table& target = *FindTable(routine.target_database, routine.target_name);
  // An explicit id (or a taken one: a duplicate key); the target has no
  // AUTO_INCREMENT column (CreateProcedure).
  const std::string id = IdValue(target, Percent(85));
  Emit("CALL " + RoutineRef(routine) + "(" + id + ", " + std::to_string(Between(-5, 500)) + ", " + Text(24) +
       ")");
}

// A function that writes, called from a read, DO or SET: the master runs
// the statement as a logged write, so its writes replay on every slave.
void WorkloadGenerator::CallFunction(const Routine& routine) {
  const std::string call = RoutineRef(routine) + "(" + std::to_string(Between(-50, 500)) + ")";
  Table& table = AnyTable();
  switch (Below(5)) {
    case 0: return Emit("SELECT " + call + (Percent(50) ? " AS v" : " + 1"));
    case 1: return Emit("DO " + call);
    case 2:
      if (!table.auto_increment) return Emit("DO " + call);
      ++table.ids_used;
      return Emit("INSERT INTO " + Ref(table) + " (name, qty) VALUES ('by function', " + call + ")");
    case 3:
      return Emit("UPDATE " + Ref(table) + " SET qty = " + call +
                  " WHERE id = " + std::to_string(Between(1, table.ids_used + 1)));
    default: {
      std::erase_if(variables_, [](const Variable& v) { return v.name == "v4"; });
      variables_.push_back({"v4", VariableKind::kInt});
      return Emit(Percent(50) ? "SELECT " + call + " INTO @v4" : "SET @v4 = " + call);
    }
  }
}

// A statement the master refuses (docs/replay.md, "Refused always"): it
// fails with ddb's reason and changes nothing, so the model stays as it
// was. DEALLOCATE PREPARE runs (locally) and fails: nothing was prepared.
void WorkloadGenerator::Refused() {
  const Table& table = AnyTable();
  switch (Below(10)) {
    case 0:
      return Emit("PREPARE s1 FROM 'INSERT INTO " + table.database + "." + table.name +
                  " (name, qty) VALUES (''prepared'', ?)'");
    case 1: return Emit(Percent(50) ? "EXECUTE s1" : "EXECUTE s1 USING @v1");
    case 2: return Emit("DEALLOCATE PREPARE s1");
    case 3: return Emit(Percent(50) ? "XA START 'wl'" : "XA BEGIN 'wl', 'b1'");
    case 4: return Emit("LOAD DATA INFILE '/tmp/wl.csv' INTO TABLE " + Ref(table));
    case 5: return Emit("INSERT INTO " + Ref(table) + " (name, qty) VALUES ('port', @@port)");
    case 6:
      return Emit("CREATE TABLE " + std::string(kDatabases[Below(2)]) + ".m" +
                  std::to_string(++program_counter_) + " (id INT PRIMARY KEY, v INT) ENGINE=MyISAM");
    case 7: return Emit("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    case 8: return Emit("UPDATE " + Ref(table) + " SET qty = @@server_id WHERE id = 1");
    default:
      return Emit("CREATE PROCEDURE wl.dyn" + std::to_string(++program_counter_) +
                  "()\nBEGIN\n  PREPARE s2 FROM 'DELETE FROM wl.audit';\n  EXECUTE s2;\nEND");
  }
}

bool RefusedByTheMaster(const std::string& sql) {
  for (const char* prefix : {"PREPARE ", "EXECUTE ", "XA ", "LOAD DATA "}) {
    if (sql.rfind(prefix, 0) == 0) return true;
  }
  for (const char* part : {"@@port", "@@server_id", "ENGINE=MyISAM", "READ COMMITTED", "PREPARE s2 FROM"}) {
    if (sql.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace ddb::testing
