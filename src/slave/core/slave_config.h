// The slave daemon's configuration: config/slave1.ini, every key also a flag.
#pragma once

#include <string>
#include <vector>

#include "ddb/daemon/common_options.h"
#include "ddb/daemon/config_parser.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

struct SlaveConfig {
  std::string config_path;
  std::string node_name;
  std::string cluster_secret;
  std::string cluster_secret_file;  // or the secret in this file (or DDB_CLUSTER_SECRET)
  std::string master_host = "127.0.0.1";
  uint16_t master_port = 4407;
  // Replication addresses ("host:port") of the other nodes that may become
  // the master (docs/failover.md): when master_host:master_port is gone or
  // was replaced, the link tries these in turn and follows the one in the
  // newest epoch.
  std::vector<std::string> master_candidates;
  MySqlEndpoint mysql;
  int reconnect_min_ms = 100;         // first retry after losing the master
  int reconnect_max_ms = 5000;        // back-off ceiling
  size_t apply_batch_records = 1000;  // consecutive records applied in one transaction
  size_t queue_records = 2000;        // received, not yet applied (bounds memory)
  size_t query_sessions = 4;          // MySQL sessions answering the master's reads at once
  // Applied records are kept this long (the master's default retention), so
  // this slave can feed the others after a failover (issue 19).
  int64_t log_retention_seconds = 7 * 24 * 3600;
  bool forward_writes = true;   // DML at this console runs on the master
  int forward_wait_ms = 10000;  // for the master's answer, then for applying it here
  bool attach = false;          // a console attached to the running daemon through console_socket
  // The daemon's local socket for attached consoles; "off" (or empty): none.
  // Default /tmp/ddb-slave-<node_name>.sock.
  std::string console_socket;
  HeartbeatOptions heartbeat;
  HttpOptions http{"127.0.0.1", 8081};  // /health, /api/status, /metrics
  double max_lag_seconds = 5.0;         // /health answers 503 beyond this
  // With the master unreachable, /health stays 200 this long after it was
  // last heard from (0: 503 at once), so reads survive a master loss.
  double reads_without_master_seconds = 300;
  // Where this node's MySQL endpoint is when it is the master (its
  // master_config's client_address and client_port): as a slave it answers
  // every connection there with an error naming the master, whose endpoint
  // it finds in node_client_addresses ("name=host:port"). 0: off.
  std::string client_address = "127.0.0.1";
  int client_port = 0;
  std::vector<std::string> node_client_addresses;
  // TLS on the link to the master and on HTTP (docs/security.md).
  TlsOptions tls;
  std::string tls_server_name;  // the name the master's certificate must hold; empty: master_host

  // Seeding (docs/operations.md, "Adding a slave"): --seed copies the
  // master's data and position, --seed-from NAME another slave's; NAME is
  // looked up in seed_sources ("name=host:port" of each slave's HTTP), or is
  // host:port itself. --force replaces what this slave's MySQL holds.
  bool seed = false;
  std::string seed_from;
  bool force = false;
  std::string master_http_address;  // host:port of the master's HTTP; empty: master_host:8080
  std::vector<std::string> seed_sources;

  // Failover (docs/failover.md): --promote makes this node the master
  // (after checking no other slave is ahead, unless --force) by running
  // ddb-master with master_config on this MySQL; --rejoin starts a former
  // master's MySQL as a slave.
  bool promote = false;
  bool rejoin = false;
  std::string master_config;
  // Automatic failover (auto_failover.h): when a majority of the configured
  // nodes (this one, master_http_address, seed_sources) heard nothing from
  // the master for failover_after_ms, the most advanced of the slaves among
  // them promotes itself as --promote would.
  bool auto_failover = false;
  int failover_after_ms = 5000;

  LoggingOptions logging;
  ConsoleOptions console;
  ConfigCommands commands;
  KeySettings settings;  // every key's effective value and where it came from
};

// The key table of slave.ini: every key as a CLI11 option bound to a field of
// `config` (--help, --print-config, reload, docs/configuration.md).
class SlaveConfigSchema : public ConfigSchema {
 public:
  // `init`: for --init-config, no config file is read.
  explicit SlaveConfigSchema(SlaveConfig* config, bool init = false);
  void Finish() override;

 private:
  SlaveConfig* config_;
};

// Parses argv and the config file, and checks every key: all problems in
// result.status, one per line. On --help, result.exit_now is set.
ParseResult LoadSlaveConfig(int argc, const char* const argv[], SlaveConfig* config);

// master_host:master_port, then each of master_candidates: where the link
// looks for the master, in this order.
std::vector<std::string> MasterAddresses(const SlaveConfig& config);

// Whether the link to the master runs TLS: tls_ca_file is set, or
// require_tls asks for it at master_host.
bool LinkUsesTls(const SlaveConfig& config);
// Refuses a start that would expose a surface without the TLS require_tls
// asks for, or with a demo secret beyond loopback; with allow_insecure,
// `warnings` (may be null) gets each instead.
Status ReviewSlaveExposure(const SlaveConfig& config, std::vector<std::string>* warnings);
// Everything to warn about at start (also secrets in files others can read).
std::vector<std::string> SlaveSecurityWarnings(const SlaveConfig& config);

}  // namespace ddb
