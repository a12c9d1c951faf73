// SqlSession::Describe: the endpoint's server-side prepared statements learn
// a statement's parameters and result columns from the session's own MySQL,
// which knows its tables and their types; the statement itself runs later,
// as text, through Execute.
#include "sql_session.h"

namespace ddb {

Status SqlSession::Describe(const std::string& sql, StatementShape* shape) {
  if (Status s = EnsureConnected(); !s.ok()) return Fail(std::move(s)).status;
  // A prepare opens the statement's tables: not inside a transaction the
  // user does not have open (see server_autocommit_).
  if (Status s = PrepareServerSession(); !s.ok()) return Fail(std::move(s)).status;
  if (Status s = connection_->DescribeStatement(sql, shape); !s.ok()) return Fail(std::move(s)).status;
  // Other texts are described too (a slave's answer's column types): the
  // set starts over rather than grow without bound.
  constexpr size_t kMaxDescribed = 16384;
  if (described_epoch_ != schema_changes() || described_.size() >= kMaxDescribed) {
    described_.clear();
    described_epoch_ = schema_changes();
  }
  described_.insert(sql);
  return Status::Ok();
}

}  // namespace ddb
