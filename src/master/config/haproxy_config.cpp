#include "haproxy_config.h"

#include <filesystem>

#include <map>

#include "ddb/daemon/config_parser.h"

namespace ddb {
namespace {

using AddressBook = std::map<std::string, HostPort>;

std::string Join(const HostPort& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

// `key`'s name=host:port items, each of `required` among them.
Status AddressesByName(const MasterConfig& config, const char* key, const std::vector<std::string>& items,
                       const std::vector<std::string>& required, AddressBook* out) {
  for (const std::string& item : items) {
    NamedAddress parsed;
    if (Status s = ParseNamedAddress(item, &parsed); !s.ok())
      return ConfigKeyError(config.config_path, key, s.message());
    (*out)[parsed.name] = parsed.address;
  }
  for (const std::string& name : required) {
    if (!out->count(name)) {
      return ConfigKeyError(config.config_path, key,
                            "no address for '" + name + "' (write " + name + "=host:port)");
    }
  }
  return Status::Ok();
}

// The server lines' health-check options: with the cluster's own CA, the
// daemons serve /health over HTTPS (their tls_cert_file) and HAProxy checks
// it over TLS, trusting only that CA.
std::string TlsCheckOptions(const MasterConfig& config) {
  if (config.tls.files.ca_file.empty()) return "";
  return " check-ssl verify required ca-file " +
         std::filesystem::absolute(config.tls.files.ca_file).lexically_normal().string();
}

std::string ServerLine(const std::string& name, const HostPort& traffic, const HostPort& health,
                       const std::string& tls_check) {
  return "    server " + name + " " + Join(traffic) + " check addr " + health.host + " port " +
         std::to_string(health.port) + tls_check + "\n";
}

// Checked every second, out after 2 failures, back after 2 successes;
// sessions on a server marked down are cut so clients reconnect elsewhere.
constexpr const char* kCheckTiming =
    "    http-check expect status 200\n"
    "    default-server inter 1s fall 2 rise 2 on-marked-down shutdown-sessions\n";

Status ReadFrontend(const MasterConfig& config, const AddressBook& http, std::string* cfg) {
  AddressBook mysql;
  if (Status s = AddressesByName(config, "slave_mysql_addresses", config.slave_mysql_addresses, config.slaves,
                                 &mysql);
      !s.ok()) {
    return s;
  }
  HostPort bind;
  if (Status s = ParseHostPort(config.haproxy_bind, &bind); !s.ok()) {
    return ConfigKeyError(config.config_path, "haproxy_bind", s.message());
  }
  *cfg += R"(
# Read connections are balanced over the slaves' MySQL ports; a slave
# whose /health is not 200 (applier stopped, more than its max_lag_seconds
# behind, or without its master for longer than its
# reads_without_master_seconds) leaves the rotation until it is back.
listen ddb_reads
    balance leastconn
    option httpchk GET /health
)";
  *cfg += kCheckTiming;
  *cfg += "    bind " + Join(bind) + "\n";
  for (const std::string& slave : config.slaves) {
    *cfg += ServerLine(slave, mysql.at(slave), http.at(slave), TlsCheckOptions(config));
  }
  return Status::Ok();
}

// This node's /health: its http_address, or, when that is a wildcard, the
// host HAProxy reaches its MySQL endpoint at.
Status OwnHealthAddress(const MasterConfig& config, const HostPort& endpoint, HostPort* out) {
  if (config.http.port == 0) {
    return ConfigKeyError(config.config_path, "http_port",
                          "is 0, but the write frontend checks each node's /health?role=master");
  }
  const std::string& host = config.http.address;
  const bool wildcard = host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]";
  *out = HostPort{wildcard ? endpoint.host : host, config.http.port};
  return Status::Ok();
}

Status WriteFrontend(const MasterConfig& config, const AddressBook& http, std::string* cfg) {
  HostPort bind;
  if (Status s = ParseHostPort(config.haproxy_write_bind, &bind); !s.ok()) {
    return ConfigKeyError(config.config_path, "haproxy_write_bind", s.message());
  }
  // Any node may become master, so each needs its endpoint's address.
  std::vector<std::string> nodes{config.node_name};
  nodes.insert(nodes.end(), config.slaves.begin(), config.slaves.end());
  AddressBook endpoints;
  if (Status s =
          AddressesByName(config, "node_client_addresses", config.node_client_addresses, nodes, &endpoints);
      !s.ok()) {
    return s;
  }
  if (config.client_port == 0) {
    return ConfigKeyError(config.config_path, "client_port",
                          "is 0 (no MySQL endpoint), but haproxy_write_bind sends writes to this node's");
  }
  HostPort own_health;
  if (Status s = OwnHealthAddress(config, endpoints.at(config.node_name), &own_health); !s.ok()) return s;
  *cfg += R"(
# Writes go to the node whose /health?role=master answers 200: this master,
# or the node promoted in its place after a switchover or failover, with
# no change here. A slave, or a former master that learned of a newer
# epoch (fenced), answers 503 and gets none.
listen ddb_writes
    balance first
    option httpchk GET /health?role=master
)";
  *cfg += kCheckTiming;
  *cfg += "    bind " + Join(bind) + "\n";
  for (const std::string& node : nodes) {
    const HostPort& health = node == config.node_name ? own_health : http.at(node);
    *cfg += ServerLine(node, endpoints.at(node), health, TlsCheckOptions(config));
  }
  return Status::Ok();
}

}  // namespace

Status BuildHaproxyConfig(const MasterConfig& config, std::string* out) {
  if (config.slaves.empty()) return ConfigKeyError(config.config_path, "slaves", "no slaves to balance over");
  AddressBook http;
  if (Status s =
          AddressesByName(config, "slave_http_addresses", config.slave_http_addresses, config.slaves, &http);
      !s.ok()) {
    return s;
  }
  std::string cfg = "# Generated by ddb-master --haproxy-config from " + config.config_path + ".\n";
  cfg += R"(global
    maxconn 2000

defaults
    mode tcp
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout check 2s
)";
  if (Status s = ReadFrontend(config, http, &cfg); !s.ok()) return s;
  if (!config.haproxy_write_bind.empty()) {
    if (Status s = WriteFrontend(config, http, &cfg); !s.ok()) return s;
  }
  *out = std::move(cfg);
  return Status::Ok();
}

}  // namespace ddb
