// LogAccess: lets an endpoint user's own MySQL account write the log, and
// nothing else of ddb_meta.
//
// An endpoint session runs as its user's MySQL account, so MariaDB checks
// each statement against that account's privileges (SET GLOBAL, INTO
// OUTFILE, another schema's tables get MariaDB's own errors). The session's
// log row must still be written in the session's own transaction: the log's
// procedures (commit_record, ddl_pending, ddl_done, ddl_forget; see
// master_schema.cpp) run with their definer's rights, ddb's account, and the
// user's account gets EXECUTE on them and on nothing else in ddb_meta. The
// procedures themselves take calls only from this master's own sessions
// (log_writers.h), so the grant is no use to the account without ddb.
//
// The grant is made through ddb's own connection the first time a session
// of that account connects in this process (the procedures are re-created
// at every start, which may drop grants on them).
//
// Thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "ddb/mysql/mysql_connection.h"

namespace ddb {

// The log's procedures an endpoint account may call.
inline constexpr const char* kLogProcedures[] = {"commit_record", "ddl_pending", "ddl_done", "ddl_forget"};

class LogAccess {
 public:
  // `ddb_account` is ddb's own account on the master's MySQL: it created
  // the procedures and needs GRANT OPTION on ddb_meta.
  explicit LogAccess(MySqlEndpoint ddb_account, SqlOpener open = OpenMySql);

  // Opens `account`'s connection as `open` would; an account MySQL refuses
  // is told how to create it.
  Status Open(const MySqlEndpoint& account, const MySqlOpenOptions& options,
              std::unique_ptr<SqlConnection>* connection);

  // Makes sure `current_user` (the account as MySQL resolved it:
  // CURRENT_USER(), "app@%") may call the log's procedures.
  Status Admit(const std::string& current_user);

 private:
  const MySqlEndpoint ddb_account_;
  const SqlOpener open_;
  std::mutex mutex_;
  std::set<std::string> granted_;  // CURRENT_USER() values, "app@%"
};

}  // namespace ddb
