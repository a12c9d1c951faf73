#include "temporary_reach.h"

#include <deque>
#include <set>
#include <utility>

#include "statement_policy.h"

namespace ddb {
namespace {

// Far more routines than a sane call graph reaches: past it, refuse rather
// than walk on.
constexpr size_t kMaxRoutines = 64;

using RoutineKey = std::pair<std::string, std::string>;  // (schema, name)

// The routines `tokens` call, unqualified ones in `schema`.
void AddCalled(const std::vector<Token>& tokens, const std::string& schema, std::deque<RoutineKey>* pending) {
  for (const std::vector<RoutineName>& called : {ProceduresCalled(tokens), StoredFunctionsCalled(tokens)}) {
    for (const RoutineName& routine : called) {
      pending->emplace_back(routine.schema.empty() ? schema : routine.schema, routine.name);
    }
  }
}

std::string Described(const RoutineKey& routine) {
  return QuoteIdentifier(routine.first) + "." + QuoteIdentifier(routine.second);
}

}  // namespace

Status CheckProgramsAvoidTemporaryTables(SqlConnection& connection, const std::vector<Token>& tokens,
                                         const std::string& database, const TemporaryTables& tables) {
  std::deque<RoutineKey> pending;
  AddCalled(tokens, database, &pending);
  std::set<RoutineKey> seen;
  while (!pending.empty()) {
    RoutineKey routine = std::move(pending.front());
    pending.pop_front();
    if (!seen.insert(routine).second) continue;
    if (seen.size() > kMaxRoutines) {
      return Status::Refused(
          "this session holds temporary tables, and the statement reaches more than " +
          std::to_string(kMaxRoutines) +
          " stored routines, whose bodies ddb did not all read to see whether one reads them");
    }
    QueryResult body;
    if (Status s = connection.ExecuteWithParams(
            "SELECT ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND "
            "ROUTINE_NAME = ?",
            {SqlParam(routine.first), SqlParam(routine.second)}, &body);
        !s.ok()) {
      return s;
    }
    if (body.rows.empty()) continue;  // no such routine (or a UDF): MariaDB says so when it runs
    const std::optional<std::string>& definition = body.rows[0].at(0);
    if (!definition) {
      return Status::Refused(
          "this session holds temporary tables, which only the master has, and the statement "
          "reaches " +
          Described(routine) +
          ", whose body this account may not read: ddb cannot tell whether its replay would "
          "read one; drop them first (DROP TEMPORARY TABLE)");
    }
    const std::vector<Token> body_tokens = Tokenize(*definition);
    if (const std::string named = tables.NamedIn(body_tokens); !named.empty()) {
      return Status::Refused(
          Described(routine) + " reads " + QuoteIdentifier(named) +
          ", a temporary table of this session, which only the master has: its replay on the "
          "slaves could not; drop the table first (DROP TEMPORARY TABLE), or give the routine "
          "a real table");
    }
    AddCalled(body_tokens, routine.first, &pending);
  }
  return Status::Ok();
}

}  // namespace ddb
