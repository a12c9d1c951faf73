#include "master_config.h"

#include "haproxy_config.h"
#include "master_exposure.h"

#include <algorithm>
#include <regex>
#include <set>

namespace ddb {
namespace {

void Validate(const MasterConfig& config, ConfigProblems* problems) {
  ValidateSecret(config.cluster_secret, problems);
  ValidateHeartbeat(config.heartbeat, problems);
  ValidateMySqlTls(config.mysql, problems);
  ValidateLogging(config.logging, problems);
  const std::regex name_pattern("[A-Za-z0-9_.-]{1,64}");
  std::set<std::string> seen;
  for (const std::string& slave : config.slaves) {
    if (!std::regex_match(slave, name_pattern)) {
      problems->Add("slaves", "'" + slave + "' is not a valid node name (letters, digits, '_', '.', '-')");
    }
    if (!seen.insert(slave).second) {
      problems->Add("slaves", "'" + slave + "' is listed twice");
    }
  }
  if (config.sync_slaves > static_cast<int>(config.slaves.size())) {
    problems->Add("sync_slaves", std::to_string(config.sync_slaves) + " is more than the " +
                                     std::to_string(config.slaves.size()) + " slave(s) listed in 'slaves'");
  }
  std::set<std::string> users;
  for (const ClientUser& user : config.client_users) {
    if (user.name.empty() || user.name.size() > 80) {
      problems->Add("client_users", "each entry is user:password, with a user name of 1 to 80 characters");
    } else if (user.password.empty()) {
      // The endpoint is never an open door.
      problems->Add("client_users", "user '" + user.name + "' has no password");
    }
    if (!users.insert(user.name).second) {
      problems->Add("client_users", "user '" + user.name + "' is listed twice");
    }
  }
  if (config.client_port != 0 && config.client_users.empty()) {
    problems->Add("client_users",
                  "client_port is set, so the MySQL endpoint needs at least one user:password");
  }
  if (!config.http_token.empty() && config.http_token.size() < 16) {
    problems->Add("http_token", "must be at least 16 characters (or empty: API off)");
  }
  for (const auto& [key, items] : {std::pair{"slave_mysql_addresses", &config.slave_mysql_addresses},
                                   std::pair{"slave_http_addresses", &config.slave_http_addresses}}) {
    for (const std::string& item : *items) {
      NamedAddress parsed;
      if (Status s = ParseNamedAddress(item, &parsed); !s.ok()) {
        problems->Add(key, s.message());
      } else if (!seen.count(parsed.name)) {
        problems->Add(key, "'" + parsed.name + "' is not in 'slaves'");
      }
    }
  }
  if (HostPort bind; !ParseHostPort(config.haproxy_bind, &bind).ok()) {
    problems->Add("haproxy_bind", "'" + config.haproxy_bind + "' is not host:port");
  }
  if (HostPort bind;
      !config.haproxy_write_bind.empty() && !ParseHostPort(config.haproxy_write_bind, &bind).ok()) {
    problems->Add("haproxy_write_bind",
                  "'" + config.haproxy_write_bind + "' is not host:port (or empty: none)");
  }
  for (const std::string& item : config.node_client_addresses) {
    NamedAddress parsed;
    if (Status s = ParseNamedAddress(item, &parsed); !s.ok()) {
      problems->Add("node_client_addresses", s.message());
    } else if (parsed.name != config.node_name && !seen.count(parsed.name)) {
      problems->Add("node_client_addresses", "'" + parsed.name + "' is neither this node (node_name " +
                                                 config.node_name + ") nor in 'slaves'");
    }
  }
  if (config.recent_records == 0) {
    problems->Add("recent_records", "must be at least 1");
  }
  // Exposure last: it reads values the checks above vouch for.
  if (Status s = ReviewMasterExposure(config, nullptr); !s.ok()) problems->AddLine("", s.message());
}

}  // namespace

MasterConfigSchema::MasterConfigSchema(MasterConfig* config, bool init)
    : ConfigSchema("ddb-master: executes SQL on its MySQL, logs every change and streams it to the slaves",
                   "ddb-master"),
      config_(config) {
  CLI::App& app = app_;
  ConfigKeys& keys = keys_;
  AddConfigFileOption(app, "config/master.ini", &config->config_path, !init);
  AddConfigCommands(app, &config->commands);
  app.add_flag("--promote", config->promote,
               "Start as the master on a slave's MySQL: its records become the log and a new epoch starts "
               "(docs/failover.md; ddb-slave --promote checks the other nodes first and runs this)")
      ->configurable(false);
  keys.Restart(app.add_option("--node_name", config->node_name, "Name of this node in status and logs"));
  keys.Restart(app.add_option("--slave_config", config->slave_config,
                              "The ddb-slave config this node restarts with (--rejoin) when another node "
                              "became the master (fenced); empty: it stays up, fenced, taking no writes"));
  keys.Restart(
      app.add_option("--switchover_timeout_ms", config->switchover_timeout_ms,
                     "Planned switchover (\\switchover, POST /api/switchover): how long the slave taking "
                     "over may take to apply the last record, and then to answer as the master; writes "
                     "are refused meanwhile")
          ->check(CLI::Range(100, 600000)));
  keys.Secret(app.add_option("--cluster_secret", config->cluster_secret,
                             "Shared secret of the cluster (HMAC key; never sent over the wire)"));
  keys.Restart(app.add_option("--cluster_secret_file", config->cluster_secret_file,
                              "File whose first line is the cluster secret (instead of cluster_secret)"));
  keys.Restart(app.add_option("--replication_address", config->replication_address, "Address slaves dial"));
  keys.Restart(app.add_option("--replication_port", config->replication_port, "Port slaves dial")
                   ->check(CLI::Range(1, 65535)));
  keys.Live(
      app.add_option("--slaves", slaves_,
                     "Comma-separated names of the slaves this master serves (a reload adds and removes "
                     "slaves)")
          ->delimiter(','));
  keys.Restart(app.add_option("--recent_records", config->recent_records,
                              "Log records kept in memory for live slaves"));
  keys.Restart(app.add_option("--handshake_timeout_ms", config->handshake_timeout_ms,
                              "A connection that has not authenticated by then is closed")
                   ->check(CLI::Range(100, 600000)));
  keys.Restart(
      app.add_option(
             "--unsafe_statements", config->unsafe_statements,
             "refuse: statements whose replay could differ (UUID(), LIMIT without ORDER BY...) are not run; "
             "warn: run them with a warning")
          ->check(CLI::IsMember({"refuse", "warn"})));
  keys.Live(
      app.add_option("--log_retention_seconds", config->log_retention_seconds,
                     "Records are purged once every slave acknowledged them and they are older than this")
          ->check(CLI::Range(int64_t{0}, int64_t{10} * 365 * 24 * 3600)));
  keys.Live(app.add_option("--purge_interval_ms", config->purge_interval_ms, "How often the purge runs")
                ->check(CLI::Range(100, 86400000)));
  keys.Live(
      app.add_option(
             "--read_from", config->read_from,
             "slaves: reads at the master console and the MySQL endpoint go round robin to slaves that are "
             "online, within max_lag and have the session's last write; master: every read runs on the "
             "master")
          ->check(CLI::IsMember({"slaves", "master"})));
  keys.Live(
      app.add_option("--max_lag_seconds", config->max_lag_seconds, "A slave further behind gets no reads")
          ->check(CLI::Range(0.0, 86400.0)));
  keys.Live(
      app.add_option("--read_your_writes_wait_ms", config->read_your_writes_wait_ms,
                     "How long a read waits for a slave to apply the session's last write before reading "
                     "from the master")
          ->check(CLI::Range(0, 60000)));
  keys.Live(app.add_option("--sync_slaves", config->sync_slaves,
                           "A write returns only once this many slaves applied it (0: asynchronous)")
                ->check(CLI::Range(0, 1000)));
  keys.Live(
      app.add_option(
             "--sync_timeout_ms", config->sync_timeout_ms,
             "How long a write waits for sync_slaves acknowledgements before the master goes asynchronous "
             "(degraded) until enough slaves catch up")
          ->check(CLI::Range(1, 3600000)));
  keys.Live(
      app.add_option(
             "--verify_interval_seconds", config->verify_interval_seconds,
             "Continuous verification: every table is checked chunk by chunk, as by \\verify, this many "
             "seconds after the previous pass ended (0: off; results in \\status, GET /api/verify, "
             "/metrics)")
          ->check(CLI::Range(int64_t{0}, int64_t{30} * 24 * 3600)));
  keys.Live(app.add_option(
                   "--verify_busy_percent", config->verify_busy_percent,
                   "Continuous verification's share of the time: after each chunk it pauses (100 / this - 1) "
                   "times as long as the chunk took")
                ->check(CLI::Range(1, 100)));
  keys.Restart(
      app.add_option("--client_address", config->client_address,
                     "Address of the MySQL-protocol endpoint for applications and the mariadb client"));
  keys.Restart(
      app.add_option("--client_port", config->client_port, "Port of the MySQL-protocol endpoint (0: off)")
          ->check(CLI::Range(0, 65535)));
  keys.Add(app.add_option(
                  "--client_users", client_users_,
                  "Comma-separated user:password pairs the MySQL endpoint accepts (mysql_native_password); "
                  "each works as the MySQL account of that name and password")
               ->delimiter(','),
           KeyChange::kRestart, KeySecrecy::kUserPasswords);
  keys.Restart(app.add_option("--client_max_connections", config->client_max_connections,
                              "Clients served at once; one more gets ERR 1040 'Too many connections'")
                   ->check(CLI::Range(size_t{1}, size_t{10000})));
  keys.Restart(
      app.add_option(
             "--client_max_packet_bytes", config->client_max_packet_bytes,
             "Largest statement a client may send (max_allowed_packet); a bigger one closes its session")
          ->check(CLI::Range(size_t{1024}, size_t{1024} * 1024 * 1024)));
  keys.Restart(app.add_option("--client_handshake_timeout_ms", config->client_handshake_timeout_ms,
                              "A client that has not logged in by then is disconnected")
                   ->check(CLI::Range(100, 600000)));
  keys.Restart(
      app.add_option("--client_idle_timeout_seconds", config->client_idle_timeout_seconds,
                     "A logged-in client silent for this long is disconnected (MySQL's wait_timeout)")
          ->check(CLI::Range(int64_t{1}, int64_t{31536000})));
  AddHttpOptions(app, keys, &config->http);
  keys.Secret(app.add_option(
      "--http_token", config->http_token,
      "Bearer token for the JSON API and the dashboard's SQL box (at least 16 characters; empty: API off)"));
  keys.Restart(app.add_option("--http_token_file", config->http_token_file,
                              "File whose first line is the http_token (instead of http_token)"));
  AddTlsOptions(app, keys, &config->tls);
  keys.Restart(app.add_option(
      "--tls_require_client_cert", config->tls_require_client_cert,
      "true: slaves must present a certificate (tls_cert_file) signed by a CA in tls_ca_file"));
  // Read by --haproxy-config only: a running daemon has nothing to apply.
  keys.Live(app.add_option("--slave_mysql_addresses", mysql_addresses_,
                           "For --haproxy-config: name=host:port of each slave's MySQL, comma-separated")
                ->delimiter(','));
  keys.Live(app.add_option("--slave_http_addresses", http_addresses_,
                           "For --haproxy-config: name=host:port of each slave's HTTP listener (its /health)")
                ->delimiter(','));
  keys.Live(app.add_option("--haproxy_bind", config->haproxy_bind,
                           "For --haproxy-config: where HAProxy listens for reads"));
  keys.Live(app.add_option("--haproxy_write_bind", config->haproxy_write_bind,
                           "For --haproxy-config: where HAProxy listens for writes, sent to whichever node's "
                           "/health?role=master answers 200 (empty: no write frontend)"));
  keys.Live(app.add_option("--node_client_addresses", client_addresses_,
                           "For --haproxy-config's write frontend: name=host:port of every node's MySQL "
                           "endpoint (its client_address:client_port as master), this node and each slave")
                ->delimiter(','));
  app.add_flag("--haproxy-config", config->print_haproxy_config,
               "Print an haproxy.cfg balancing reads over the slaves (and, with haproxy_write_bind, "
               "sending writes to the master), then exit")
      ->configurable(false);
  AddMySqlOptions(app, keys, &config->mysql);
  AddHeartbeatOptions(app, keys, &config->heartbeat);
  AddLoggingOptions(app, keys, &config->logging);
  AddConsoleOptions(app, keys, &config->console);
}

void MasterConfigSchema::Finish() {
  MasterConfig* config = config_;
  config->config_path = app_.get_option("--config")->as<std::string>();
  ResolveConsoleMode(&config->console);
  for (const std::string& item : slaves_) {
    for (std::string& name : SplitList(item)) config->slaves.push_back(std::move(name));
  }
  for (const std::string& item : client_users_) {
    for (std::string& entry : SplitList(item)) {
      // Split at the first ':', so a password may contain ':' (not ',').
      const size_t colon = entry.find(':');
      ClientUser user;
      user.name = entry.substr(0, colon);
      if (colon != std::string::npos) user.password = entry.substr(colon + 1);
      if (colon == std::string::npos) user.name.clear();  // reported by Validate, without echoing the entry
      config->client_users.push_back(std::move(user));
    }
  }
  for (const std::string& item : mysql_addresses_) {
    for (std::string& one : SplitList(item)) config->slave_mysql_addresses.push_back(std::move(one));
  }
  for (const std::string& item : http_addresses_) {
    for (std::string& one : SplitList(item)) config->slave_http_addresses.push_back(std::move(one));
  }
  for (const std::string& item : client_addresses_) {
    for (std::string& one : SplitList(item)) config->node_client_addresses.push_back(std::move(one));
  }
}

ParseResult LoadMasterConfig(int argc, const char* const argv[], MasterConfig* config) {
  std::vector<std::string> peer_files;
  const std::vector<std::string> args = CommandLineArguments(argc, argv, &peer_files);
  const bool init = WantsInitConfig(args);
  MasterConfigSchema schema(config, init);
  ConfigProblems problems(ConfigPathIn(args, init ? "" : "config/master.ini"));
  ParseResult result;
  if (ParseArguments(schema.app(), args, &problems, &result)) {
    schema.Finish();
    config->commands.peer_files = std::move(peer_files);
    config->settings = schema.keys().Settings(args, config->config_path);
    ResolveSecretFile("cluster_secret", config->cluster_secret_file, &config->cluster_secret, &problems);
    ResolveSecretFile("http_token", config->http_token_file, &config->http_token, &problems);
    // A config being made is checked once written (--check), not before.
    if (!init) Validate(*config, &problems);
  }
  result.status = problems.ToStatus();
  return result;
}

}  // namespace ddb
