#include "write_forwarder.h"

#include "ddb/protocol/query_reply.h"

#include <future>
#include <memory>

namespace ddb {
namespace {

// A console that SETs the same variable in a loop must not grow without
// bound; past this many, the oldest are dropped (a later SET of the same
// variable wins anyway).
constexpr size_t kMaxRememberedSets = 256;

}  // namespace

WriteForwarder::WriteForwarder(MasterLink& link, const SlaveStatusBoard& status,
                               std::chrono::milliseconds wait, uint64_t session_id)
    : link_(link), status_(status), wait_(wait), session_id_(session_id) {}

WriteForwarder::~WriteForwarder() {
  if (session_link_ != 0) link_.EndForwardSession(session_id_, session_link_);
}

void WriteForwarder::RememberSet(const std::string& sql) {
  if (sets_.size() >= kMaxRememberedSets) {
    sets_.erase(sets_.begin());
    if (sets_sent_ > 0) --sets_sent_;
  }
  sets_.push_back(sql);
}

Status WriteForwarder::Send(const std::string& sql, const std::string& database, uint64_t link_number,
                            ForwardReply* reply) {
  ForwardRequest request;
  request.session_id = session_id_;
  request.sql = sql;
  request.database = database;
  // The answer arrives on the io thread; the promise outlives a timed-out wait.
  auto answer = std::make_shared<std::promise<std::pair<Status, ForwardReply>>>();
  std::future<std::pair<Status, ForwardReply>> future = answer->get_future();
  link_.Forward(std::move(request), link_number, [answer](Status status, ForwardReply r) {
    answer->set_value({std::move(status), std::move(r)});
  });
  if (future.wait_for(wait_) != std::future_status::ready) {
    return Status::TimedOut("the master did not answer within " + std::to_string(wait_.count()) +
                            " ms: the statement may or may not have run there; check before retrying");
  }
  auto [status, r] = future.get();
  *reply = std::move(r);
  return status;
}

bool WriteForwarder::WaitUntilApplied(uint64_t seq) const {
  return status_.WaitUntilApplied(seq, std::chrono::steady_clock::now() + wait_);
}

ExecutionResult WriteForwarder::Forward(const std::string& sql, const std::string& database) {
  ExecutionResult outcome;
  const uint64_t link_now = link_.link_number();
  if (session_link_ != link_now) {
    // The master's session for this console is gone with its link.
    if (in_transaction_) {
      in_transaction_ = false;
      sets_sent_ = 0;
      session_link_ = link_now;
      outcome.status = Status::Unavailable(
          "the link to the master was lost during this transaction; the master rolled it back (nothing of it "
          "was logged). Start it again");
      return outcome;
    }
    sets_sent_ = 0;
    session_link_ = link_now;
  }
  ForwardReply reply;
  for (; sets_sent_ < sets_.size(); ++sets_sent_) {
    if (Status s = Send(sets_[sets_sent_], database, session_link_, &reply); !s.ok() || !reply.result.ok) {
      const Status failed = s.ok() ? ReplyStatus(reply.result) : s;
      outcome.status = Status::Refused("replaying '" + sets_[sets_sent_] +
                                       "' in this console's session on the master failed, so nothing was "
                                       "forwarded (that SET is dropped; the next statement goes ahead "
                                       "without it): " +
                                       failed.ToString());
      sets_.erase(sets_.begin() + static_cast<std::ptrdiff_t>(sets_sent_));
      return outcome;
    }
  }
  Status sent = Send(sql, database, session_link_, &reply);
  if (!sent.ok()) {
    if (sent.code() == Status::Code::kUnavailable) in_transaction_ = false;
    outcome.status = sent;
    return outcome;
  }
  in_transaction_ = reply.in_transaction;
  outcome.status = ReplyStatus(reply.result);
  outcome.answered_by = "master";
  outcome.info = std::move(reply.info);
  outcome.warnings = std::move(reply.warnings);
  outcome.result = ReplyResult(std::move(reply.result));
  outcome.result.affected_rows = reply.affected_rows;
  if (reply.committed_seq != 0 && !WaitUntilApplied(reply.committed_seq)) {
    outcome.warnings.push_back("committed on the master as #" + std::to_string(reply.committed_seq) +
                               ", but this slave has not applied it within " + std::to_string(wait_.count()) +
                               " ms: a SELECT here may not see it yet (\\status says why)");
  }
  return outcome;
}

}  // namespace ddb
