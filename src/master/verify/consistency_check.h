// ConsistencyCheck: \verify, exact while writers run.
//
// Each chunk of each table (chunk_plan.h) is checksummed by a logged write,
// `CALL ddb_meta.checksum_chunk(...)` (ddb/mysql/checksum_schema.h): on the
// master its locking read sees exactly the rows committed before it in log
// order, and every slave runs the same call at the same position of the log,
// so equal nodes give equal sums however busy the master is. The master
// compares its results with each slave's once the slave has applied the last
// chunk. Like pt-table-checksum, but exact: the sums travel in ddb's own log.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "check_run_ids.h"
#include "chunk_plan.h"
#include "ddb/mysql/mysql_connection.h"
#include "recent_records.h"
#include "replication_log.h"
#include "slave_registry.h"

namespace ddb {

struct TableVerdict {
  std::string table;  // db.table
  uint64_t master_rows = 0;
  std::map<std::string, std::string> slaves;  // slave -> "ok" or what differs
  std::vector<size_t> differing_chunks;       // indices into the plan's chunks, on any slave
  std::map<size_t, std::vector<std::string>> differing_slaves;  // chunk index -> the slaves it differs on
};

struct VerifyReport {
  uint64_t position = 0;  // the record of the last chunk: a slave is compared once it applied it
  std::vector<std::string> slave_names;
  std::map<std::string, std::string> skipped;  // slave -> why it was not checked
  std::vector<TableVerdict> tables;
  std::vector<ChunkPlan> plans;  // one per table, as checked
  bool all_equal = true;
};

struct RepairReport {
  std::string table;
  size_t chunks_rewritten = 0;
  uint64_t rows_rewritten = 0;
  VerifyReport after;  // the table checked again once the slaves applied the rewrite
};

class ConsistencyCheck {
 public:
  // `run_ids` is shared by every check of this master (check_run_ids.h).
  ConsistencyCheck(MySqlEndpoint master, ReplicationLog& log, const SlaveRegistry& registry,
                   CheckRunIds& run_ids);

  // Every table, or only `table` (db.table) when it is not empty.
  Status Run(VerifyReport* report, const std::string& table = "");

  // Called after each chunk with how long it took (its retries included),
  // before the next, and after the planning of the chunks with how long
  // that took: continuous mode pauses there. A failure ends the run with it.
  using ChunkHook = std::function<Status(std::chrono::steady_clock::duration took)>;
  void SetChunkHook(ChunkHook hook) { after_chunk_ = std::move(hook); }
  // Asked while the run waits for the slaves to apply its records: true
  // ends the run at once (the daemon is stopping).
  void SetStopCheck(std::function<bool()> stopping) { stopping_ = std::move(stopping); }

  // The tables a run would check, as db.table, in the order it checks them.
  Status TableNames(std::vector<std::string>* tables);

  // \repair: checks `table`, rewrites on the slaves the chunks that differ
  // (or only chunk `chunk`, 1-based, when it is not 0) through the log, and
  // checks it again.
  Status Repair(const std::string& table, size_t chunk, RepairReport* report);

 private:
  // One chunk's result on one node: "rows/crc", or "" when the node could
  // not read the chunk (a missing table, say).
  using ChunkSums = std::map<uint32_t, std::string>;

  Status Connect();
  // Runs `attempt` on a connected session, again (on a fresh session) when
  // it lost a deadlock or lock wait to a writer.
  Status Retrying(const std::function<Status()>& attempt);
  Status ListTables(const std::string& only, std::vector<ChunkPlan>* plans);
  // This run's id (check_run_ids.h), above every run stored on the master.
  Status NewRunId(uint64_t* run);
  // Checksums chunk `index` of `plan` on the master through the log.
  Status LogChunk(uint64_t run, uint32_t chunk, const ChunkPlan& plan, size_t index, uint64_t* seq,
                  std::string* sum);
  Status WaitForSlaves(VerifyReport* report, std::vector<std::string>* checked);
  Status SlaveSums(const std::string& slave, uint64_t run, ChunkSums* sums) const;

  const MySqlEndpoint endpoint_;
  ReplicationLog& log_;
  const SlaveRegistry& registry_;
  CheckRunIds& run_ids_;
  std::unique_ptr<MySqlConnection> connection_;
  ChunkHook after_chunk_;
  std::function<bool()> stopping_;
};

// The report as the console prints it: a node x table grid.
QueryResult VerifyTable(const VerifyReport& report);
// The report as JSON, for scripts.
std::string VerifyJson(const VerifyReport& report);

}  // namespace ddb
