// Config keys both daemons share: their MySQL server, logging, console,
// heartbeats. Each daemon's config adds these to its own CLI11 app.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "ddb/base/status.h"
#include "ddb/base/tls.h"
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

void AddHttpOptions(CLI::App& app, HttpOptions* options);
void AddTlsOptions(CLI::App& app, TlsOptions* options);
void AddMySqlOptions(CLI::App& app, MySqlEndpoint* endpoint);
void AddLoggingOptions(CLI::App& app, LoggingOptions* options);
void AddConsoleOptions(CLI::App& app, ConsoleOptions* options);
void AddHeartbeatOptions(CLI::App& app, HeartbeatOptions* options);

// Turns the parsed console mode name into `mode`.
void ResolveConsoleMode(ConsoleOptions* options);

// Checks of values CLI11 cannot express (e.g. timeout > interval).
Status ValidateHeartbeat(const std::string& config_path, const HeartbeatOptions& options);
Status ValidateSecret(const std::string& config_path, const std::string& secret);
// A secret given as its value (`key`), as a file (`key`_file, whose first
// line is the secret) or in the environment variable `env`, in that order
// of precedence; `key` and its file at once is an error.
Status ResolveSecret(const std::string& config_path, const std::string& key, const std::string& file,
                     const char* env, std::string* value);
Status ValidateLogging(const std::string& config_path, const LoggingOptions& options);

}  // namespace ddb
