#include "slave_config.h"

#include "ddb/base/host_port.h"

#include <algorithm>
#include <regex>

namespace ddb {
namespace {

// A watcher that could never win a majority, or that would call a master
// gone on a single late heartbeat, is a mistake to say at start.
void ValidateAutoFailover(const SlaveConfig& config, ConfigProblems* problems) {
  if (!config.auto_failover) return;
  if (config.failover_after_ms <= config.heartbeat.timeout_ms) {
    problems->Add("failover_after_ms", std::to_string(config.failover_after_ms) +
                                           " must be larger than heartbeat_timeout_ms (" +
                                           std::to_string(config.heartbeat.timeout_ms) +
                                           "): the link must give up on the master first");
  }
  if (config.master_config.empty()) {
    problems->AddLine("master_config",
                      config.config_path +
                          ": key 'master_config' is missing (auto_failover = on promotes this node with it)");
  }
  if (config.seed_sources.empty()) {
    problems->AddLine("seed_sources",
                      config.config_path +
                          ": key 'seed_sources' is missing (auto_failover = on needs the other slaves' HTTP, "
                          "name=host:port: a majority of the nodes must agree the master is gone)");
  }
}

void Validate(const SlaveConfig& config, ConfigProblems* problems) {
  if (config.node_name.empty()) {
    if (!problems->Has("node_name")) {
      problems->AddLine(
          "node_name",
          config.config_path + ": key 'node_name' is missing (the name the master knows this slave by)");
    }
  } else if (!std::regex_match(config.node_name, std::regex("[A-Za-z0-9_.-]{1,64}"))) {
    problems->Add("node_name",
                  "'" + config.node_name + "' is not a valid node name (letters, digits, '_', '.', '-')");
  }
  ValidateSecret(config.cluster_secret, problems);
  ValidateHeartbeat(config.heartbeat, problems);
  ValidateMySqlTls(config.mysql, problems);
  ValidateLogging(config.logging, problems);
  // sockaddr_un holds 108 bytes with the terminating NUL.
  constexpr size_t kMaxSocketPath = 107;
  if (config.console_socket.size() > kMaxSocketPath) {
    problems->Add("console_socket",
                  "'" + config.console_socket + "' is " + std::to_string(config.console_socket.size()) +
                      " bytes long; a unix socket path has at most " + std::to_string(kMaxSocketPath));
  }
  for (const std::string& candidate : MasterAddresses(config)) {
    HostPort address;
    if (Status s = ParseHostPort(candidate, &address); !s.ok())
      problems->Add("master_candidates", s.message());
  }
  if (config.reconnect_max_ms < config.reconnect_min_ms) {
    problems->Add("reconnect_max_ms", "must not be smaller than reconnect_min_ms");
  }
  ValidateAutoFailover(config, problems);
  // Exposure last: it reads values the checks above vouch for.
  if (Status s = ReviewSlaveExposure(config, nullptr); !s.ok()) problems->AddLine("", s.message());
}

}  // namespace

std::vector<std::string> MasterAddresses(const SlaveConfig& config) {
  std::vector<std::string> addresses{config.master_host + ":" + std::to_string(config.master_port)};
  for (const std::string& list : config.master_candidates) {
    for (std::string& item : SplitList(list)) {
      if (std::find(addresses.begin(), addresses.end(), item) == addresses.end()) {
        addresses.push_back(std::move(item));
      }
    }
  }
  return addresses;
}

SlaveConfigSchema::SlaveConfigSchema(SlaveConfig* config, bool init)
    : ConfigSchema("ddb-slave: replays the master's log on its MySQL and answers reads", "ddb-slave"),
      config_(config) {
  CLI::App& app = app_;
  ConfigKeys& keys = keys_;
  AddConfigFileOption(app, "config/slave1.ini", &config->config_path, !init);
  AddConfigCommands(app, &config->commands);
  keys.Restart(app.add_option("--node_name", config->node_name,
                              "Name of this slave (must be in the master's 'slaves')"));
  keys.Secret(
      app.add_option("--cluster_secret", config->cluster_secret, "Shared secret of the cluster (HMAC key)"));
  keys.Restart(app.add_option("--cluster_secret_file", config->cluster_secret_file,
                              "File whose first line is the cluster secret (instead of cluster_secret)"));
  keys.Restart(app.add_option("--master_host", config->master_host, "Host of the master's replication port"));
  keys.Restart(app.add_option("--master_port", config->master_port, "The master's replication port")
                   ->check(CLI::Range(1, 65535)));
  keys.Restart(app.add_option("--master_candidates", config->master_candidates,
                              "host:port of the replication port of every other node that may become the "
                              "master (failover), comma-separated; the link follows the newest epoch")
                   ->delimiter(','));
  keys.Restart(app.add_option("--reconnect_min_ms", config->reconnect_min_ms, "First reconnect delay")
                   ->check(CLI::Range(10, 600000)));
  keys.Restart(app.add_option("--reconnect_max_ms", config->reconnect_max_ms,
                              "Longest reconnect delay (exponential back-off)")
                   ->check(CLI::Range(10, 600000)));
  keys.Restart(app.add_option("--apply_batch_records", config->apply_batch_records,
                              "Consecutive records applied in one transaction")
                   ->check(CLI::Range(1, 100000)));
  keys.Restart(app.add_option("--queue_records", config->queue_records,
                              "Records received but not yet applied, at most")
                   ->check(CLI::Range(1, 1000000)));
  keys.Restart(app.add_option("--query_sessions", config->query_sessions,
                              "MySQL sessions that answer the reads the master routes here, at most at once "
                              "(each opened on first use)")
                   ->check(CLI::Range(1, 256)));
  keys.Restart(app.add_option("--log_retention_seconds", config->log_retention_seconds,
                              "Applied records are kept in ddb_meta.applied_records this long (by the "
                              "master's commit time), so this slave can feed others after a failover")
                   ->check(CLI::Range(int64_t{1}, int64_t{10} * 366 * 24 * 3600)));
  keys.Restart(app.add_option(
      "--forward_writes", config->forward_writes,
      "true: DML typed at this slave's console runs on the master (logged and replicated as any write) and "
      "returns once applied here; false: refused"));
  keys.Restart(
      app.add_option(
             "--forward_wait_ms", config->forward_wait_ms,
             "How long a forwarded write waits for the master's answer, then for this slave to apply it")
          ->check(CLI::Range(100, 3600000)));
  app.add_flag(
      "--attach", config->attach,
      "Open a console attached to the running daemon (console_socket): reads here, writes forwarded, "
      "\\status, \\retry, \\skip; without a daemon, a read-only console on this slave's MySQL");
  keys.Restart(app.add_option("--console_socket", config->console_socket,
                              "Local socket where consoles attach to the daemon (off: none) [default: "
                              "/tmp/ddb-slave-<node_name>.sock]"));
  AddHttpOptions(app, keys, &config->http);
  keys.Live(
      app.add_option("--max_lag_seconds", config->max_lag_seconds,
                     "/health answers 503 (load balancers take this slave out) when it is further behind")
          ->check(CLI::Range(0.0, 86400.0)));
  keys.Live(app.add_option(
                   "--reads_without_master_seconds", config->reads_without_master_seconds,
                   "While the master is unreachable, /health stays 200 (reads go on) this long after it was "
                   "last heard from, if everything received is applied and within max_lag_seconds of what "
                   "it last reported (0: 503 as soon as the link is down)")
                ->check(CLI::Range(0.0, 86400.0 * 30)));
  keys.Restart(
      app.add_option("--client_address", config->client_address,
                     "Address of this node's MySQL endpoint when it is the master (see client_port)"));
  keys.Restart(app.add_option("--client_port", config->client_port,
                              "This node's MySQL endpoint port when it is the master: as a slave it answers "
                              "each connection there with an error naming the master (0: off)")
                   ->check(CLI::Range(0, 65535)));
  keys.Restart(
      app.add_option("--node_client_addresses", config->node_client_addresses,
                     "name=host:port of every node's MySQL endpoint, so the error at client_port says "
                     "where the master's is")
          ->delimiter(','));
  AddTlsOptions(app, keys, &config->tls);
  keys.Restart(app.add_option(
      "--tls_server_name", config->tls_server_name,
      "Name (DNS name or IP address) the master's certificate must hold [default: master_host]"));
  AddMySqlOptions(app, keys, &config->mysql);
  AddHeartbeatOptions(app, keys, &config->heartbeat);
  AddLoggingOptions(app, keys, &config->logging);
  AddConsoleOptions(app, keys, &config->console);
  // Commands, not keys: seeding runs instead of the daemon.
  app.add_flag("--seed", config->seed,
               "Copy the master's data and position into this slave's empty MySQL, then exit "
               "(start the daemon afterwards)");
  app.add_option("--seed-from", config->seed_from,
                 "Like --seed, from another slave: a name in seed_sources, or its HTTP host:port");
  app.add_flag("--force", config->force,
               "With --seed/--seed-from: drop what this slave's MySQL holds first (a purged or broken "
               "slave); with --promote: promote even if the master answers or another slave is ahead");
  app.add_flag("--promote", config->promote,
               "Make this node the master: checks that the master is gone and no other slave (seed_sources) "
               "is ahead, then runs ddb-master --config master_config --promote in this process");
  app.add_flag("--rejoin", config->rejoin,
               "Start a former master's MySQL as this slave: its log becomes its position; it follows the "
               "new master if it holds nothing beyond the promotion point, else it is reported diverged");
  keys.Restart(app.add_option("--master_config", config->master_config,
                              "The ddb-master config this node runs when promoted (--promote, \\promote)"));
  keys.Restart(app.add_option("--auto_failover", config->auto_failover,
                              "on: when a majority of the configured nodes (this one, master_http_address, "
                              "seed_sources) heard nothing from the master for failover_after_ms, the most "
                              "advanced slave among them promotes itself (needs master_config)"));
  keys.Restart(app.add_option("--failover_after_ms", config->failover_after_ms,
                              "With auto_failover: how long the master must have been silent to a majority "
                              "of the nodes (more than heartbeat_timeout_ms)")
                   ->check(CLI::Range(100, 3600000)));
  keys.Restart(
      app.add_option("--master_http_address", config->master_http_address,
                     "host:port of the master's HTTP server, for --seed, --promote and auto_failover "
                     "[default: master_host:8080]"));
  keys.Restart(app.add_option("--seed_sources", config->seed_sources,
                              "name=host:port of other slaves' HTTP servers, for --seed-from, --promote and "
                              "auto_failover")
                   ->delimiter(','));
}

void SlaveConfigSchema::Finish() {
  SlaveConfig* config = config_;
  config->config_path = app_.get_option("--config")->as<std::string>();
  if (app_.get_option("--console_socket")->count() == 0) {
    config->console_socket = "/tmp/ddb-slave-" + config->node_name + ".sock";
  } else if (config->console_socket == "off") {
    config->console_socket.clear();
  }
  if (config->master_http_address.empty()) config->master_http_address = config->master_host + ":8080";
  ResolveConsoleMode(&config->console);
}

ParseResult LoadSlaveConfig(int argc, const char* const argv[], SlaveConfig* config) {
  std::vector<std::string> peer_files;
  const std::vector<std::string> args = CommandLineArguments(argc, argv, &peer_files);
  const bool init = WantsInitConfig(args);
  SlaveConfigSchema schema(config, init);
  ConfigProblems problems(ConfigPathIn(args, init ? "" : "config/slave1.ini"));
  ParseResult result;
  if (ParseArguments(schema.app(), args, &problems, &result)) {
    schema.Finish();
    config->settings = schema.keys().Settings(args, config->config_path);
    ResolveSecretFile("cluster_secret", config->cluster_secret_file, &config->cluster_secret, &problems);
    if (!config->console_socket.empty())
      OverrideSetting(&config->settings, "console_socket", config->console_socket);
    // A config being made is checked once written (--check), not before.
    if (!init) Validate(*config, &problems);
    if (!peer_files.empty()) {
      problems.AddLine("",
                       "ddb-slave --check takes one config file; check the master's with "
                       "ddb-master --check master.ini " +
                           peer_files.front() + "...");
    }
  }
  result.status = problems.ToStatus();
  return result;
}

}  // namespace ddb
