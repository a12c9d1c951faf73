// SqlSession: a procedure or compound block in a transaction, all or
// nothing (sql_session.h, MarkBeforeProgram).
#include "sql_session.h"

namespace ddb {
namespace {

constexpr const char* kSavepoint = "ddb_before_program";

}  // namespace

Status SqlSession::MarkBeforeProgram() {
  // The server's transaction must be open for the savepoint to hold.
  if (Status s = PrepareServerSession(); !s.ok()) return s;
  return connection_->Execute(std::string("SAVEPOINT ") + kSavepoint);
}

Status SqlSession::UndoFailedProgram(Status failure) {
  if (IsConnectionLost(failure)) return failure;
  // The program's own error stays as MariaDB gave it (a SIGNAL's text may
  // be meant for the application's user).
  Status undone = connection_->Execute(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
  if (undone.ok()) return failure;
  if (IsConnectionLost(undone)) return undone;
  RollBackUnlogged();
  in_transaction_ = false;
  pending_.clear();
  if (failure.code() != Status::Code::kMySql) return failure;
  return Status::MySql(failure.mysql_error_code(), failure.sql_state(),
                       failure.message() + " (the open transaction was rolled back; nothing was logged)");
}

Status SqlSession::UndoRowsNumberedInMetOrder(const std::string& reason, bool autocommit_statement) {
  Status refused =
      Status::Refused("unsafe for replication: " + reason + " (rolled back; unsafe_statements = refuse)");
  if (!autocommit_statement) return UndoFailedProgram(std::move(refused));
  RollBackUnlogged();
  in_transaction_ = false;
  return refused;
}

}  // namespace ddb
