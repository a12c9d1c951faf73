#include "nontransactional_writes.h"

#include <algorithm>
#include <string_view>

#include "statement_policy.h"
#include "write_reach.h"
#include "written_tables.h"

namespace ddb {
namespace {

using Key = std::pair<std::string, std::string>;

std::string Converting(const NonTransactionalTable& found) {
  return ": a write to it stays when its transaction rolls back or the statement fails part way, and the "
         "slaves get only what committed; convert it first with ALTER TABLE " +
         found.table + " ENGINE=InnoDB (nothing was changed)";
}

// Where a statement (or a body, in `schema`) starts writing: the tables it
// names and the routines it calls, each once, unqualified names in `schema`.
WriteStart StartOf(const std::vector<TableName>& tables, const std::vector<Token>& tokens,
                   const std::string& schema) {
  WriteStart start;
  auto add = [&schema](std::vector<Key>* out, const std::string& named_schema, const std::string& name) {
    Key key{named_schema.empty() ? schema : named_schema, name};
    if (!key.first.empty() && std::find(out->begin(), out->end(), key) == out->end()) out->push_back(key);
  };
  for (const TableName& table : tables) add(&start.tables, table.schema, table.table);
  for (const std::vector<RoutineName>& called : {ProceduresCalled(tokens), StoredFunctionsCalled(tokens)}) {
    for (const RoutineName& routine : called) add(&start.routines, routine.schema, routine.name);
  }
  return start;
}

}  // namespace

bool NontransactionalWrites::KnownFine(const std::string& account, const KnownFineTables::Key& key) {
  if (known_fine_.count(key) != 0) return true;
  // Kept here too once the shared answer is taken: the session's next
  // writes to the table take no lock.
  if (shared_ == nullptr || !shared_->Contains(account, epoch_, key)) return false;
  known_fine_.insert(key);
  return true;
}

Status NontransactionalWrites::Check(SqlConnection& connection, const ParsedStatement& statement,
                                     const std::string& current_database, uint64_t schema_epoch,
                                     const std::string& account, bool refuse_unsafe) {
  if (schema_epoch != epoch_) {
    known_fine_.clear();
    epoch_ = schema_epoch;
  }
  WriteStart start = StartOf(WrittenTables(statement), statement.tokens, current_database);
  std::erase_if(start.tables, [&](const Key& key) { return KnownFine(account, {false, key}); });
  std::erase_if(start.routines, [&](const Key& key) { return KnownFine(account, {true, key}); });
  if (start.empty()) return Status::Ok();
  NonTransactionalTable found;
  if (Status s = FindNonTransactionalReach(connection, start, refuse_unsafe, &found); !s.ok()) return s;
  if (!found.table.empty()) {
    return Status::Refused(found.table + " is a " + found.engine + " table" + found.path + Converting(found));
  }
  std::vector<KnownFineTables::Key> fine;
  for (const Key& key : start.tables) fine.push_back({false, key});
  for (const Key& key : start.routines) fine.push_back({true, key});
  known_fine_.insert(fine.begin(), fine.end());
  if (shared_ != nullptr) shared_->Add(account, schema_epoch, fine);
  return Status::Ok();
}

Status CheckProgramWrites(SqlConnection& connection, const ParsedStatement& statement,
                          const std::string& current_database, bool refuse_unsafe) {
  const StatementInfo& info = statement.info;
  const bool program = info.kind == StatementKind::kDdl && info.verb == "CREATE" &&
                       (info.object == "TRIGGER" || info.object == "PROCEDURE" || info.object == "FUNCTION" ||
                        info.object == "PACKAGE");
  const bool block = info.kind == StatementKind::kDml && IsCompoundVerb(info.verb);
  if (!program && !block) return Status::Ok();
  const std::string schema = program ? ProgramSchema(statement.tokens, current_database) : current_database;
  const WriteStart start = StartOf(TablesWrittenInBody(statement.tokens), statement.tokens, schema);
  if (start.empty()) return Status::Ok();
  NonTransactionalTable found;
  if (Status s = FindNonTransactionalReach(connection, start, refuse_unsafe, &found); !s.ok()) return s;
  if (found.table.empty()) return Status::Ok();
  return Status::Refused("its body writes " + found.table + found.path + ", whose engine is " + found.engine +
                         Converting(found));
}

}  // namespace ddb
