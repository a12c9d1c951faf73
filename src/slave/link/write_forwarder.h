// WriteForwarder: sends what a slave console cannot run locally (DML, and
// everything inside a transaction begun here) to the master over the slave's
// link (`forward_writes = true`).
//
// The master runs it in a session of its own for this console, exactly as a
// write typed at the master console: executed, logged, replicated. The
// console then waits until this slave's applier has applied what the write
// committed, so the next SELECT here sees it (read-your-writes).
//
// SET statements typed here run locally and are also replayed into the
// master's session before the next forwarded statement, so `SET @x = 5;
// INSERT ... VALUES (@x)` means the same here and there. If the link drops,
// the master's session ends (an open transaction rolls back there, as for a
// disconnected MySQL client); the next statement says so instead of running
// in a session that lacks what came before.
//
// Each console has its own forwarder and session id: the daemon's console,
// and every console attached to it (ConsoleServer). When the forwarder goes,
// the master is told to end its session (ForwardEnd).
//
// Used on one console's thread only.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ddb/console/console.h"
#include "master_link.h"
#include "slave_status.h"

namespace ddb {

class WriteForwarder {
 public:
  // `link` and `status` must outlive the forwarder. `wait` bounds both the
  // wait for the master's answer and the wait for this slave to apply it.
  // `session_id` names this console's session on the master: unique among
  // the consoles of this daemon.
  WriteForwarder(MasterLink& link, const SlaveStatusBoard& status, std::chrono::milliseconds wait,
                 uint64_t session_id);
  // Ends the master's session for this console (an open transaction there
  // rolls back).
  ~WriteForwarder();
  WriteForwarder(const WriteForwarder&) = delete;
  WriteForwarder& operator=(const WriteForwarder&) = delete;

  ExecutionResult Forward(const std::string& sql, const std::string& database);
  // A SET that ran locally; the master's session gets it before the next
  // forwarded statement.
  void RememberSet(const std::string& sql);
  // A transaction begun here is open on the master: every statement goes there.
  bool in_transaction() const { return in_transaction_; }

 private:
  // Sends one statement on link `link_number` and waits for the answer.
  Status Send(const std::string& sql, const std::string& database, uint64_t link_number, ForwardReply* reply);
  // Waits until the applier has applied `seq`; false after the deadline.
  bool WaitUntilApplied(uint64_t seq) const;

  MasterLink& link_;
  const SlaveStatusBoard& status_;
  const std::chrono::milliseconds wait_;
  const uint64_t session_id_;
  std::vector<std::string> sets_;  // every SET typed here, in order
  size_t sets_sent_ = 0;           // how many of them the master's session has run
  uint64_t session_link_ = 0;      // link the master's session lives on (0: none yet)
  bool in_transaction_ = false;
};

}  // namespace ddb
