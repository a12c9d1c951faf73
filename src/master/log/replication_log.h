// ReplicationLog: the write side of ddb_meta.replication_log.
//
// docs/architecture.md ("The write path (master)"): a change is committed if and only if it
// is logged, commits run concurrently, and the log is published in sequence
// order.
//
//   DML   Commit() runs after the transaction's statements executed on the
//         session's own connection (their row locks are held). It takes a
//         number from the CommitSequencer, then inserts the log row and
//         commits in one round trip (ddb_meta.commit_record). Sessions do
//         this in parallel and InnoDB groups their fsyncs. A transaction
//         that waited for another's row locks can only reach Commit() after
//         that one committed, so it gets the larger number: sequence order
//         respects every conflict.
//   DDL   RunDdl() is a barrier: it holds the DDL lock exclusively while it
//         logs the statement 'pending', executes it and marks it 'done', and
//         a DML commit window (allocate, insert, COMMIT) holds it shared, so
//         none overlaps a DDL. It never waits for a metadata lock while
//         holding it (SqlSession retries with lock_wait_timeout = 0).
//
// Outcomes: a commit that succeeded is published by the sequencer once
// every smaller number is resolved; one that failed with an answer becomes
// a gap; one whose answer was lost is settled by LostCommits (DML) or here,
// under the barrier (DDL).
//
// Thread-safe: any session thread may call it with its own connection.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "commit_sequencer.h"
#include "ddb/base/clock.h"
#include "ddb/base/log_record.h"
#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddl_gate.h"
#include "fencing.h"
#include "log_writers.h"
#include "lost_commits.h"
#include "recent_records.h"
#include "writer_preferring_mutex.h"

namespace spdlog {
class logger;
}

namespace ddb {

class ReplicationLog {
 public:
  // `recent` must outlive the log; the sequence continues after its
  // last_seq(). `endpoint` is the master's MySQL, for settling lost answers.
  // `fencing` (may be null: never fenced) refuses every commit and DDL once
  // this master learned it was replaced. `open` connects to `endpoint` (a
  // fake in unit tests).
  ReplicationLog(MySqlEndpoint endpoint, RecentRecords* recent, std::shared_ptr<spdlog::logger> logger,
                 const Fencing* fencing = nullptr, SqlOpener open = OpenMySql);

  // Resolves a DDL left 'pending' by a crash and loads the newest seq. Call
  // once before any session writes, and before `recent` is created: returns
  // the newest seq in `last_seq`. Numbers missing below it are gaps.
  static Status Recover(const MySqlEndpoint& endpoint, spdlog::logger& logger, uint64_t* last_seq,
                        const SqlOpener& open = OpenMySql);

  // Commits the transaction open on `connection` together with its log row;
  // the session's autocommit is left as it is (SqlSession's server session
  // keeps it off between writes, see SqlSession::server_autocommit_). On
  // failure nothing was logged and the caller rolls back; when
  // `session_lost` comes back true the connection is gone (even if the
  // commit itself was settled as done) and must be reopened.
  Status Commit(SqlConnection& connection, std::vector<LoggedStatement> statements, uint64_t* seq,
                bool* session_lost = nullptr);

  // Logs `statement` pending, runs `execute` (which runs the DDL on
  // `connection`), then marks it done; if `execute` fails the log row is
  // removed and the error returned. A multi-object DROP that failed part way
  // (PartialDropStatement) is logged as what it did, and its error returned
  // with `seq` set.
  Status RunDdl(SqlConnection& connection, LoggedStatement statement, const std::function<Status()>& execute,
                uint64_t* seq);

  // Runs `quiet` holding the barrier exclusively at a moment when every
  // number handed out is published: no commit window is open, no DDL runs,
  // and the table holds exactly the records up to `published` (committed or
  // gaps). A snapshot started in `quiet` holds that position. Waits up to
  // `patience` for a commit whose answer was lost to be settled.
  Status RunQuiesced(const std::function<Status(uint64_t published)>& quiet,
                     std::chrono::milliseconds patience);

  // The largest record body the log insert and a slave link can carry
  // (half the master MySQL's max_allowed_packet, at most a frame), read
  // from the server through `connection` the first time.
  Status MaxRecordBytes(SqlConnection& connection, uint64_t* bytes);

  // DDL statements run through RunDdl so far, counted when each ends (run
  // or failed): a result's columns described before a change are known stale.
  uint64_t ddl_count() const { return ddl_count_.load(); }

  // Sessions wait here before starting a transaction while a DDL waits for
  // its metadata locks (see ddl_gate.h).
  DdlGate& ddl_gate() { return ddl_gate_; }

  // The sessions allowed to call the log's procedures: each Commit and
  // RunDdl admits its connection first.
  LogWriters& writers() { return writers_; }

  // Published through here: every number up to it is resolved.
  uint64_t last_seq() const { return sequencer_.published(); }
  uint64_t in_flight() const { return sequencer_.in_flight(); }

 private:
  // Settles a DDL whose answer was lost, under the exclusive barrier: ends
  // its session, finishes a 'pending' row as recovery would, and publishes
  // the result. Retries for a bounded time; if MySQL stays away the number
  // is left for the next writer (unsettled_ddl_).
  Status SettleDdl(const MySqlSessionId& session, uint64_t seq);
  // Before a commit window: settles a DDL left unsettled. Caller holds the
  // barrier exclusively.
  Status SettleLeftoverDdlLocked();
  // Refuses a record the log insert or a slave link could not carry.
  Status CheckRecordFits(SqlConnection& connection, size_t body_bytes);

  const MySqlEndpoint endpoint_;
  const SqlOpener open_;
  std::shared_ptr<spdlog::logger> logger_;
  const Fencing* const fencing_;
  LogWriters writers_;
  CommitSequencer sequencer_;
  LostCommits lost_;

  // Shared: a DML commit window. Exclusive: a DDL's pending/execute/done.
  WriterPreferringMutex barrier_;
  std::atomic<uint64_t> max_record_bytes_{0};  // 0: not read from the server yet
  DdlGate ddl_gate_;
  std::atomic<uint64_t> ddl_count_{0};
  // A DDL whose outcome could not be settled yet (0: none). Written under
  // the exclusive barrier; read without it as a hint to take it.
  std::atomic<uint64_t> unsettled_ddl_{0};
  MySqlSessionId unsettled_ddl_session_;  // guarded by barrier_ (exclusive)
};

// Publishes `seq` read back from the table (a DDL settled after its answer
// was lost).
EncodedRecordPtr MakeEncodedRecord(uint64_t seq, int64_t committed_at_micros, std::span<const uint8_t> body);

}  // namespace ddb
