// SqlSession::Describe: the endpoint's server-side prepared statements learn
// a statement's parameters and result columns from the session's own MySQL,
// which knows its tables and their types; the statement itself runs later,
// as text, through Execute. DescribeRead: the same question for a read a
// slave is about to answer, asked once per form of the read (read_form.h);
// with Routable and AccountMayRead, whether a read may go to a slave.
#include "read_form.h"
#include "read_routing_rules.h"
#include "sql_session.h"

namespace ddb {
namespace {

// Enough for any application's set of statements; a session that sends
// more distinct forms starts over rather than grow without bound.
constexpr size_t kMaxDescribed = 4096;

}  // namespace

std::string SqlSession::DescriptionKey(const std::string& text) const {
  // Column lengths are counted in the results' character set.
  return database_ + '\0' + results_charset_ + '\0' + text;
}

void SqlSession::ForgetStaleDescriptions() {
  if (described_epoch_ != schema_changes() || described_.size() >= kMaxDescribed) {
    described_.clear();
    described_epoch_ = schema_changes();
  }
}

SqlSession::ReadDescription* SqlSession::KnownDescription(const std::string& text) {
  ForgetStaleDescriptions();
  auto found = described_.find(DescriptionKey(text));
  return found != described_.end() ? &found->second : nullptr;
}

Status SqlSession::Describe(const std::string& sql, StatementShape* shape) {
  if (Status s = EnsureConnected(); !s.ok()) return Fail(std::move(s)).status;
  // A prepare opens the statement's tables: not inside a transaction the
  // user does not have open (see server_autocommit_).
  if (Status s = PrepareServerSession(); !s.ok()) return Fail(std::move(s)).status;
  if (Status s = connection_->DescribeStatement(sql, shape); !s.ok()) return Fail(std::move(s)).status;
  ForgetStaleDescriptions();
  described_[DescriptionKey(sql)] = ReadDescription{.ok = true, .shape = *shape};
  return Status::Ok();
}

const SqlSession::ReadDescription& SqlSession::DescribeRead(const std::string& sql,
                                                            const std::string& prepared_text) {
  std::string form;
  if (!prepared_text.empty() && PlaceholdersOnlyFilter(prepared_text, lex_mode_)) {
    form = prepared_text;
  } else {
    form = ReadForm(sql, lex_mode_);
  }
  const std::string& text = form.empty() ? sql : form;
  if (ReadDescription* known = KnownDescription(text)) {
    // A form MySQL would not prepare (a value where it wants a constant):
    // the text itself, every time, as before forms.
    if (known->ok || form.empty()) return *known;
    return DescribeExactly(sql);
  }
  ReadDescription& described = DescribeExactly(text);
  if (described.ok || form.empty()) return described;
  return DescribeExactly(sql);
}

SqlSession::ReadDescription& SqlSession::DescribeExactly(const std::string& text) {
  ReadDescription described;
  // Outside a transaction (Routable), so the prepare holds no lock after it.
  Status s = EnsureConnected();
  if (s.ok()) s = PrepareServerSession();
  if (s.ok()) s = connection_->DescribeStatement(text, &described.shape);
  if (IsConnectionLost(s)) {
    // Not MySQL's answer about the statement: not kept, asked again next
    // time (the statement that follows finds the connection gone).
    not_described_ = ReadDescription();
    return not_described_;
  }
  described.ok = s.ok();
  return described_[DescriptionKey(text)] = std::move(described);
}

bool SqlSession::AccountMayRead(const std::string& sql) {
  if (!options_.user_account) return true;
  if (!executing_prepared_.empty()) {
    // Describe's prepare checked the privileges the statement needs.
    if (const ReadDescription* known = KnownDescription(executing_prepared_); known && known->ok) return true;
  }
  return DescribeRead(sql, executing_prepared_).ok;
}

bool SqlSession::Routable(const std::string& sql, const ParsedStatement& parsed) const {
  // A transaction's reads see its own snapshot and writes; a SET a slave
  // cannot repeat changed what this session's reads return.
  if (in_transaction_ || !autocommit_ || !reads_pinned_by_.empty() || tables_locked_) return false;
  return IsRoutableRead(sql, parsed);
}

}  // namespace ddb
