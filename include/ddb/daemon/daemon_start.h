// What both daemons do with their config before they start anything: the
// commands that end the process instead of running it (--help, --version,
// --check, --print-config, --init-config), and how a daemon that cannot
// start says why.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/daemon/common_options.h"
#include "ddb/daemon/config_parser.h"

namespace ddb {

// Prints every line of `message` to standard error as "<program>: <line>",
// as scripts and tests read a failed start; returns 1, main's exit status
// then.
int FailStart(const std::string& program, const std::string& message);

// What differs between the daemons in the commands RunConfigCommands runs.
struct DaemonCommands {
  std::string program;  // "ddb-master": names the daemon on every line of a failure
  // --check: runs every check and prints the report; returns the exit status.
  std::function<int()> check;
  // --init-config: the title atop the file, the keys given fresh random
  // secrets, and what is said after "wrote PATH ".
  std::string init_title;
  std::vector<std::string> init_fresh_secrets;
  std::string init_written;
  // Whether --init-config can run (null: always).
  std::function<Status()> init_ready;
};

// Runs the command `commands` asks for, printing to `out`, after `parsed`'s
// --help or --version; an exit status when one ran or the config has
// problems (printed with FailStart), nullopt when the daemon is to start.
std::optional<int> RunConfigCommands(const DaemonCommands& daemon, const ParseResult& parsed,
                                     const ConfigCommands& commands, const KeySettings& settings,
                                     std::ostream& out);

}  // namespace ddb
