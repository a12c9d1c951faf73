// HaConfigs: the configs a Cluster's nodes need to trade roles
// (docs/failover.md): every node gets a master config and a slave config,
// each naming all the other nodes, so any slave can be promoted, any master
// can hand over or rejoin, and the others follow.
//
// Node 0 is the Cluster's master ("master"); node i + 1 is slave i
// ("slave<i+1>"). The Cluster's own configs (master.ini, slave<i>.ini) are
// the nodes' first roles: the failover keys are appended to them, and the
// other role's config is written beside them (master-as-slave.ini,
// slave<i>-as-master.ini). A node keeps its HTTP port in both roles; each
// node gets its own replication port (and, with the endpoint, client port)
// for when it is the master.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cluster.h"

namespace ddb::testing {

struct HaOptions {
  int sync_slaves = 0;
  // Extra lines for every node's master config / slave config.
  std::string master_extra;
  std::string slave_extra;
};

struct HaNode {
  std::string name;
  uint16_t http_port = 0;
  uint16_t replication_port = 0;
  uint16_t client_port = 0;  // 0 without ClusterOptions::mysql_endpoint
  std::filesystem::path master_config;
  std::filesystem::path slave_config;
  std::filesystem::path master_log;  // what its ddb-master writes
  std::filesystem::path slave_log;   // what its ddb-slave writes
};

class HaConfigs {
 public:
  // Call before the Cluster starts anything.
  HaConfigs(Cluster& cluster, HaOptions options = {});

  int node_count() const { return static_cast<int>(nodes_.size()); }
  const HaNode& node(int n) const { return nodes_.at(n); }
  MariaDbInstance& db(int n) const { return n == 0 ? cluster_.master_db() : cluster_.slave_db(n - 1); }

  // The node whose /health?role=master answers 200 now; -1 when none does.
  int CurrentMaster() const;
  // Waits until exactly `n` answers as the master; false at the deadline.
  bool WaitForMaster(int n, std::chrono::milliseconds deadline) const;
  // POST /api/switchover {"to": node `to`} at node `from` (the master),
  // then waits until `to` alone answers as the master: how long that took
  // from the request; nullopt when the request was refused (`why` says so)
  // or `to` did not take over within `deadline`.
  std::optional<std::chrono::milliseconds> SwitchOverThroughApi(int from, int to,
                                                                std::chrono::milliseconds deadline,
                                                                std::string* why) const;
  // Waits until `db`.`table` has the same checksum on every node.
  bool WaitForTableEqualEverywhere(const std::string& db, const std::string& table,
                                   std::chrono::milliseconds deadline) const;
  // How many of `ids` (values of `db`.`table`'s `id`) node `n` lacks.
  size_t CountMissing(int n, const std::string& db, const std::string& table,
                      const std::vector<int64_t>& ids) const;
  // Every node's log files, for failure messages.
  std::string Logs() const;

 private:
  void WriteMasterConfig(int n, const HaOptions& options) const;
  void WriteSlaveConfig(int n, const HaOptions& options) const;

  Cluster& cluster_;
  std::vector<HaNode> nodes_;
};

}  // namespace ddb::testing
