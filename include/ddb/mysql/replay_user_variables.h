// ReplayUserVariables: the user variables a replaying session may hold, so
// that each statement runs with exactly those its master session held.
//
// An applier replays every master session's statements in one session of
// its own. A statement carries the user variables its master session held
// (the master's session_user_variables.h); any other still set here, by
// another session's statement or by a procedure replayed here, would be
// read by a trigger or routine as a value the master's session never had.
// So a statement's SET also sets those to NULL, as an unset variable reads.
// Not thread-safe: one per ReplaySession.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "ddb/base/log_record.h"
#include "ddb/base/status.h"
#include "ddb/mysql/sql_connection.h"

namespace ddb {

// The names of the user variables the session of `connection` holds
// (information_schema.USER_VARIABLES), unquoted.
Status HeldUserVariables(SqlConnection& connection, std::vector<std::string>* names);

class ReplayUserVariables {
 public:
  // "@x = NULL" for each variable the session may hold that `statement`
  // does not carry.
  std::vector<std::string> Clearing(const LoggedStatement& statement) const;
  // `statement`'s context was set: the session holds only what it carries.
  void Set(const LoggedStatement& statement);
  // What the session holds is not known (a batch failed part way): any
  // variable it ever held may still be set.
  void Unknown();
  // After a program ran (CALL, a compound block), whose body may set
  // variables no statement carried: reads which ones the session holds.
  Status Learn(SqlConnection& connection);

 private:
  void Note(const std::string& written);  // "@x" as a SET names it

  std::map<std::string, std::string> ever_;  // UserVariableKey → "@x" as a SET names it
  std::set<std::string> held_;               // keys of the variables that may not be NULL
};

}  // namespace ddb
