#include "pending_queries.h"

#include <vector>

namespace ddb {

uint64_t PendingQueries::Add(QueryCallback done, Clock::time_point deadline, Clock::time_point now,
                             const std::string& slave) {
  std::vector<QueryCallback> expired;
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (it->second.deadline > now) {
      ++it;
      continue;
    }
    expired.push_back(std::move(it->second.done));
    it = waiting_.erase(it);
  }
  // Called once the map is consistent again: a callback may add a query.
  for (QueryCallback& callback : expired) {
    callback(Status::TimedOut("slave '" + slave + "' did not answer in time"), QueryResult());
  }
  const uint64_t id = next_id_++;
  waiting_.emplace(id, Waiting{std::move(done), deadline});
  return id;
}

QueryCallback PendingQueries::Take(uint64_t id) {
  auto it = waiting_.find(id);
  if (it == waiting_.end()) return nullptr;
  QueryCallback done = std::move(it->second.done);
  waiting_.erase(it);
  return done;
}

void PendingQueries::FailAll(const Status& why) {
  std::map<uint64_t, Waiting> failed;
  failed.swap(waiting_);
  for (auto& [id, waiting] : failed) waiting.done(why, QueryResult());
}

}  // namespace ddb
