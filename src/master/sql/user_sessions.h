// UserSessions: the SqlSessions of the MySQL endpoint's clients, each run as
// its user's own MySQL account.
//
// An endpoint user has exactly the privileges of the MySQL account of its
// name and password on the master's MySQL: MariaDB itself answers SET
// GLOBAL, INTO OUTFILE or another schema's table with its own errors. ddb's
// account does ddb's own work only (the log through its procedures, see
// log_access.h; recovery; the console and the HTTP API, which are the
// operator's).
#pragma once

#include <memory>
#include <string>

#include "log_access.h"
#include "sql_session.h"

namespace ddb {

class UserSessions {
 public:
  // `ddb_account` is the master's mysql_* settings; the other arguments are
  // SqlSession's, and must outlive this object.
  UserSessions(MySqlEndpoint ddb_account, ReplicationLog* log, SessionOptions options, ReadRouter* router,
               SyncReplication* sync);

  // A session that logs in as `user` with `password` when it first connects.
  std::unique_ptr<SqlSession> Make(const std::string& user, const std::string& password);

 private:
  const MySqlEndpoint ddb_account_;
  ReplicationLog* const log_;
  SessionOptions options_;
  ReadRouter* const router_;
  SyncReplication* const sync_;
  LogAccess access_;
};

}  // namespace ddb
