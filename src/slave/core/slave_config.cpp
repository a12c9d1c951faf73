#include "slave_config.h"

#include <regex>

namespace ddb {
namespace {

Status Validate(const SlaveConfig& config) {
  if (config.node_name.empty()) {
    return Status::InvalidArgument(config.config_path +
                                   ": key 'node_name' is missing (the name the master knows this slave by)");
  }
  if (!std::regex_match(config.node_name, std::regex("[A-Za-z0-9_.-]{1,64}"))) {
    return ConfigKeyError(
        config.config_path, "node_name",
        "'" + config.node_name + "' is not a valid node name (letters, digits, '_', '.', '-')");
  }
  if (Status s = ValidateSecret(config.config_path, config.cluster_secret); !s.ok()) return s;
  if (Status s = ValidateHeartbeat(config.config_path, config.heartbeat); !s.ok()) return s;
  if (Status s = ValidateLogging(config.config_path, config.logging); !s.ok()) return s;
  // sockaddr_un holds 108 bytes with the terminating NUL.
  constexpr size_t kMaxSocketPath = 107;
  if (config.console_socket.size() > kMaxSocketPath) {
    return ConfigKeyError(
        config.config_path, "console_socket",
        "'" + config.console_socket + "' is " + std::to_string(config.console_socket.size()) +
            " bytes long; a unix socket path has at most " + std::to_string(kMaxSocketPath));
  }
  if (config.reconnect_max_ms < config.reconnect_min_ms) {
    return ConfigKeyError(config.config_path, "reconnect_max_ms",
                          "must not be smaller than reconnect_min_ms");
  }
  if (Status s = ReviewSlaveExposure(config, nullptr); !s.ok()) return s;
  return Status::Ok();
}

}  // namespace

ParseResult LoadSlaveConfig(int argc, const char* const argv[], SlaveConfig* config) {
  CLI::App app("ddb-slave: replays the master's log on its MySQL and answers reads", "ddb-slave");
  AddConfigFileOption(app, "config/slave1.ini", &config->config_path);
  app.add_option("--node_name", config->node_name, "Name of this slave (must be in the master's 'slaves')");
  app.add_option("--cluster_secret", config->cluster_secret, "Shared secret of the cluster (HMAC key)");
  app.add_option("--cluster_secret_file", config->cluster_secret_file,
                 "File whose first line is the cluster secret (instead of cluster_secret)");
  app.add_option("--master_host", config->master_host, "Host of the master's replication port")
      ->capture_default_str();
  app.add_option("--master_port", config->master_port, "The master's replication port")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  app.add_option("--reconnect_min_ms", config->reconnect_min_ms, "First reconnect delay")
      ->check(CLI::Range(10, 600000))
      ->capture_default_str();
  app.add_option("--reconnect_max_ms", config->reconnect_max_ms,
                 "Longest reconnect delay (exponential back-off)")
      ->check(CLI::Range(10, 600000))
      ->capture_default_str();
  app.add_option("--apply_batch_records", config->apply_batch_records,
                 "Consecutive records applied in one transaction")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--queue_records", config->queue_records, "Records received but not yet applied, at most")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--forward_writes", config->forward_writes,
                 "true: DML typed at this slave's console runs on the master (logged and replicated as any "
                 "write) and returns once applied here; false: refused")
      ->capture_default_str();
  app.add_option("--forward_wait_ms", config->forward_wait_ms,
                 "How long a forwarded write waits for the master's answer, then for this slave to apply it")
      ->check(CLI::Range(100, 3600000))
      ->capture_default_str();
  app.add_flag(
      "--attach", config->attach,
      "Open a console attached to the running daemon (console_socket): reads here, writes forwarded, "
      "\\status, \\retry, \\skip; without a daemon, a read-only console on this slave's MySQL");
  app.add_option("--console_socket", config->console_socket,
                 "Local socket where consoles attach to the daemon (off: none) [default: "
                 "/tmp/ddb-slave-<node_name>.sock]");
  AddHttpOptions(app, &config->http);
  app.add_option("--max_lag_seconds", config->max_lag_seconds,
                 "/health answers 503 (load balancers take this slave out) when it is further behind")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  AddTlsOptions(app, &config->tls);
  app.add_option("--tls_server_name", config->tls_server_name,
                 "Name (DNS name or IP address) the master's certificate must hold [default: master_host]");
  AddMySqlOptions(app, &config->mysql);
  AddHeartbeatOptions(app, &config->heartbeat);
  AddLoggingOptions(app, &config->logging);
  AddConsoleOptions(app, &config->console);

  ParseResult result = ParseArguments(app, argc, argv, config->config_path);
  if (!result.status.ok() || result.exit_now) return result;
  config->config_path = app.get_option("--config")->as<std::string>();
  if (app.get_option("--console_socket")->count() == 0) {
    config->console_socket = "/tmp/ddb-slave-" + config->node_name + ".sock";
  } else if (config->console_socket == "off") {
    config->console_socket.clear();
  }
  ResolveConsoleMode(&config->console);
  result.status = ResolveSecret(config->config_path, "cluster_secret", config->cluster_secret_file,
                                "DDB_CLUSTER_SECRET", &config->cluster_secret);
  if (result.status.ok()) result.status = Validate(*config);
  return result;
}

}  // namespace ddb
