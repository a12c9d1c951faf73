// The master console's backend: statements go through a SqlSession (executed,
// logged, replicated); backslash commands report on the cluster.
#pragma once

#include "ddb/console.h"
#include "recent_records.h"
#include "slave_registry.h"
#include "sql_session.h"

namespace ddb {

class MasterConsole : public ConsoleBackend {
 public:
  // All references must outlive the console.
  MasterConsole(SqlSession& session, const RecentRecords& recent, const SlaveRegistry& registry,
                std::string master_name, std::string cluster_id);

  ExecutionResult Execute(const std::string& sql) override;
  bool RunCommand(const std::string& name, const std::string& argument, std::ostream& out) override;
  std::vector<std::pair<std::string, std::string>> Commands() const override;
  std::string PromptName() const override { return "master"; }
  std::string CurrentDatabase() const override { return session_.current_database(); }

 private:
  void PrintStatus(std::ostream& out) const;

  SqlSession& session_;
  const RecentRecords& recent_;
  const SlaveRegistry& registry_;
  const std::string master_name_;
  const std::string cluster_id_;
};

// The slaves table of \status, as rows (also used by tests and the API later).
QueryResult SlavesTable(const std::vector<SlaveStatus>& slaves, uint64_t last_seq, int64_t now_micros);

}  // namespace ddb
