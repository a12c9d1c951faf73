// EndpointReads: how many reads of the MySQL endpoint each node answered,
// for /metrics (ddb_endpoint_reads_total), /api/status and the console's
// \status: the read/write split made visible.
//
// Thread-safe: every endpoint client counts from its own thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace ddb {

class EndpointReads {
 public:
  explicit EndpointReads(std::string master_name);

  // One read (a statement that answered rows) answered by `answered_by`: a
  // slave's name, or "master" / "" for the master.
  void Count(const std::string& answered_by);
  // A read that a slave could have answered went to the master: no slave was
  // up to date, or the slave failed it.
  void CountFallback() { ++fallbacks_; }

  struct NodeReads {
    std::string node;
    bool is_master = false;
    uint64_t reads = 0;
  };
  // The master first, then every slave that answered a read, by name.
  std::vector<NodeReads> Snapshot() const;
  uint64_t fallbacks() const { return fallbacks_.load(); }
  // "master1 120, slave1 480, slave2 470" for the console.
  std::string Describe() const;

 private:
  const std::string master_name_;
  std::atomic<uint64_t> master_reads_{0};
  std::atomic<uint64_t> fallbacks_{0};
  mutable std::mutex mutex_;
  std::map<std::string, uint64_t> slave_reads_;  // guarded by mutex_
};

}  // namespace ddb
