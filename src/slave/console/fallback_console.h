// FallbackConsole: the console of `ddb-slave --attach` when no daemon
// answered at the start. It reads this slave's MySQL on its own (read-only)
// and, before each statement, looks for the daemon again; once one answers,
// it is an attached console from then on, in the database it had selected,
// and says so. So a console opened before its daemon (or while it was down)
// gains writes, \retry and \skip without being reopened.
//
// Used on the console thread only.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "attached_console.h"
#include "ddb/console/console.h"

namespace ddb {

class FallbackConsole : public ConsoleBackend {
 public:
  // `local` answers until a daemon answers at `socket_path`.
  FallbackConsole(std::string socket_path, std::unique_ptr<ConsoleBackend> local);

  ExecutionResult Execute(const std::string& sql) override;
  CommandResult RunCommand(const std::string& name, const std::string& argument, std::ostream& out) override;
  std::vector<std::pair<std::string, std::string>> Commands() const override { return Active().Commands(); }
  std::string PromptName() const override { return Active().PromptName(); }
  std::string CurrentDatabase() const override { return Active().CurrentDatabase(); }

 private:
  // Tries to attach (unless attached already) and returns whichever backend
  // is to run the next request; what the user must know goes to `notes`.
  ConsoleBackend& Next(std::vector<std::string>* notes);
  const ConsoleBackend& Active() const;

  std::string socket_path_;
  std::unique_ptr<ConsoleBackend> local_;
  std::unique_ptr<AttachedConsole> attached_;
  std::string last_refusal_;  // said once, not at every statement
};

}  // namespace ddb
