// WorkloadGenerator: a seeded random SQL workload for the master console.
//
// It writes DDL (CREATE/ALTER/DROP/RENAME/TRUNCATE, CREATE INDEX), DML
// (single- and multi-row INSERT, INSERT IGNORE, INSERT ... ON DUPLICATE KEY
// UPDATE, REPLACE, INSERT ... SELECT, UPDATE, DELETE, multi-table UPDATE),
// transactions (BEGIN/COMMIT, BEGIN/ROLLBACK, savepoints, autocommit=0
// sessions, implicit commits), NULLs, utf8mb4 text with emoji, quotes and
// backslashes, AUTO_INCREMENT, clock functions, RAND(), LAST_INSERT_ID(),
// user variables and session time zones, over two databases (wl, wl_b);
// stored programs (triggers BEFORE/AFTER INSERT/UPDATE/DELETE writing to
// wl.audit or adjusting NEW, procedures and functions that write, CALL,
// SELECT/DO/INSERT/UPDATE calling a function, DROP and re-CREATE), some with
// compound bodies the console reads between DELIMITER lines.
//
// Every statement is one ddb accepts (nothing ddb/sql/replay_safety.h calls
// unsafe, no temporary tables, no LOCK TABLES), but for a few written to be
// refused (RefusedByTheMaster: PREPARE, EXECUTE, XA, LOAD DATA, @@port in a
// write, ENGINE=MyISAM, READ COMMITTED): the master refuses them and changes
// nothing, and the model assumes nothing of them. Some fail on purpose
// (duplicate keys, a missing savepoint, DEALLOCATE of a text never
// prepared): failed statements are not replicated, which is part of what the
// workload checks.
//
// Deterministic: a seed gives the same statements on every platform. Only
// std::mt19937_64's raw output is used (its sequence is fixed by the
// standard; the std:: distributions are not).
//
// The generator keeps a model of the schema it created (tables, columns,
// indexes, triggers, routines, roughly how many ids were handed out) so its
// statements name things that exist; DDL it emits always succeeds (but the
// refused statements), so the model stays exact. The code is split by
// concept: workload_generator.cpp (units, transactions, session),
// _schema.cpp (table DDL), _dml.cpp, _values.cpp (SQL pieces) and
// _programs.cpp (stored programs and refused statements).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ddb::testing {

class WorkloadGenerator {
 public:
  explicit WorkloadGenerator(uint64_t seed);

  // The next `count` statements of the workload, without terminators. Calls
  // continue the same workload; every call leaves no transaction open and
  // autocommit on.
  std::vector<std::string> Next(int count);

 private:
  enum class Type {
    kInt,
    kBigInt,
    kDecimal,
    kDouble,
    kVarchar,
    kText,
    kDateTime,
    kTimestamp,
    kDate,
    kBool,
    kEnum
  };
  struct Column {
    std::string name;
    Type type;
    int length = 0;  // kVarchar: characters
    bool nullable = true;
    bool added = false;    // by ALTER TABLE ... ADD COLUMN: may be dropped again
    bool indexed = false;  // in an index: never dropped, so indexes stay as made
  };
  struct Table {
    std::string database;
    std::string name;
    bool auto_increment = true;
    std::vector<Column> columns;  // columns[0] is `id`, columns[1] is `code` (UNIQUE)
    int ids_used = 0;             // ids handed out so far (about the largest id)
    int added_columns = 0;        // ALTER ... ADD COLUMN c<n>
    int indexes = 0;
    // Triggers on the table (they go when it is dropped). Their bodies use
    // only id, name and qty, which no ALTER drops, and the table never moves
    // to the other database while it has any (MariaDB refuses that).
    std::vector<std::string> triggers;
  };
  // A stored procedure or function. A procedure inserts into one workload
  // table (the target); it can be called while that table exists under that
  // name. A function writes only to wl.audit, which no DDL touches.
  struct Routine {
    bool procedure = true;
    std::string database;
    std::string name;
    std::string target_database;
    std::string target_name;
  };
  enum class VariableKind { kInt, kString, kDouble, kDateTime, kNull };
  struct Variable {
    std::string name;
    VariableKind kind;
  };

  static constexpr int kSetupStatements = 7;
  static constexpr size_t kMinTables = 3;
  static constexpr size_t kMaxTables = 8;
  static constexpr int kMaxAddedColumns = 6;
  static constexpr int kMaxIndexes = 6;
  static constexpr const char* kDatabases[] = {"wl", "wl_b"};

