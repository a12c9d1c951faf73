// LogWriters: the MariaDB sessions that may call the log's procedures.
//
// An endpoint user's own MySQL account holds EXECUTE on the log's procedures
// (log_access.h): its session's log row must be written in its own
// transaction. Without a further check, anyone reaching the master's MySQL
// directly with such an account could call them: insert a record that every
// slave's applier replays with ddb's rights, or delete a committed record's
// row, which a slave fed from the table would take for a gap. So each
// procedure first checks that the calling connection (CONNECTION_ID()) is in
// ddb_meta.log_writers, which only ddb's own account can write: a session
// of this ddb-master is admitted there before its first log write. A
// connection id cannot be borrowed, and nothing in the table is a secret an
// account with SELECT on everything could read and replay.
//
// The table is a MEMORY table: MariaDB empties it when it restarts, which
// also ends every connection it named. A previous run's rows are removed at
// start (ForgetAll), and rows of connections that are gone are removed
// as admissions come, at most every purge_interval (PROCESSLIST names the live ones;
// ddb's account has PROCESS).
//
// Thread-safe: sessions admit themselves from their own threads; the
// admissions share one connection of ddb's account.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "ddb/mysql/mysql_connection.h"

namespace ddb {

class LogWriters {
 public:
  // `ddb_account` is ddb's own account on the master's MySQL. Rows of
  // sessions that are gone are looked for at most every `purge_interval`.
  LogWriters(MySqlEndpoint ddb_account, SqlOpener open,
             std::chrono::milliseconds purge_interval = std::chrono::seconds(2));

  // The table's definition (master_schema.cpp) and the check every log
  // procedure starts with.
  static const char* CreateTableSql();
  static std::string RequireWriterSql();
  // True for the error the check gives a connection it does not know.
  static bool IsRefusal(const Status& status);

  // At start: every session a previous run admitted is gone.
  Status ForgetAll();
  // Lets `session` call the log's procedures: one round trip on ddb's own
  // connection the first time, nothing after.
  Status Admit(const MySqlSessionId& session);
  // `session` was refused although admitted (its row was removed by hand):
  // the next Admit writes it again.
  void Forget(const MySqlSessionId& session);

 private:
  using Key = std::pair<uint64_t, int64_t>;  // connection id, server start: one connection
  // On ddb's connection; the caller holds connection_mutex_.
  Status RunLocked(const std::string& sql, QueryResult* result = nullptr);
  // Removes the rows of admitted connections that are gone.
  Status PurgeLocked();

  bool IsAdmitted(const Key& key);

  const MySqlEndpoint ddb_account_;
  const SqlOpener open_;
  const std::chrono::milliseconds purge_interval_;
  // Round trips on ddb's connection hold this one; the set's own lock is
  // held only to look up or change it, so a session's commit never waits
  // for another's admission.
  std::mutex connection_mutex_;
  std::unique_ptr<SqlConnection> connection_;         // guarded by connection_mutex_
  std::chrono::steady_clock::time_point next_purge_;  // guarded by connection_mutex_
  std::mutex admitted_mutex_;
  std::set<Key> admitted_;  // guarded by admitted_mutex_
};

}  // namespace ddb
