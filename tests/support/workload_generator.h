// WorkloadGenerator: a seeded random SQL workload for the master console.
//
// It writes DDL (CREATE/ALTER/DROP/RENAME/TRUNCATE, CREATE INDEX), DML
// (single- and multi-row INSERT, INSERT IGNORE, INSERT ... ON DUPLICATE KEY
// UPDATE, REPLACE, INSERT ... SELECT, UPDATE, DELETE, multi-table UPDATE),
// transactions (BEGIN/COMMIT, BEGIN/ROLLBACK, savepoints, autocommit=0
// sessions, implicit commits), NULLs, utf8mb4 text with emoji, quotes and
// backslashes, AUTO_INCREMENT, clock functions, RAND(), LAST_INSERT_ID(),
// user variables and session time zones, over two databases (wl, wl_b).
//
// Every statement is one ddb accepts (nothing ddb/replay_safety.h calls
// unsafe, no temporary tables, no LOCK TABLES). Some fail on purpose
// (duplicate keys, a missing savepoint): failed statements are not
// replicated, which is part of what the workload checks.
//
// Deterministic: a seed gives the same statements on every platform. Only
// std::mt19937_64's raw output is used (its sequence is fixed by the
// standard; the std:: distributions are not).
//
// The generator keeps a model of the schema it created (tables, columns,
// indexes, roughly how many ids were handed out) so its statements name
// things that exist; DDL it emits always succeeds, so the model stays exact.
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
  enum class Type { kInt, kBigInt, kDecimal, kDouble, kVarchar, kText, kDateTime, kTimestamp, kDate, kBool, kEnum };
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
  };
  enum class VariableKind { kInt, kString, kDouble, kDateTime, kNull };
  struct Variable {
    std::string name;
    VariableKind kind;
  };

  static constexpr int kSetupStatements = 6;
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
};

// The first `statements` statements for `seed`, without terminators.
std::vector<std::string> GenerateWorkloadStatements(uint64_t seed, int statements);

// The same as console input: each statement followed by ";\n".
std::string GenerateWorkload(uint64_t seed, int statements);

}  // namespace ddb::testing
