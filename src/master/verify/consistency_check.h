// ConsistencyCheck: \verify. Brings the slaves to the master's position,
// checksums every replicated table on every node in primary-key chunks (like
// pt-table-checksum: a big table is read a thousand rows at a time, so no
// long-held snapshot or lock), and reports node x table.
//
// The slaves' checksums are computed by the slaves themselves, over their
// replication links. The console that runs the check is the only writer
// while it runs; with concurrent writers a chunk may differ transiently.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ddb/mysql/mysql_connection.h"
#include "recent_records.h"
#include "slave_registry.h"

namespace ddb {

struct TableVerdict {
  std::string table;  // db.table
  uint64_t master_rows = 0;
  std::map<std::string, std::string> slaves;  // slave -> "ok" or what differs
};

struct VerifyReport {
  uint64_t position = 0;  // the log position every checked slave had reached
  std::vector<std::string> slave_names;
  std::map<std::string, std::string> skipped;  // slave -> why it was not checked
  std::vector<TableVerdict> tables;
  bool all_equal = true;
};

class ConsistencyCheck {
 public:
  ConsistencyCheck(MySqlEndpoint master, const SlaveRegistry& registry, const RecentRecords& recent);

  Status Run(VerifyReport* report);

 private:
  Status WaitForSlaves(VerifyReport* report, std::vector<std::string>* checked);
  Status ChunkQueries(const std::string& db, const std::string& table, std::vector<std::string>* queries);

  const MySqlEndpoint endpoint_;
  const SlaveRegistry& registry_;
  const RecentRecords& recent_;
  std::unique_ptr<MySqlConnection> connection_;
};

// The report as the console prints it: a node x table grid.
QueryResult VerifyTable(const VerifyReport& report);
// The report as JSON, for scripts.
std::string VerifyJson(const VerifyReport& report);

}  // namespace ddb
