#include "ddb/daemon/common_options.h"

#include <cctype>
#include <fstream>

namespace ddb {

void AddHttpOptions(CLI::App& app, ConfigKeys& keys, HttpOptions* options) {
  keys.Restart(app.add_option(
      "--http_address", options->address,
      "Address of the HTTP listener (/health, /metrics, API); loopback unless you need it elsewhere"));
  keys.Restart(app.add_option("--http_port", options->port, "Port of the HTTP listener; 0 turns it off")
                   ->check(CLI::Range(0, 65535)));
}

void AddTlsOptions(CLI::App& app, ConfigKeys& keys, TlsOptions* options) {
  keys.Restart(app.add_option("--tls_cert_file", options->files.cert_file,
                              "PEM certificate (chain) this node presents: the master's on its replication "
                              "port and HTTPS, a slave's as its client certificate and on HTTPS"));
  keys.Restart(app.add_option("--tls_key_file", options->files.key_file, "PEM private key of tls_cert_file"));
  keys.Restart(app.add_option("--tls_ca_file", options->files.ca_file,
                              "PEM CA certificate(s) that sign the peers' certificates: a slave checks the "
                              "master's against it (and then always uses TLS), the master its slaves' with "
                              "tls_require_client_cert"));
  keys.Restart(app.add_option("--require_tls", options->require,
                              "auto: TLS on every surface not on loopback; true: on every surface; false: "
                              "never required")
                   ->check(CLI::IsMember({"auto", "true", "false"})));
  keys.Restart(app.add_option("--allow_insecure", options->allow_insecure,
                              "true: start even without the TLS require_tls asks for, or with a shipped demo "
                              "secret beyond loopback (each logged as a warning)"));
}

void AddMySqlOptions(CLI::App& app, ConfigKeys& keys, MySqlEndpoint* endpoint) {
  keys.Restart(app.add_option("--mysql_host", endpoint->host, "Host of this node's MySQL/MariaDB server"));
  keys.Restart(app.add_option("--mysql_port", endpoint->port, "Port of this node's MySQL/MariaDB server")
                   ->check(CLI::Range(1, 65535)));
  keys.Restart(app.add_option(
      "--mysql_socket", endpoint->socket,
      "Unix socket of this node's MySQL/MariaDB server, when it runs on this host: cheaper than TCP "
      "(mysql_host and mysql_port are then not used)"));
  keys.Restart(app.add_option("--mysql_user", endpoint->user, "MySQL user ddb connects as"));
  keys.Secret(app.add_option("--mysql_password", endpoint->password, "Password of mysql_user"));
  keys.Restart(
      app.add_option("--mysql_ssl_ca", endpoint->ssl_ca,
                     "PEM CA certificate(s) of this node's MySQL server: when set, ddb connects to it "
                     "only over TLS, checking its certificate against them and mysql_host"));
  keys.Restart(app.add_option("--mysql_ssl_cert", endpoint->ssl_cert,
                              "PEM client certificate ddb presents to its MySQL server (for an account "
                              "created with REQUIRE X509); needs mysql_ssl_ca and mysql_ssl_key"));
  keys.Restart(app.add_option("--mysql_ssl_key", endpoint->ssl_key, "PEM private key of mysql_ssl_cert"));
}

void ValidateMySqlTls(const MySqlEndpoint& endpoint, ConfigProblems* problems) {
  if (endpoint.ssl_cert.empty() != endpoint.ssl_key.empty()) {
    problems->Add(endpoint.ssl_cert.empty() ? "mysql_ssl_cert" : "mysql_ssl_key",
                  "mysql_ssl_cert and mysql_ssl_key go together: set both or neither");
  }
  if (!endpoint.ssl_cert.empty() && endpoint.ssl_ca.empty()) {
    problems->Add("mysql_ssl_ca",
                  "needed with mysql_ssl_cert: ddb talks TLS to its MySQL only when it can "
                  "check the server's certificate");
  }
  if (!endpoint.ssl_ca.empty() && !endpoint.socket.empty()) {
    problems->Add("mysql_ssl_ca",
                  "set together with mysql_socket: a unix socket never leaves this host, so "
                  "there is no TLS on it; use mysql_host and mysql_port for TLS, or drop "
                  "mysql_ssl_*");
  }
}

void AddLoggingOptions(CLI::App& app, ConfigKeys& keys, LoggingOptions* options) {
  keys.Restart(app.add_option("--log_file", options->log_file, "Log file (empty: standard error)"));
  keys.Live(app.add_option("--log_level", options->log_level, "trace, debug, info, warn, error or off"));
}

void AddConsoleOptions(CLI::App& app, ConfigKeys& keys, ConsoleOptions* options) {
  keys.Restart(
      app.add_option("--console", options->mode_name,
                     "auto: console when stdin is a terminal; on: read statements from stdin; off: headless")
          ->check(CLI::IsMember({"auto", "on", "off"}, CLI::ignore_case)));
  keys.Restart(app.add_option("--history_file", options->history_file, "Console history file (empty: none)"));
  keys.Restart(app.add_flag("--batch", options->batch, "Print results tab-separated, like mariadb --batch"));
}

void AddConfigCommands(CLI::App& app, ConfigCommands* commands) {
  app.add_flag("--check", commands->check,
               "Check the config and exit: every key, MySQL reachable with enough privileges, ports free or "
               "held by this node's running daemon; --check FILE [PEER FILE...] checks FILE and its peers' "
               "names and secret against it")
      ->configurable(false);
  app.add_flag("--print-config", commands->print,
               "Print the effective configuration, one key per line with where its value came from "
               "(default, file:line, flag, environment), secrets masked, and exit")
      ->configurable(false);
  app.add_option("--init-config", commands->init_path,
                 "Write a fully commented config for a new node, with a fresh random secret, to this path "
                 "(never over an existing file) and exit; flags given with it are written as values")
      ->configurable(false);
}

bool WantsInitConfig(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--init-config" || arg.rfind("--init-config=", 0) == 0) return true;
  }
  return false;
}

