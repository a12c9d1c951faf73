#include "ddb/daemon/daemon_start.h"

#include <iostream>
#include <sstream>

#include "ddb/daemon/config_keys.h"

namespace ddb {

int FailStart(const std::string& program, const std::string& message) {
  std::istringstream lines(message);
  for (std::string line; std::getline(lines, line);) std::cerr << program << ": " << line << "\n";
  std::cerr.flush();
  return 1;
}

std::optional<int> RunConfigCommands(const DaemonCommands& daemon, const ParseResult& parsed,
                                     const ConfigCommands& commands, const KeySettings& settings,
                                     std::ostream& out) {
  if (parsed.exit_now) {
    out << parsed.output;
    return 0;
  }
  // --check reports the config's problems itself, with everything else it checks.
  if (commands.check) return daemon.check();
  if (!parsed.status.ok()) return FailStart(daemon.program, parsed.status.message());
  if (commands.print) {
    out << PrintSettings(settings);
    return 0;
  }
  if (commands.init_path.empty()) return std::nullopt;
  if (daemon.init_ready) {
    if (Status s = daemon.init_ready(); !s.ok()) return FailStart(daemon.program, s.message());
  }
  if (Status s =
          WriteInitialConfig(commands.init_path, daemon.init_title, settings, daemon.init_fresh_secrets);
      !s.ok()) {
    return FailStart(daemon.program, s.message());
  }
  out << "wrote " << commands.init_path << " " << daemon.init_written << "\n";
  return 0;
}

}  // namespace ddb
