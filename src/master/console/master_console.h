// The master console's backend: statements go through a SqlSession (executed,
// logged, replicated); backslash commands report on the cluster.
#pragma once

#include <functional>
#include <mutex>

#include "consistency_check.h"
#include "ddb/console/console.h"
#include "endpoint_reads.h"
#include "read_router.h"
#include "recent_records.h"
#include "slave_registry.h"
#include "sql_session.h"
#include "sync_replication.h"
#include "verify_results.h"

namespace ddb {

// \switchover NAME: hands the master role to slave NAME (switchover.h),
// printing each step to `out`; on success this process has become that
// slave's slave by the time it would return.
using SwitchoverRequest = std::function<Status(const std::string& to, std::ostream& out)>;

class MasterConsole : public ConsoleBackend {
 public:
  // All references must outlive the console.
  // `reload` re-reads the config file and returns what changed (\reload).
  MasterConsole(SqlSession& session, const RecentRecords& recent, const SlaveRegistry& registry,
                ConsistencyCheck& verify, VerifyResults& verify_results, ReadRouter& router,
                SyncReplication& sync, std::string master_name, std::string cluster_id,
                std::function<std::string()> reload, MySqlEndpoint mysql,
                const EndpointReads* endpoint_reads = nullptr);

  ExecutionResult Execute(const std::string& sql) override;
  CommandResult RunCommand(const std::string& name, const std::string& argument, std::ostream& out) override;
  std::vector<std::pair<std::string, std::string>> Commands() const override;
  std::string PromptName() const override { return "master"; }
  std::string CurrentDatabase() const override { return session_.current_database(); }
  // Ctrl-C: a read running on the master's MySQL is ended with KILL QUERY
  // from a connection of its own, as the mysql client does. A write is not:
  // once its commit round trip (ddb_meta.commit_record) is under way, an
  // interrupted call could report a failure for a COMMIT that happened, and
  // the record would be taken for a gap. A read the router sent to a slave
  // is not reached by the KILL (it ends by the router's read_timeout).
  std::string CancelRunning() override;
  void set_switchover(SwitchoverRequest switchover) { switchover_ = std::move(switchover); }

 private:
  void PrintStatus(std::ostream& out) const;
  CommandResult Repair(const std::string& argument, std::ostream& out);

  SqlSession& session_;
  const RecentRecords& recent_;
  const SlaveRegistry& registry_;
  ConsistencyCheck& verify_;
  VerifyResults& verify_results_;  // \verify and \repair add theirs; \status shows them
  ReadRouter& router_;
  SyncReplication& sync_;
  const std::string master_name_;
  const std::string cluster_id_;
  std::function<std::string()> reload_;
  const MySqlEndpoint mysql_;
  const EndpointReads* const endpoint_reads_;  // null: no MySQL endpoint
  SwitchoverRequest switchover_;               // empty: \switchover is not offered
  // What runs now, for CancelRunning on another thread. Set before a
  // statement runs and cleared after it.
  std::mutex running_mutex_;
  bool running_read_ = false;        // guarded by running_mutex_
  uint64_t running_connection_ = 0;  // guarded by running_mutex_
};

// The slaves table of \status, as rows. Lag is the age of the oldest record a
// slave has not applied, like MySQL's Seconds_Behind_Master.
QueryResult SlavesTable(const std::vector<SlaveStatus>& slaves, const RecentRecords& recent,
                        int64_t now_micros);

}  // namespace ddb