  static std::string Quoted(const std::string& name) { return "`" + name + "`"; }

  // Random helpers over the raw engine output.
  uint64_t Below(uint64_t n);
  int Between(int low, int high);  // inclusive
  bool Percent(int p);
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

  // Units: each appends one or more statements to out_.
  void Setup();
  void Unit();
  void Emit(std::string sql) { out_.push_back(std::move(sql)); }
  int Remaining() const { return target_ - static_cast<int>(out_.size()); }

  void TransactionBlock(bool commit);
  void SavepointBlock();
  void AutocommitBlock();
  void Dml();
  void Ddl();
  void StoredProgram();
  void Refused();

  void CreateTable(const std::string& database);
  void CreateTableLike();
  void AlterAddColumn();
  void AlterDropColumn();
  void AlterModifyColumn();
  void CreateIndex();
  void DropTable();
  void RenameTable();
  void Truncate();
  void UseDatabase();
  void SetVariable();
  void SetTimeZone();
  void Read();

  void Insert();
  void InsertMultiRow();
  void InsertIgnore();
  void InsertOnDuplicateKeyUpdate();
  void Replace();
  void InsertSelect();
  void InsertChildOfLastInsert();
  void Update();
  void UpdateJoin();
  void Delete();
  void EdgeCase();

  // Stored programs (workload_generator_programs.cpp).
  void CreateAuditTable();
  void CreateTrigger();
  void DropTrigger();
  void CreateProcedure(const std::string& database, const std::string& name);
  void CreateFunction(const std::string& database, const std::string& name);
  void CreateRoutine();
  void RedefineRoutine();
  void DropRoutine();
  void CallRoutine();
  void CallProcedure(const Routine& routine);
  void CallFunction(const Routine& routine);
  std::string RoutineRef(const Routine& routine);
  Table* FindTable(const std::string& database, const std::string& name);

  // SQL pieces.
  Table& AnyTable();
  std::string Ref(const Table& table);  // `db`.`t` or t, as the current database allows
  std::string Value(const Column& column);
  std::string Literal(const Column& column);
  std::string IdValue(Table& table, bool fresh);
  std::string CodeValue(const Table& table);
  std::string Text(int max_chars);
  std::string Where(const Table& table);
  std::string Assignment(const Table& table);
  std::vector<const Column*> SomeColumns(const Table& table);
  std::string RowFor(Table& table, const std::vector<const Column*>& columns, bool with_id, bool fresh_id);
  std::string ColumnList(const std::vector<const Column*>& columns, bool with_id);
  const Variable* VariableOf(VariableKind kind);

  std::mt19937_64 engine_;
  std::vector<std::string> out_;
  int target_ = 0;
  bool set_up_ = false;
  std::vector<Table> tables_;
  std::vector<Variable> variables_;
  std::string current_database_;
  int table_counter_ = 0;
  int name_counter_ = 0;
  int program_counter_ = 0;        // names of triggers, routines and refused tables
  std::vector<Routine> routines_;  // on the server, callable or not
};

// Whether `sql` is one the workload writes for the master to refuse
// (PREPARE, EXECUTE, XA, LOAD DATA, @@port in a write, ENGINE=MyISAM,
// READ COMMITTED, a routine body that prepares a text): it must fail with
// ddb's refusal and change nothing.
bool RefusedByTheMaster(const std::string& sql);

// A compound statement (a routine or trigger body with ';' inside): the
// console needs another delimiter around it.
bool NeedsDelimiter(const std::string& sql);

// statements[begin, end) as console input: each followed by ";\n", a
// compound one wrapped in DELIMITER // ... // DELIMITER ;.
std::string ConsoleText(const std::vector<std::string>& statements, size_t begin, size_t end);

// The first `statements` statements for `seed`, without terminators.
std::vector<std::string> GenerateWorkloadStatements(uint64_t seed, int statements);

// The same as console input (ConsoleText).
std::string GenerateWorkload(uint64_t seed, int statements);

// The seeds random_workload_test runs, each on a cluster of its own, and
// workload_generator_test checks without MySQL.
inline constexpr uint64_t kWorkloadSeeds[] = {20240611, 7, 31337};

}  // namespace ddb::testing