std::vector<std::string> CommandLineArguments(int argc, const char* const argv[],
                                              std::vector<std::string>* peer_files) {
  std::vector<std::string> args;
  bool after_check = false, config_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (after_check && !arg.empty() && arg[0] != '-') {
      if (!config_given) {
        args.insert(args.end(), {"--config", arg});
        config_given = true;
      } else {
        peer_files->push_back(arg);
      }
      continue;
    }
    after_check = arg == "--check";
    args.push_back(arg);
  }
  return args;
}

void ResolveConsoleMode(ConsoleOptions* options) {
  std::string name = options->mode_name;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  options->mode = name == "on" ? ConsoleMode::kOn : name == "off" ? ConsoleMode::kOff : ConsoleMode::kAuto;
}

void AddHeartbeatOptions(CLI::App& app, ConfigKeys& keys, HeartbeatOptions* options) {
  keys.Restart(app.add_option("--heartbeat_interval_ms", options->interval_ms,
                              "Heartbeat interval on the replication link")
                   ->check(CLI::Range(10, 60000)));
  keys.Restart(app.add_option("--heartbeat_timeout_ms", options->timeout_ms,
                              "Silence after which the peer is declared gone")
                   ->check(CLI::Range(50, 600000)));
}

void ValidateHeartbeat(const HeartbeatOptions& options, ConfigProblems* problems) {
  if (options.timeout_ms <= options.interval_ms) {
    problems->Add("heartbeat_timeout_ms", std::to_string(options.timeout_ms) +
                                              " must be larger than heartbeat_interval_ms (" +
                                              std::to_string(options.interval_ms) + ")");
  }
}

void ValidateSecret(const std::string& secret, ConfigProblems* problems) {
  if (problems->Has("cluster_secret")) return;  // did not parse: already said
  if (secret.empty()) {
    problems->AddLine("cluster_secret",
                      problems->file() +
                          ": key 'cluster_secret' is missing (set it in the file, in a file "
                          "named by cluster_secret_file, or in the environment as "
                          "DDB_CLUSTER_SECRET)");
  } else if (secret.size() < 16) {
    problems->AddLine("cluster_secret", problems->file() + ": key 'cluster_secret' is too short (" +
                                            std::to_string(secret.size()) + " characters; at least 16)");
  }
}

void ResolveSecretFile(const std::string& key, const std::string& file, std::string* value,
                       ConfigProblems* problems) {
  if (file.empty()) return;
  if (!value->empty()) {
    problems->AddLine(key + "_file", problems->file() + ": keys '" + key + "' and '" + key +
                                         "_file' are both set: keep one");
    return;
  }
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    problems->Add(key + "_file", "cannot read '" + file + "'");
    return;
  }
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  *value = line;
}

void ValidateLogging(const LoggingOptions& options, ConfigProblems* problems) {
  static const char* const kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  for (const char* level : kLevels) {
    if (options.log_level == level) return;
  }
  problems->Add("log_level",
                "'" + options.log_level + "' is not one of trace, debug, info, warn, error, off");
}

}  // namespace ddb
