// The slave console's backend: reads answered from the local MySQL in a
// read-only session; schema changes and writes refused with the reason and
// where to send them; backslash commands for the link and the applier.
#pragma once

#include <functional>
#include <memory>

#include "applier.h"
#include "ddb/console/console.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/statement_classifier.h"
#include "slave_config.h"
#include "slave_status.h"
#include "write_forwarder.h"

namespace ddb {

// \promote: asks the other nodes (force: whatever they say) and, when this
// node may become the master, has the daemon stop and come back as
// ddb-master (main.cpp); the lines it writes explain. Empty: not offered.
using PromoteRequest = std::function<Status(bool force, std::ostream& out)>;

class SlaveConsole : public ConsoleBackend {
 public:
  // All references must outlive the console. The daemon's own console and
  // each console attached to it (ConsoleServer) have all of them; `status`,
  // `applier` and `forwarder` are null for `ddb-slave --attach` when no daemon
  // answers (reads only, the position read from MySQL); `forwarder` is null
  // too when writes are not forwarded (refused).
  SlaveConsole(const SlaveConfig& config, const SlaveStatusBoard* status, Applier* applier,
               WriteForwarder* forwarder = nullptr);

  void set_promoter(PromoteRequest promoter) { promoter_ = std::move(promoter); }

  ExecutionResult Execute(const std::string& sql) override;
  CommandResult RunCommand(const std::string& name, const std::string& argument, std::ostream& out) override;
  std::vector<std::pair<std::string, std::string>> Commands() const override;
  std::string PromptName() const override { return config_.node_name; }
  std::string CurrentDatabase() const override { return database_; }

 private:
  Status EnsureConnected();
  // Whether `info` goes to the master: DML and BEGIN, and inside a forwarded
  // transaction everything but what stays local (USE, SET) or is refused.
  bool ForwardsToMaster(const StatementInfo& info) const;
  ExecutionResult RunLocally(const std::string& sql, const StatementInfo& info);
  void PrintStatus(std::ostream& out) const;
  void PrintStoredPosition(std::ostream& out);

  const SlaveConfig& config_;
  const SlaveStatusBoard* status_;
  Applier* applier_;
  WriteForwarder* forwarder_;
  PromoteRequest promoter_;
  std::unique_ptr<MySqlConnection> connection_;
  std::string database_;
};

// Why `sql` may not run on a slave console, or an empty string if it may.
// `dml_advice` ends the refusal of a write (where to send it instead).
std::string SlaveRefusal(const std::string& sql, const std::string& slave_name, const std::string& master,
                         const std::string& dml_advice = "");

}  // namespace ddb
