#include "nontransactional_writes.h"

#include <algorithm>
#include <string_view>

#include "statement_policy.h"
#include "write_reach.h"
#include "written_tables.h"

namespace ddb {
namespace {

std::string Converting(const NonTransactionalTable& found) {
  return ": a write to it stays when its transaction rolls back or the statement fails part way, and the "
         "slaves get only what committed; convert it first with ALTER TABLE " +
         found.table + " ENGINE=InnoDB (nothing was changed)";
}

}  // namespace

Status NontransactionalWrites::Check(SqlConnection& connection, const ParsedStatement& statement,
                                     const std::string& current_database, uint64_t schema_epoch) {
  if (schema_epoch != epoch_) {
    known_fine_.clear();
    epoch_ = schema_epoch;
  }
  std::vector<std::pair<std::string, std::string>> asked;
  for (const TableName& name : WrittenTables(statement)) {
    std::pair<std::string, std::string> key{name.schema.empty() ? current_database : name.schema, name.table};
    if (!key.first.empty() && known_fine_.count(key) == 0) asked.push_back(std::move(key));
  }
  NonTransactionalTable found;
  if (Status s = FindNonTransactionalReach(connection, asked, &found); !s.ok()) return s;
  if (!found.table.empty()) {
    return Status::Refused(found.table + " is a " + found.engine + " table" + found.path + Converting(found));
  }
  known_fine_.insert(asked.begin(), asked.end());
  return Status::Ok();
}

Status CheckProgramWrites(SqlConnection& connection, const ParsedStatement& statement,
                          const std::string& current_database) {
  const StatementInfo& info = statement.info;
  const bool program = info.kind == StatementKind::kDdl && info.verb == "CREATE" &&
                       (info.object == "TRIGGER" || info.object == "PROCEDURE" || info.object == "FUNCTION" ||
                        info.object == "PACKAGE");
  const bool block = info.kind == StatementKind::kDml && IsCompoundVerb(info.verb);
  if (!program && !block) return Status::Ok();
  const std::string schema = program ? ProgramSchema(statement.tokens, current_database) : current_database;
  std::vector<std::pair<std::string, std::string>> asked;
  for (const TableName& name : TablesWrittenInBody(statement.tokens)) {
    std::pair<std::string, std::string> key{name.schema.empty() ? schema : name.schema, name.table};
    if (!key.first.empty() && std::find(asked.begin(), asked.end(), key) == asked.end()) asked.push_back(key);
  }
  NonTransactionalTable found;
  if (Status s = FindNonTransactionalReach(connection, asked, &found); !s.ok()) return s;
  if (found.table.empty()) return Status::Ok();
  return Status::Refused("its body writes " + found.table + found.path + ", whose engine is " + found.engine +
                         Converting(found));
}

}  // namespace ddb
