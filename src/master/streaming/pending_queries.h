// PendingQueries: the reads a master sent over one slave's link, waiting for
// their answers.
//
// Each waits until a deadline: a query whose asker gave up (ReadRouter's
// read timeout) is answered TimedOut and forgotten the next time a query is
// added, so a slave that stays linked but never answers holds at most one
// timeout's worth of them, and its late answer finds nobody and is dropped.
// Used on the link's strand only: not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "slave_registry.h"

namespace ddb {

class PendingQueries {
 public:
  using Clock = std::chrono::steady_clock;

  // Keeps `done` until `deadline`; returns the request id to send with it.
  // Answers every query already past its deadline TimedOut first.
  uint64_t Add(QueryCallback done, Clock::time_point deadline, Clock::time_point now,
               const std::string& slave);
  // The callback of request `id`, taken out; null when it is not waiting
  // (answered, failed or expired).
  QueryCallback Take(uint64_t id);
  // Answers every waiting query with `why` (the link closed).
  void FailAll(const Status& why);
  size_t size() const { return waiting_.size(); }

 private:
  struct Waiting {
    QueryCallback done;
    Clock::time_point deadline;
  };
  std::map<uint64_t, Waiting> waiting_;
  uint64_t next_id_ = 1;
};

}  // namespace ddb
