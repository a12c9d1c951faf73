// ReplicationLog: the write side of ddb_meta.replication_log.
//
// DESIGN.md's rule: a change is committed if and only if it is logged. A
// transaction's log row is inserted in the same MySQL transaction as the
// change, under the commit lock held from the log insert to the COMMIT, so
// sequence order is commit order while sessions still execute their
// statements concurrently on their own connections. A DDL (which commits
// implicitly) is logged 'pending', executed, then marked 'done', all under the
// commit lock, so nothing commits between.
//
// Thread-safe: any session thread may call it with its own connection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "ddb/clock.h"
#include "ddb/log_record.h"
#include "ddb/mysql_connection.h"
#include "ddb/status.h"
#include "recent_records.h"

namespace spdlog {
class logger;
}

namespace ddb {

class ReplicationLog {
 public:
  // `recent` must outlive the log. `endpoint` is the master's MySQL, used by
  // the log's own connection for recovery and for checking a COMMIT whose
  // outcome is unknown.
  ReplicationLog(MySqlEndpoint endpoint, RecentRecords* recent, std::shared_ptr<spdlog::logger> logger);

  // Resolves a DDL left 'pending' by a crash and loads the newest seq. Call
  // once before any session writes, and before `recent` is created: returns
  // the newest seq in `last_seq`.
  static Status Recover(const MySqlEndpoint& endpoint, spdlog::logger& logger, uint64_t* last_seq);

  // Commits the transaction open on `connection` together with its log row.
  // On failure the caller rolls back; nothing was logged.
  Status Commit(MySqlConnection& connection, std::vector<LoggedStatement> statements, uint64_t* seq);

  // Logs `statement` pending, runs `execute` (which runs the DDL on
  // `connection`), then marks it done; if `execute` fails the log row is
  // removed and the error returned. A multi-object DROP that failed part way
  // (PartialDropStatement) is logged as what it did, and its error returned
  // with `seq` set.
  Status RunDdl(MySqlConnection& connection, LoggedStatement statement, const std::function<Status()>& execute,
                uint64_t* seq);

  uint64_t last_seq() const;

 private:
  // Re-reads the table after a COMMIT or bookkeeping write failed with an
  // unknown outcome: resolves a pending DDL, publishes records that did
  // commit. Caller holds commit_mutex_.
  Status ResyncLocked();
  void Publish(uint64_t seq, int64_t committed_at_micros, const std::vector<uint8_t>& body);

  const MySqlEndpoint endpoint_;
  RecentRecords* const recent_;
  std::shared_ptr<spdlog::logger> logger_;

  mutable std::mutex commit_mutex_;  // the commit lock
  uint64_t last_seq_ = 0;            // guarded by commit_mutex_
  bool needs_resync_ = false;        // guarded by commit_mutex_
};

}  // namespace ddb
