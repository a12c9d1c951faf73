// SqlSession: LOCK TABLES and UNLOCK TABLES.
//
// Read locks run on the master as typed: they stop other sessions' writes
// to the tables while this one reads them (mariadb-dump without
// --single-transaction), and a session holding them can write nothing, so
// nothing needs logging. Write locks are refused: ddb's commit of a write
// (its log row) would touch a table the lock list does not name, which
// MariaDB refuses under LOCK TABLES, and a lock on the master holds nothing
// on the slaves.
#include "sql_session.h"

namespace ddb {

ExecutionResult SqlSession::RunLockTables(const std::string& sql, const ParsedStatement& parsed) {
  if (parsed.info.verb == "UNLOCK") {
    // Without locks it releases nothing and commits nothing (a session of
    // ddb's never holds write locks): mariadb-dump --single-transaction
    // sends one.
    if (Status s = PrepareServerSession(); !s.ok()) return Fail(s);
    if (Status s = connection_->Execute(sql); !s.ok()) return Fail(s);
    tables_locked_ = false;
    return ExecutionResult();
  }
  for (const Token& token : parsed.tokens) {
    if (!IsKeyword(token, "WRITE")) continue;
    return Fail(Status::Refused(
        "LOCK TABLES ... WRITE is not run by ddb: the log row that commits each write could not be written "
        "under it, and a lock on the master holds nothing on the slaves; use a transaction (SELECT ... FOR "
        "UPDATE locks what it reads). A mariadb-dump file loads once dumped with --skip-add-locks"));
  }
  // LOCK TABLES commits an open transaction first, as RunLocalOnly does.
  ExecutionResult outcome = RunLocalOnly(sql);
  if (outcome.status.ok()) tables_locked_ = true;
  return outcome;
}

}  // namespace ddb
