#include "ddb/daemon/common_options.h"

#include <cctype>
#include <cstdlib>
#include <fstream>

namespace ddb {

void AddHttpOptions(CLI::App& app, HttpOptions* options) {
  app.add_option(
         "--http_address", options->address,
         "Address of the HTTP listener (/health, /metrics, API); loopback unless you need it elsewhere")
      ->capture_default_str();
  app.add_option("--http_port", options->port, "Port of the HTTP listener; 0 turns it off")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
}

void AddTlsOptions(CLI::App& app, TlsOptions* options) {
  app.add_option("--tls_cert_file", options->files.cert_file,
                 "PEM certificate (chain) this node presents: the master's on its replication port and "
                 "HTTPS, a slave's as its client certificate and on HTTPS");
  app.add_option("--tls_key_file", options->files.key_file, "PEM private key of tls_cert_file");
  app.add_option("--tls_ca_file", options->files.ca_file,
                 "PEM CA certificate(s) that sign the peers' certificates: a slave checks the master's "
                 "against it (and then always uses TLS), the master its slaves' with "
                 "tls_require_client_cert");
  app.add_option("--require_tls", options->require,
                 "auto: TLS on every surface not on loopback; true: on every surface; false: never "
                 "required")
      ->check(CLI::IsMember({"auto", "true", "false"}))
      ->capture_default_str();
  app.add_option("--allow_insecure", options->allow_insecure,
                 "true: start even without the TLS require_tls asks for, or with a shipped demo secret "
                 "beyond loopback (each logged as a warning)")
      ->capture_default_str();
}

void AddMySqlOptions(CLI::App& app, MySqlEndpoint* endpoint) {
  app.add_option("--mysql_host", endpoint->host, "Host of this node's MySQL/MariaDB server")
      ->capture_default_str();
  app.add_option("--mysql_port", endpoint->port, "Port of this node's MySQL/MariaDB server")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  app.add_option(
      "--mysql_socket", endpoint->socket,
      "Unix socket of this node's MySQL/MariaDB server, when it runs on this host: cheaper than TCP "
      "(mysql_host and mysql_port are then not used)");
  app.add_option("--mysql_user", endpoint->user, "MySQL user ddb connects as")->capture_default_str();
  app.add_option("--mysql_password", endpoint->password, "Password of mysql_user");
}

void AddLoggingOptions(CLI::App& app, LoggingOptions* options) {
  app.add_option("--log_file", options->log_file, "Log file (empty: standard error)");
  app.add_option("--log_level", options->log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
}

void AddConsoleOptions(CLI::App& app, ConsoleOptions* options) {
  app.add_option("--console", options->mode_name,
                 "auto: console when stdin is a terminal; on: read statements from stdin; off: headless")
      ->check(CLI::IsMember({"auto", "on", "off"}, CLI::ignore_case))
      ->capture_default_str();
  app.add_option("--history_file", options->history_file, "Console history file (empty: none)");
  app.add_flag("--batch", options->batch, "Print results tab-separated, like mariadb --batch");
}

void ResolveConsoleMode(ConsoleOptions* options) {
  std::string name = options->mode_name;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  options->mode = name == "on" ? ConsoleMode::kOn : name == "off" ? ConsoleMode::kOff : ConsoleMode::kAuto;
}

void AddHeartbeatOptions(CLI::App& app, HeartbeatOptions* options) {
  app.add_option("--heartbeat_interval_ms", options->interval_ms,
                 "Heartbeat interval on the replication link")
      ->check(CLI::Range(10, 60000))
      ->capture_default_str();
  app.add_option("--heartbeat_timeout_ms", options->timeout_ms,
                 "Silence after which the peer is declared gone")
      ->check(CLI::Range(50, 600000))
      ->capture_default_str();
}

Status ValidateHeartbeat(const std::string& config_path, const HeartbeatOptions& options) {
  if (options.timeout_ms <= options.interval_ms) {
    return Status::InvalidArgument(
        config_path + ": key 'heartbeat_timeout_ms' (" + std::to_string(options.timeout_ms) +
        ") must be larger than heartbeat_interval_ms (" + std::to_string(options.interval_ms) + ")");
  }
  return Status::Ok();
}

Status ValidateSecret(const std::string& config_path, const std::string& secret) {
  if (secret.empty()) {
    return Status::InvalidArgument(
        config_path +
        ": key 'cluster_secret' is missing (set it in the file, in a file named by "
        "cluster_secret_file, or in the environment as DDB_CLUSTER_SECRET)");
  }
  if (secret.size() < 16) {
    return Status::InvalidArgument(config_path + ": key 'cluster_secret' is too short (" +
                                   std::to_string(secret.size()) + " characters; at least 16)");
  }
  return Status::Ok();
}

Status ResolveSecret(const std::string& config_path, const std::string& key, const std::string& file,
                     const char* env, std::string* value) {
  if (!file.empty()) {
    if (!value->empty()) {
      return Status::InvalidArgument(config_path + ": keys '" + key + "' and '" + key +
                                     "_file' are both set: keep one");
    }
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      return Status::InvalidArgument(config_path + ": key '" + key + "_file': cannot read '" + file + "'");
    }
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    *value = line;
    return Status::Ok();
  }
  if (value->empty() && env != nullptr) {
    if (const char* from_env = std::getenv(env)) *value = from_env;
  }
  return Status::Ok();
}

Status ValidateLogging(const std::string& config_path, const LoggingOptions& options) {
  static const char* const kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  for (const char* level : kLevels) {
    if (options.log_level == level) return Status::Ok();
  }
  return Status::InvalidArgument(config_path + ": key 'log_level': '" + options.log_level +
                                 "' is not one of trace, debug, info, warn, error, off");
}

}  // namespace ddb
