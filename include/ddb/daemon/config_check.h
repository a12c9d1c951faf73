// `--check`: what can be checked of a config without starting the daemon.
// Every check runs and reports, so one run lists every problem: the keys
// (ConfigProblems), the MySQL account and its privileges, the ports.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/base/tls.h"
#include "ddb/daemon/config_parser.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

class CheckReport {
 public:
  void Ok(const std::string& what) { lines_.push_back("ok:      " + what); }
  void Problem(const std::string& what);
  // The config's problems, one line each, or that every key is valid.
  void AddParse(const ParseResult& parsed, const std::string& file);
  int problems() const { return problems_; }
  // Every line, then "<program> --check: N problem(s)" or "... all well".
  std::string Text(const std::string& program) const;

 private:
  std::vector<std::string> lines_;
  int problems_ = 0;
};

// What an account must be able to do on its MySQL.
enum class MySqlRole {
  kMaster,  // keeps ddb_meta (the log) and runs what clients send
  kSlave,   // keeps ddb_meta (its position) and replays every statement of the cluster
};

// Connects as the configured account and reads SHOW GRANTS: the privileges
// the role needs on ddb_meta (and, for a slave, on every database).
void CheckMySqlAccount(const std::string& file, const MySqlEndpoint& endpoint, MySqlRole role,
                       CheckReport* report);

// Why this MySQL would refuse to replay CREATE USER ... IDENTIFIED BY
// PASSWORD '<hash>' (a password validation plugin that cannot check a hash,
// with strict_password_validation on), with what to do; empty when it
// would not. Checked for slaves (ddb-slave --check and at start).
std::string HashedPasswordRefusal(SqlConnection& connection);

// Why this MySQL cannot be a master, with what to do; empty when it can.
// innodb_autoinc_lock_mode = 2 (interleaved) hands an INSERT ... SELECT or
// LOAD DATA its AUTO_INCREMENT values in pieces that interleave with other
// sessions' while a slave, replaying from the first value the master
// generated, gives the statement consecutive ones: the rows would differ.
// Checked by ddb-master at start (including a promoted slave's) and --check.
std::string AutoIncrementModeRefusal(SqlConnection& connection);

// Privileges missing from `grants` (SHOW GRANTS lines) for `role`; empty
// when all are there.
std::vector<std::string> MissingPrivileges(const std::vector<std::string>& grants, MySqlRole role);

// True when nothing listens on address:port (a bind there succeeds).
bool TcpPortFree(const std::string& address, uint16_t port, std::string* error);

// A blocking GET with a deadline; `status` 0 when nothing answered. A
// request without a token that finds an HTTPS port is made again over TLS
// (the certificate not checked: it only asks who is there).
Status HttpGet(const std::string& address, uint16_t port, const std::string& target, const std::string& token,
               std::chrono::milliseconds deadline, int* status, std::string* body);

// As HttpGet, over TLS only, the peer's certificate checked against `tls`'s
// CAs and required to name `address`: what a node asks of its peers when it
// has a tls_ca_file, since their answers can fence a master or promote a
// slave. A peer without TLS, or with a certificate that does not check,
// counts as no answer (Unavailable).
Status HttpGetVerified(ssl::context& tls, const std::string& address, uint16_t port,
                       const std::string& target, std::chrono::milliseconds deadline, int* status,
                       std::string* body);

// A file the daemon writes (log_file...): its directory exists and is
// writable. Empty `path`: nothing to check.
void CheckWritableFile(const std::string& file, const std::string& key, const std::string& path,
                       CheckReport* report);

// A port this node needs: key, address, port.
struct NodePort {
  std::string key;
  std::string address;
  uint16_t port;
};

// Each port must be free, or held by this node's own running daemon:
// `own_daemon` says whether that daemon answered (and how it was told).
void CheckPorts(const std::string& file, const std::vector<NodePort>& ports, bool own_daemon,
                const std::string& own_daemon_detail, CheckReport* report);

}  // namespace ddb
