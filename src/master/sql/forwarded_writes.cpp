#include "forwarded_writes.h"

#include "forwarded_session.h"

#include "ddb/protocol/query_reply.h"
#include "ddb/sql/statement_classifier.h"

namespace ddb {
namespace {

// A slave console is one session; a few more leave room for reconnects
// while an old link's sessions end. More is a misbehaving peer.
constexpr size_t kMaxSessionsPerSlave = 8;

ForwardReply ErrorReply(uint64_t request_id, const Status& status) {
  ForwardReply reply;
  reply.result = MakeQueryReply(request_id, status);
  return reply;
}

}  // namespace

Status CheckForwardable(const std::string& sql) {
  const StatementInfo info = ClassifyStatement(sql);
  const std::string what = info.verb.empty() ? "this statement" : info.verb;
  const std::string refused =
      " is refused in a forwarded session: a slave console forwards only DML, "
      "transaction control, reads and session SET";
  if (info.has_multiple_statements) return Status::Refused("several statements at once" + refused);
  if (info.incomplete) return Status::Refused("an incomplete statement" + refused);
  switch (info.kind) {
    case StatementKind::kRead:
    case StatementKind::kDml:
    case StatementKind::kBegin:
    case StatementKind::kCommit:
    case StatementKind::kRollback:
    case StatementKind::kSavepoint: return Status::Ok();
    case StatementKind::kSet:
      if (!info.sets_global_state) return Status::Ok();
      return Status::Refused("SET GLOBAL" + refused);
    case StatementKind::kDdl:
      return Status::Refused(what + (info.object.empty() ? "" : " " + info.object) + refused +
                             " (schema and account changes are made at the master)");
    case StatementKind::kEmpty:
    case StatementKind::kUse:
    case StatementKind::kLockTables:
    case StatementKind::kAdmin:
    case StatementKind::kUnknown: break;
  }
  return Status::Refused(what + refused);
}

ForwardReply RunForwarded(SqlSession& session, const ForwardRequest& request) {
  // The slave console's current database decides what unqualified names mean.
  if (!request.database.empty() && request.database != session.current_database()) {
    ExecutionResult use = session.Execute("USE " + QuoteIdentifier(request.database));
    if (!use.status.ok()) return ErrorReply(request.request_id, use.status);
  }
  const uint64_t last_write_before = session.last_write_seq();
  ExecutionResult outcome = session.Execute(request.sql);
  ForwardReply reply;
  reply.affected_rows = outcome.result.affected_rows;
  reply.result = MakeQueryReply(request.request_id, outcome.status, std::move(outcome.result));
  if (outcome.status.ok()) reply.info = std::move(outcome.info);
  if (session.last_write_seq() != last_write_before) reply.committed_seq = session.last_write_seq();
  reply.in_transaction = session.in_transaction();
  reply.warnings = std::move(outcome.warnings);
  return reply;
}

ForwardedWrites::ForwardedWrites(SessionFactory make_session, std::shared_ptr<spdlog::logger> logger)
    : make_session_(std::move(make_session)), logger_(std::move(logger)) {}

ForwardedWrites::~ForwardedWrites() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, session] : sessions_) session->RequestStop();
  sessions_.clear();  // joins each worker
  ending_.clear();
}

void ForwardedWrites::ReapFinishedLocked() {
  std::erase_if(ending_,
                [](const std::unique_ptr<ForwardedSession>& session) { return session->finished(); });
}

void ForwardedWrites::Submit(const std::string& slave, uint64_t link_id, ForwardRequest request,
                             ReplyCallback done) {
  if (Status allowed = CheckForwardable(request.sql); !allowed.ok()) {
    // A real slave never sends it: a forged or broken peer, worth a line.
    logger_->warn("slave '{}' forwarded a statement no slave console sends; refused: {}", slave,
                  allowed.message());
    done(ErrorReply(request.request_id, allowed));
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  ReapFinishedLocked();
  const Key key{slave, link_id, request.session_id};
  auto it = sessions_.find(key);
  if (it == sessions_.end()) {
    size_t open = 0;
    for (const auto& [other, session] : sessions_) open += std::get<0>(other) == slave ? 1 : 0;
    if (open >= kMaxSessionsPerSlave) {
      logger_->warn("slave '{}' asked for more than {} forwarding sessions; refused", slave,
                    kMaxSessionsPerSlave);
      done(ErrorReply(request.request_id,
                      Status::Refused("too many forwarding sessions from slave '" + slave + "'")));
      return;
    }
    it = sessions_.emplace(key, std::make_unique<ForwardedSession>(make_session_(), RunForwarded)).first;
    logger_->info("slave '{}' opened forwarding session {}", slave, request.session_id);
  }
  const uint64_t request_id = request.request_id;
  const uint64_t session_id = request.session_id;
  if (!it->second->Submit(std::move(request), done)) {
    logger_->warn("slave '{}' queued more than {} statements on forwarding session {}; refused", slave,
                  ForwardedSession::kMaxQueued, session_id);
    done(ErrorReply(request_id, Status::Refused("more than " + std::to_string(ForwardedSession::kMaxQueued) +
                                                " statements queued on one forwarding session from slave '" +
                                                slave + "'")));
  }
}

void ForwardedWrites::EndSessions(const std::string& slave, uint64_t link_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  ReapFinishedLocked();
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (std::get<0>(it->first) == slave && std::get<1>(it->first) == link_id) {
      it = EndLocked(it);
    } else {
      ++it;
    }
  }
}

void ForwardedWrites::EndSession(const std::string& slave, uint64_t link_id, uint64_t session_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  ReapFinishedLocked();
  auto it = sessions_.find(Key{slave, link_id, session_id});
  if (it == sessions_.end()) return;  // it never ran a statement
  logger_->info("slave '{}' ended forwarding session {}", slave, session_id);
  EndLocked(it);
}

ForwardedWrites::Sessions::iterator ForwardedWrites::EndLocked(Sessions::iterator it) {
  // Not joined here: the caller is the io thread, and the statement the
  // worker runs may wait on a lock for a long time. The statements queued
  // behind it are dropped, and its connection's close rolls back what is open.
  it->second->RequestStop();
  ending_.push_back(std::move(it->second));
  return sessions_.erase(it);
}

}  // namespace ddb
