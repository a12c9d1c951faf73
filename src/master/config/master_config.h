// The master daemon's configuration: config/master.ini, every key also a flag.
#pragma once

#include <string>
#include <vector>

#include "client_session.h"
#include "ddb/daemon/common_options.h"
#include "ddb/daemon/config_parser.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

struct MasterConfig {
  std::string config_path;
  std::string node_name = "master";
  std::string cluster_secret;
  std::string cluster_secret_file;  // or the secret in this file (or DDB_CLUSTER_SECRET)
  std::string replication_address = "127.0.0.1";
  uint16_t replication_port = 4407;
  std::vector<std::string> slaves;  // names the master knows and queues for
  MySqlEndpoint mysql;
  size_t recent_records = 10000;  // records kept in memory for live slaves
  int handshake_timeout_ms = 5000;
  std::string unsafe_statements = "refuse";  // refuse | warn
  int64_t log_retention_seconds = 7 * 24 * 3600;
  int purge_interval_ms = 60000;
  std::string read_from = "slaves";  // slaves | master
  double max_lag_seconds = 5.0;
  int read_your_writes_wait_ms = 500;
  int sync_slaves = 0;  // 0: asynchronous
  int sync_timeout_ms = 10000;
  // Continuous verification (0: off) and its share of the master's time.
  int64_t verify_interval_seconds = 0;
  int verify_busy_percent = 5;
  // The MySQL-protocol endpoint for applications (client_port 0: off).
  std::string client_address = "127.0.0.1";
  uint16_t client_port = 0;
  std::vector<ClientUser> client_users;
  size_t client_max_connections = 100;
  size_t client_max_packet_bytes = 16 * 1024 * 1024;
  int client_handshake_timeout_ms = 10000;
  int64_t client_idle_timeout_seconds = 28800;
  HeartbeatOptions heartbeat;
  HttpOptions http{"127.0.0.1", 8080};
  std::string http_token;       // bearer token of the API and the dashboard's SQL box
  std::string http_token_file;  // or the token in this file (or DDB_HTTP_TOKEN)
  // TLS on the replication port and HTTP (docs/security.md).
  TlsOptions tls;
  bool tls_require_client_cert = false;  // slaves must present a certificate signed by tls_ca_file
  // For `--haproxy-config`: each slave's MySQL address and HTTP (health)
  // address, "name=host:port" items, and where HAProxy listens for reads.
  std::vector<std::string> slave_mysql_addresses;
  std::vector<std::string> slave_http_addresses;
  std::string haproxy_bind = "127.0.0.1:3306";
  // The write frontend (empty: none): where HAProxy listens for writes, and
  // every node's MySQL endpoint (its client_address:client_port when it is
  // master), "name=host:port" items for this node and each slave.
  std::string haproxy_write_bind;
  std::vector<std::string> node_client_addresses;
  bool print_haproxy_config = false;
  LoggingOptions logging;
  ConsoleOptions console;
  ConfigCommands commands;
  // The ddb-slave config this node runs when it learns it was replaced
  // (fenced): it restarts as a slave with --rejoin. Empty: it stays up,
  // fenced, taking no writes (docs/failover.md).
  std::string slave_config;
  // Planned switchover: how long the slave taking over may take to catch up,
  // and then to answer as the master.
  int switchover_timeout_ms = 10000;
  bool promote = false;  // --promote: this node's MySQL is a slave's; make it the master (master_role.h)
  KeySettings settings;  // every key's effective value and where it came from
};

// The key table of master.ini: every key as a CLI11 option bound to a field
// of `config` (--help, --print-config, reload, docs/configuration.md).
class MasterConfigSchema : public ConfigSchema {
 public:
  // `init`: for --init-config, no config file is read.
  explicit MasterConfigSchema(MasterConfig* config, bool init = false);
  void Finish() override;

 private:
  MasterConfig* config_;
  std::vector<std::string> slaves_, client_users_, mysql_addresses_, http_addresses_, client_addresses_;
};

// Parses argv and the config file, and checks every key: all problems in
// result.status, one per line. On --help, result.exit_now is set.
ParseResult LoadMasterConfig(int argc, const char* const argv[], MasterConfig* config);

}  // namespace ddb
