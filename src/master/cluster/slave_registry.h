// SlaveRegistry: what the master knows about each configured slave, whether
// or not it is connected, for \status and for deciding what to keep.
//
// Thread-safe: slave links update it on the io thread, the console reads it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/protocol/messages.h"

namespace ddb {

using QueryCallback = std::function<void(Status, QueryResult)>;

// What the registry may ask of a slave's current link.
struct SlaveHooks {
  std::function<void()> stop;  // close the link
  // Runs a read on the slave; after `timeout` the callback gets TimedOut and
  // the slave's answer, should it come, is dropped.
  std::function<void(QueryRequest, std::chrono::milliseconds timeout, QueryCallback)> query;
  // Sends a switchover's HandOver; `refused` gets the slave's refusal, if
  // it sends one before its link ends.
  std::function<void(HandOver, std::function<void(std::string)> refused)> hand_over;
};

enum class SlaveState {
  kNeverConnected,  // configured, has not connected since the master started
  kCatchingUp,      // connected, being fed from the log table (behind the memory window)
  kOnline,          // connected, fed live from memory
  kOffline,         // was connected, link lost
  kError,           // connected, but its applier stopped on a record that failed
};
const char* SlaveStateName(SlaveState state);

struct SlaveStatus {
  std::string name;
  SlaveState state = SlaveState::kNeverConnected;
  uint64_t acked_seq = 0;                 // newest record the slave applied durably
  bool acked_known = false;               // false until the slave first reported a position
  int64_t acked_committed_at_micros = 0;  // master commit time of acked_seq
  std::string applier_problem;            // the slave's applier: stopped on an error, or waiting for MySQL
  std::string peer;                       // "ip:port" of the current or last link
  int64_t last_seen_micros = 0;           // last frame received
  std::string last_error;                 // why the last link ended, if it failed
  // Counters since the master started, for /metrics.
  uint64_t records_sent = 0;  // records written to this slave's links
  uint64_t connects = 0;      // links that authenticated
  uint64_t disconnects = 0;   // links that ended
};

class SlaveRegistry {
 public:
  explicit SlaveRegistry(const std::vector<std::string>& names);

  bool Knows(const std::string& name) const;

  // Positions acknowledged before a restart (ddb_meta.slave_positions).
  void RestorePositions(const std::map<std::string, uint64_t>& positions);

  // Makes `names` the configured slaves (config reload): new names are
  // added as never connected; removed names are dropped and their links
  // stopped. Returns what changed, for the log.
  std::string SetNames(const std::vector<std::string>& names);

  // A link for `name` authenticated and subscribed after `acked_seq`. A
  // previous link of the same slave is stopped through its `stop` callback
  // (the slave reconnected before the master noticed the old link die).
  // Returns the new link's id.
  uint64_t Connected(const std::string& name, const std::string& peer, uint64_t acked_seq, SlaveHooks hooks);
  void Disconnected(const std::string& name, uint64_t link_id, const std::string& reason);
  void Acked(const std::string& name, uint64_t link_id, const Ack& ack, int64_t now_micros);
  void Seen(const std::string& name, uint64_t link_id, int64_t now_micros);
  void SetLive(const std::string& name, uint64_t link_id, bool live);
  void RecordsSent(const std::string& name, uint64_t link_id, uint64_t count);

  std::vector<SlaveStatus> Snapshot() const;
  int Count() const;

  // How many slaves have acknowledged `seq` (applied it durably).
  int CountAcked(uint64_t seq) const;
  // Waits until `count` slaves have acknowledged `seq` or `deadline` passes;
  // returns how many have. Blocking: not for the io thread.
  int WaitForAcks(uint64_t seq, int count, std::chrono::steady_clock::time_point deadline) const;

  // Waits until slave `name` has acknowledged `seq` or `deadline` passes;
  // returns its acknowledged position then. Blocking: not for the io thread.
  uint64_t WaitForAck(const std::string& name, uint64_t seq,
                      std::chrono::steady_clock::time_point deadline) const;

  // Sends `request` to slave `name` over its link (see SlaveHooks);
  // Unavailable when it is not connected.
  Status HandOver(const std::string& name, const ddb::HandOver& request,
                  std::function<void(std::string)> refused) const;

  // Runs a read on slave `name` over its link and waits up to `timeout` for
  // the answer. Blocking: not for the io thread.
  Status QuerySlave(const std::string& name, QueryRequest request, std::chrono::milliseconds timeout,
                    QueryResult* result) const;

 private:
  struct Entry {
    SlaveStatus status;
    uint64_t link_id = 0;  // 0: no current link
    SlaveHooks hooks;
    bool live = false;  // fed from memory (vs. from the log table)
  };

  int CountAckedLocked(uint64_t seq) const;

  mutable std::mutex mutex_;
  mutable std::condition_variable acked_;  // notified whenever a position moves
  std::map<std::string, Entry> entries_;
  uint64_t next_link_id_ = 1;
};

}  // namespace ddb
