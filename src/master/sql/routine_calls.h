// The stored routines a statement calls, told from built-in functions and
// from table names followed by a column list: what the master's checks
// follow into bodies (statement_policy.h, write_reach.h, temporary_reach.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ddb/sql/sql_lexer.h"

namespace ddb {

// Whether `sql` calls a function that is not built into MariaDB: a stored
// function (or UDF), which may write. A read that does is run and logged as
// a write, so its writes replay on every slave; never routed to a slave.
bool CallsStoredFunction(std::string_view sql, LexMode mode = {});
bool CallsStoredFunction(const std::vector<Token>& tokens);

// The query of CREATE … [AS] [(]SELECT …: its tokens from the first SELECT,
// WITH or VALUES; empty without one. The rest of a definition calls
// nothing, though a column's type may look like a call (VARCHAR(10)).
std::vector<Token> QueryOfDefinition(const std::vector<Token>& tokens);

// A stored routine as a statement names it; `schema` empty when unqualified.
struct RoutineName {
  std::string schema;
  std::string name;
};
// The stored functions `tokens` call (as CallsStoredFunction tells them
// from built-ins), and the procedures they CALL (a program's body may CALL
// several).
std::vector<RoutineName> StoredFunctionsCalled(const std::vector<Token>& tokens);
std::vector<RoutineName> ProceduresCalled(const std::vector<Token>& tokens);

}  // namespace ddb
