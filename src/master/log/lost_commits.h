// LostCommits: settles log numbers whose COMMIT answer was lost.
//
// When the connection drops while a COMMIT (with its log insert) is in
// flight, the transaction may have committed or not, and its server session
// may even still be running. Until that is known the number stays
// unresolved, and the CommitSequencer publishes nothing after it. Settling
// one takes another connection: if the server has not restarted since the
// session began and the session still exists, it is killed and waited for
// (a killed session ends by committing or rolling back, never half-way);
// then the log table says which: a 'done' row is a commit, no row a gap.
//
// A background thread keeps trying while MySQL is unreachable; the session
// that lost its answer waits a bounded time for the outcome. A DDL's lost
// answer is settled by ReplicationLog itself, under its DDL barrier.
//
// Thread-safe. The sequencer must outlive this object.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "commit_sequencer.h"
#include "ddb/mysql/mysql_connection.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct LostCommit {
  EncodedRecordPtr record;  // seq and the record to publish if it committed
  MySqlSessionId session;   // the session whose answer was lost
};

// What the log table says about one number once its session has ended.
enum class LogRowState { kAbsent, kPending, kDone };

// Ends `session` if the server that ran it still runs it, and waits until it
// is gone; then reads the state of `seq`'s log row through `connection`.
Status EndSessionAndReadRow(SqlConnection& connection, const MySqlSessionId& session, uint64_t seq,
                            LogRowState* state);

class LostCommits {
 public:
  // `open` connects to `endpoint` (a fake in unit tests).
  LostCommits(MySqlEndpoint endpoint, CommitSequencer* sequencer, std::shared_ptr<spdlog::logger> logger,
              SqlOpener open = OpenMySql);
  ~LostCommits();
  LostCommits(const LostCommits&) = delete;
  LostCommits& operator=(const LostCommits&) = delete;

  // Hands `commit` over to be settled and waits up to `wait` for the
  // outcome: true if it committed, false if it became a gap, nullopt if it
  // is still unknown (it is then settled in the background).
  std::optional<bool> Settle(LostCommit commit, std::chrono::milliseconds wait);

 private:
  struct Entry {
    LostCommit commit;
    std::optional<bool> committed;  // set once settled; guarded by mutex_
  };
  void Run();
  // One attempt; true once settled.
  bool TrySettle(Entry& entry);

  const MySqlEndpoint endpoint_;
  const SqlOpener open_;
  CommitSequencer* const sequencer_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<SqlConnection> connection_;  // the settling thread's only

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<Entry>> waiting_;  // guarded by mutex_
  bool stop_ = false;                           // guarded by mutex_
  std::thread thread_;
};

}  // namespace ddb
