#include "workload_generator.h"

#include <algorithm>
#include <iterator>

namespace ddb::testing {

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
  CreateAuditTable();
  set_up_ = true;
}

// One unit of work: a single statement or a whole transaction. A unit that
// does not fit in what is left of the run is replaced by a single statement.
void WorkloadGenerator::Unit() {
  const int roll = static_cast<int>(Below(108));
  const int remaining = Remaining();
  if (roll >= 105) return Refused();
  if (roll >= 100) return StoredProgram();
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
  const int roll = static_cast<int>(Below(104));
  if (roll >= 100) return CallRoutine();
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
        expression = Percent(50) ? "NOW(6)"
                                 : "DATE_ADD(NOW(), INTERVAL " + std::to_string(Between(1, 999)) + " MINUTE)";
        break;
      case 4: expression = "LAST_INSERT_ID()"; break;
      case 5: {
        // Left out of the mix: (SELECT COALESCE(MAX(id), 0) FROM t), a
        // DECIMAL variable when id is BIGINT UNSIGNED. Divided, it replays
        // to other digits (a divergence, reported; a trigger logging
        // OLD.name caught it):
        //   CREATE TABLE wl.u (id BIGINT UNSIGNED PRIMARY KEY);
        //   INSERT INTO wl.u VALUES (383);
        //   CREATE TABLE wl.t (id INT PRIMARY KEY, name VARCHAR(64));
        //   INSERT INTO wl.t VALUES (1, NULL);
        //   SET @v = (SELECT COALESCE(MAX(id), 0) FROM wl.u);
        //   UPDATE wl.t SET name = CONCAT(@v / 3) WHERE id = 1;
        //   -- master: 127.66666666600000000000000000000000000000; slaves: 127.6667
        const Table& table = AnyTable();
        expression = "(SELECT COUNT(*) FROM " + Ref(table) + ")";
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
  Emit("SELECT id, code, qty FROM " + Ref(table) +
       " WHERE id = " + std::to_string(Between(1, table.ids_used + 1)));
}

std::vector<std::string> GenerateWorkloadStatements(uint64_t seed, int statements) {
  WorkloadGenerator generator(seed);
  return generator.Next(statements);
}

bool NeedsDelimiter(const std::string& sql) {
  return sql.size() >= 4 && sql.compare(sql.size() - 4, 4, "\nEND") == 0;
}

std::string ConsoleText(const std::vector<std::string>& statements, size_t begin, size_t end) {
  std::string text;
  for (size_t i = begin; i < end; ++i) {
    if (NeedsDelimiter(statements[i])) {
      text += "DELIMITER //\n" + statements[i] + "//\nDELIMITER ;\n";
    } else {
      text += statements[i] + ";\n";
    }
  }
  return text;
}

std::string GenerateWorkload(uint64_t seed, int statements) {
  const std::vector<std::string> all = GenerateWorkloadStatements(seed, statements);
  return ConsoleText(all, 0, all.size());
}

}  // namespace ddb::testing
