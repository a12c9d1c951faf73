// Config keys both daemons share: their MySQL server, logging, console,
// heartbeats. Each daemon's config adds these to its own CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "ddb/base/status.h"
#include "ddb/base/tls.h"
#include "ddb/daemon/config_keys.h"
#include "ddb/daemon/config_parser.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

struct LoggingOptions {
  std::string log_file;            // empty: stderr
  std::string log_level = "info";  // trace, debug, info, warn, error, off
};

enum class ConsoleMode { kAuto, kOn, kOff };

struct ConsoleOptions {
  ConsoleMode mode = ConsoleMode::kAuto;  // auto: a console when stdin is a terminal
  std::string mode_name = "auto";         // as written in the config; parsed into `mode`
  std::string history_file;               // empty: no history file
  bool batch = false;                     // tab-separated output, like `mariadb --batch`
};

struct HeartbeatOptions {
  int interval_ms = 500;
  int timeout_ms = 3000;  // a silent peer is declared gone after this
};

// The daemon's HTTP listener (/health, /metrics, API). port 0: no listener.
struct HttpOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;
};

// TLS on the daemon's network surfaces, and whether it may start exposed
// without it (docs/security.md).
struct TlsOptions {
  TlsFiles files;                // tls_cert_file, tls_key_file, tls_ca_file
  std::string require = "auto";  // require_tls: auto (where not on loopback), true, false
  bool allow_insecure = false;   // start despite missing TLS or a demo secret, with a warning
};

void AddHttpOptions(CLI::App& app, ConfigKeys& keys, HttpOptions* options);
void AddTlsOptions(CLI::App& app, ConfigKeys& keys, TlsOptions* options);
void AddMySqlOptions(CLI::App& app, ConfigKeys& keys, MySqlEndpoint* endpoint);
// The mysql_ssl_* keys fit together (a certificate with its key and a CA to
// check the server; no TLS over a unix socket).
void ValidateMySqlTls(const MySqlEndpoint& endpoint, ConfigProblems* problems);
void AddLoggingOptions(CLI::App& app, ConfigKeys& keys, LoggingOptions* options);
void AddConsoleOptions(CLI::App& app, ConfigKeys& keys, ConsoleOptions* options);
void AddHeartbeatOptions(CLI::App& app, ConfigKeys& keys, HeartbeatOptions* options);

// What a daemon is asked to do with its config instead of running.
struct ConfigCommands {
  bool check = false;                   // --check: validate, probe MySQL and ports, exit
  bool print = false;                   // --print-config: effective values and sources, exit
  std::string init_path;                // --init-config PATH: write a new commented config, exit
  std::vector<std::string> peer_files;  // --check a.ini b.ini...: the files after the first
};

// Adds --check, --print-config and --init-config (command-line only).
void AddConfigCommands(CLI::App& app, ConfigCommands* commands);

// True when `args` ask for --init-config (no config file is read then).
bool WantsInitConfig(const std::vector<std::string>& args);

// argv without the program name, with "--check FILE [FILE...]" turned into
// "--check --config FILE" and the other files moved to `peer_files`.
std::vector<std::string> CommandLineArguments(int argc, const char* const argv[],
                                              std::vector<std::string>* peer_files);

// Turns the parsed console mode name into `mode`.
void ResolveConsoleMode(ConsoleOptions* options);

// Checks of values CLI11 cannot express (e.g. timeout > interval).
void ValidateHeartbeat(const HeartbeatOptions& options, ConfigProblems* problems);
void ValidateSecret(const std::string& secret, ConfigProblems* problems);
// A secret given as its value (`key`) or as a file (`key`_file, whose first
// line is the secret); both at once is a problem. (The environment,
// DDB_<KEY>, is read with every other key.)
void ResolveSecretFile(const std::string& key, const std::string& file, std::string* value,
                       ConfigProblems* problems);
void ValidateLogging(const LoggingOptions& options, ConfigProblems* problems);

}  // namespace ddb
