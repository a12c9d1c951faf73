// ForwardedWrites: runs the statements slave consoles forward to the master
// (`forward_writes = true` on a slave).
//
// Each slave console session gets a SqlSession of its own on the master, so
// a forwarded write is executed, logged and replicated exactly like one typed
// at the master console, and a transaction begun at a slave console stays
// open across its statements. A session runs on its own worker thread (its
// statements are blocking MySQL calls; one waiting for a lock must not hold
// up the io thread or another slave's session). When a slave's link closes,
// its sessions end and MySQL rolls back whatever transaction was open, as it
// does for a client that disconnects. The master checks each statement
// itself (CheckForwardable): the slave's own rule is no guard against a
// slave that breaks it.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include <spdlog/spdlog.h>

#include "ddb/protocol/messages.h"
#include "sql_session.h"

namespace ddb {

class ForwardedSession;

class ForwardedWrites {
 public:
  using SessionFactory = std::function<std::unique_ptr<SqlSession>()>;
  using ReplyCallback = std::function<void(ForwardReply)>;

  ForwardedWrites(SessionFactory make_session, std::shared_ptr<spdlog::logger> logger);
  ~ForwardedWrites();
  ForwardedWrites(const ForwardedWrites&) = delete;
  ForwardedWrites& operator=(const ForwardedWrites&) = delete;

  // Runs `request` in the session (slave, link_id, request.session_id);
  // `done` is called on that session's worker thread.
  void Submit(const std::string& slave, uint64_t link_id, ForwardRequest request, ReplyCallback done);

  // Link `link_id` of `slave` closed: its sessions end; statements still
  // queued are not run.
  void EndSessions(const std::string& slave, uint64_t link_id);
  // The slave says its console session `session_id` ended (ForwardEnd): that
  // session alone ends, as for a MySQL client that disconnects.
  void EndSession(const std::string& slave, uint64_t link_id, uint64_t session_id);

 private:
  using Key = std::tuple<std::string, uint64_t, uint64_t>;  // slave, link, console session
  using Sessions = std::map<Key, std::unique_ptr<ForwardedSession>>;

  void ReapFinishedLocked();
  // Stops the session at `it` without waiting for it; returns the next one.
  Sessions::iterator EndLocked(Sessions::iterator it);

  SessionFactory make_session_;
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex mutex_;
  Sessions sessions_;
  std::vector<std::unique_ptr<ForwardedSession>> ending_;  // joined once their worker is done
};

// Whether the master runs `sql` forwarded by a slave: only what a slave
// console forwards (DML, transaction control, reads, session SET), one
// statement at a time, whatever the slave claims. Refused, with the reason,
// otherwise: an authenticated peer still cannot change schemas, accounts or
// the server's settings through a forwarding session.
Status CheckForwardable(const std::string& sql);

// Runs one forwarded statement in `session` and describes the outcome.
ForwardReply RunForwarded(SqlSession& session, const ForwardRequest& request);

}  // namespace ddb
