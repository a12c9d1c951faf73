#include "master_config.h"

#include "haproxy_config.h"
#include "master_exposure.h"

#include <regex>
#include <set>

namespace ddb {
namespace {

Status Validate(const MasterConfig& config) {
  if (Status s = ValidateSecret(config.config_path, config.cluster_secret); !s.ok()) return s;
  if (Status s = ValidateHeartbeat(config.config_path, config.heartbeat); !s.ok()) return s;
  if (Status s = ValidateLogging(config.config_path, config.logging); !s.ok()) return s;
  const std::regex name_pattern("[A-Za-z0-9_.-]{1,64}");
  std::set<std::string> seen;
  for (const std::string& slave : config.slaves) {
    if (!std::regex_match(slave, name_pattern)) {
      return ConfigKeyError(config.config_path, "slaves",
                            "'" + slave + "' is not a valid node name (letters, digits, '_', '.', '-')");
    }
    if (!seen.insert(slave).second) {
      return ConfigKeyError(config.config_path, "slaves", "'" + slave + "' is listed twice");
    }
  }
  if (config.sync_slaves > static_cast<int>(config.slaves.size())) {
    return ConfigKeyError(config.config_path, "sync_slaves",
                          std::to_string(config.sync_slaves) + " is more than the " +
                              std::to_string(config.slaves.size()) + " slave(s) listed in 'slaves'");
  }
  std::set<std::string> users;
  for (const ClientUser& user : config.client_users) {
    if (user.name.empty() || user.name.size() > 80) {
      return ConfigKeyError(config.config_path, "client_users",
                            "each entry is user:password, with a user name of 1 to 80 characters");
    }
    if (user.password.empty()) {
      // The endpoint is never an open door.
      return ConfigKeyError(config.config_path, "client_users", "user '" + user.name + "' has no password");
    }
    if (!users.insert(user.name).second) {
      return ConfigKeyError(config.config_path, "client_users", "user '" + user.name + "' is listed twice");
    }
  }
  if (config.client_port != 0 && config.client_users.empty()) {
    return ConfigKeyError(config.config_path, "client_users",
                          "client_port is set, so the MySQL endpoint needs at least one user:password");
  }
  if (!config.http_token.empty() && config.http_token.size() < 16) {
    return ConfigKeyError(config.config_path, "http_token",
                          "must be at least 16 characters (or empty: API off)");
  }
  for (const auto& [key, items] : {std::pair{"slave_mysql_addresses", &config.slave_mysql_addresses},
                                   std::pair{"slave_http_addresses", &config.slave_http_addresses}}) {
    for (const std::string& item : *items) {
      NamedAddress parsed;
      if (Status s = ParseNamedAddress(item, &parsed); !s.ok())
        return ConfigKeyError(config.config_path, key, s.message());
      if (!seen.count(parsed.name)) {
        return ConfigKeyError(config.config_path, key, "'" + parsed.name + "' is not in 'slaves'");
      }
    }
  }
  if (HostPort bind; !ParseHostPort(config.haproxy_bind, &bind).ok()) {
    return ConfigKeyError(config.config_path, "haproxy_bind",
                          "'" + config.haproxy_bind + "' is not host:port");
  }
  if (config.recent_records == 0) {
    return ConfigKeyError(config.config_path, "recent_records", "must be at least 1");
  }
  if (Status s = ReviewMasterExposure(config, nullptr); !s.ok()) return s;
  return Status::Ok();
}

}  // namespace

ParseResult LoadMasterConfig(int argc, const char* const argv[], MasterConfig* config) {
  CLI::App app("ddb-master: executes SQL on its MySQL, logs every change and streams it to the slaves",
               "ddb-master");
  AddConfigFileOption(app, "config/master.ini", &config->config_path);
  app.add_option("--node_name", config->node_name, "Name of this node in status and logs")
      ->capture_default_str();
  app.add_option("--cluster_secret", config->cluster_secret,
                 "Shared secret of the cluster (HMAC key; never sent over the wire)");
  app.add_option("--cluster_secret_file", config->cluster_secret_file,
                 "File whose first line is the cluster secret (instead of cluster_secret)");
  app.add_option("--replication_address", config->replication_address, "Address slaves dial")
      ->capture_default_str();
  app.add_option("--replication_port", config->replication_port, "Port slaves dial")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  std::vector<std::string> slaves;
  app.add_option("--slaves", slaves, "Comma-separated names of the slaves this master serves")
      ->delimiter(',');
  app.add_option("--recent_records", config->recent_records, "Log records kept in memory for live slaves")
      ->capture_default_str();
  app.add_option("--handshake_timeout_ms", config->handshake_timeout_ms,
                 "A connection that has not authenticated by then is closed")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  app.add_option(
         "--unsafe_statements", config->unsafe_statements,
         "refuse: statements whose replay could differ (UUID(), LIMIT without ORDER BY...) are not run; "
         "warn: run them with a warning")
      ->check(CLI::IsMember({"refuse", "warn"}))
      ->capture_default_str();
  app.add_option("--log_retention_seconds", config->log_retention_seconds,
                 "Records are purged once every slave acknowledged them and they are older than this")
      ->check(CLI::Range(int64_t{0}, int64_t{10} * 365 * 24 * 3600))
      ->capture_default_str();
  app.add_option("--purge_interval_ms", config->purge_interval_ms, "How often the purge runs")
      ->check(CLI::Range(100, 86400000))
      ->capture_default_str();
  app.add_option(
         "--read_from", config->read_from,
         "slaves: reads at the master console go round robin to slaves that are online, within max_lag "
         "and have the session's last write; master: every read runs on the master")
      ->check(CLI::IsMember({"slaves", "master"}))
      ->capture_default_str();
  app.add_option("--max_lag_seconds", config->max_lag_seconds, "A slave further behind gets no reads")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  app.add_option("--read_your_writes_wait_ms", config->read_your_writes_wait_ms,
                 "How long a read waits for a slave to apply the session's last write before reading from "
                 "the master")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  app.add_option("--sync_slaves", config->sync_slaves,
                 "A write returns only once this many slaves applied it (0: asynchronous)")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  app.add_option(
         "--sync_timeout_ms", config->sync_timeout_ms,
         "How long a write waits for sync_slaves acknowledgements before the master goes asynchronous "
         "(degraded) until enough slaves catch up")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  app.add_option("--client_address", config->client_address,
                 "Address of the MySQL-protocol endpoint for applications and the mariadb client")
      ->capture_default_str();
  app.add_option("--client_port", config->client_port, "Port of the MySQL-protocol endpoint (0: off)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  std::vector<std::string> client_users;
  app.add_option("--client_users", client_users,
                 "Comma-separated user:password pairs the MySQL endpoint accepts (mysql_native_password)")
      ->delimiter(',');
  app.add_option("--client_max_connections", config->client_max_connections,
                 "Clients served at once; one more gets ERR 1040 'Too many connections'")
      ->check(CLI::Range(size_t{1}, size_t{10000}))
      ->capture_default_str();
  app.add_option("--client_max_packet_bytes", config->client_max_packet_bytes,
                 "Largest statement a client may send (max_allowed_packet); a bigger one closes its session")
      ->check(CLI::Range(size_t{1024}, size_t{1024} * 1024 * 1024))
      ->capture_default_str();
  app.add_option("--client_handshake_timeout_ms", config->client_handshake_timeout_ms,
                 "A client that has not logged in by then is disconnected")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  app.add_option("--client_idle_timeout_seconds", config->client_idle_timeout_seconds,
                 "A logged-in client silent for this long is disconnected (MySQL's wait_timeout)")
      ->check(CLI::Range(int64_t{1}, int64_t{31536000}))
      ->capture_default_str();
  AddHttpOptions(app, &config->http);
  app.add_option(
      "--http_token", config->http_token,
      "Bearer token for the JSON API and the dashboard's SQL box (at least 16 characters; empty: API off)");
  app.add_option("--http_token_file", config->http_token_file,
                 "File whose first line is the http_token (instead of http_token)");
  AddTlsOptions(app, &config->tls);
  app.add_option("--tls_require_client_cert", config->tls_require_client_cert,
                 "true: slaves must present a certificate (tls_cert_file) signed by a CA in tls_ca_file")
      ->capture_default_str();
  std::vector<std::string> mysql_addresses, http_addresses;
  app.add_option("--slave_mysql_addresses", mysql_addresses,
                 "For --haproxy-config: name=host:port of each slave's MySQL, comma-separated")
      ->delimiter(',');
  app.add_option("--slave_http_addresses", http_addresses,
                 "For --haproxy-config: name=host:port of each slave's HTTP listener (its /health)")
      ->delimiter(',');
  app.add_option("--haproxy_bind", config->haproxy_bind,
                 "For --haproxy-config: where HAProxy listens for reads")
      ->capture_default_str();
  app.add_flag("--haproxy-config", config->print_haproxy_config,
               "Print an haproxy.cfg balancing reads over the slaves, then exit")
      ->configurable(false);
  AddMySqlOptions(app, &config->mysql);
  AddHeartbeatOptions(app, &config->heartbeat);
  AddLoggingOptions(app, &config->logging);
  AddConsoleOptions(app, &config->console);

  ParseResult result = ParseArguments(app, argc, argv, config->config_path);
  if (!result.status.ok() || result.exit_now) return result;
  config->config_path = app.get_option("--config")->as<std::string>();
  ResolveConsoleMode(&config->console);
  for (const std::string& item : slaves) {
    for (std::string& name : SplitList(item)) config->slaves.push_back(std::move(name));
  }
  for (const std::string& item : client_users) {
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
  for (const std::string& item : mysql_addresses) {
    for (std::string& one : SplitList(item)) config->slave_mysql_addresses.push_back(std::move(one));
  }
  for (const std::string& item : http_addresses) {
    for (std::string& one : SplitList(item)) config->slave_http_addresses.push_back(std::move(one));
  }
  result.status = ResolveSecret(config->config_path, "cluster_secret", config->cluster_secret_file,
                                "DDB_CLUSTER_SECRET", &config->cluster_secret);
  if (result.status.ok()) {
    result.status = ResolveSecret(config->config_path, "http_token", config->http_token_file,
                                  "DDB_HTTP_TOKEN", &config->http_token);
  }
  if (result.status.ok()) result.status = Validate(*config);
  return result;
}

}  // namespace ddb
