// Cluster: a real ddb cluster for end-to-end tests: one private MariaDB per
// node, a ddb-master whose console the test types into through a pipe, and
// headless ddb-slaves. Every process is owned by pid and stopped when the
// Cluster goes.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "console_process.h"
#include "mariadb_instance.h"
#include "test_certificates.h"
#include "wait.h"

namespace ddb::testing {

struct ClusterOptions {
  int slaves = 2;
  std::string secret = "test-cluster-secret-0123456789";
  int heartbeat_interval_ms = 200;
  int heartbeat_timeout_ms = 1500;
  // Turns on the master's MySQL endpoint on client_port(), accepting
  // kClientUser / kClientPassword.
  bool mysql_endpoint = false;
  // Every daemon's HTTP listener gets a free port; the master's API this token.
  std::string http_token = "test-http-token-0123456789";
  // Each slave's max_lag_seconds: beyond it its /health answers 503.
  double slave_max_lag_seconds = 5.0;
  // TLS on the replication link and every daemon's HTTP: the Cluster makes a
  // private CA (ca()) and a certificate for each node (SAN localhost,
  // 127.0.0.1); slaves check the master's against the CA and present their
  // own (a client certificate, and their HTTPS one).
  bool tls = false;
  // With tls: the master requires the slaves' client certificates.
  bool tls_client_certs = false;
  // Every MariaDB offers TLS with a certificate of the Cluster's CA, and
  // every daemon reaches its own over TCP as kTlsMySqlUser, an account that
  // REQUIRE SSL refuses without it (mysql_ssl_ca: TLS, the server's
  // certificate checked). The test's own root connections stay plain.
  bool mysql_tls = false;
  // Appended to every node's mariadbd command line (the benchmark's larger
  // InnoDB buffer pool and redo log, for example).
  std::vector<std::string> mariadb_args;
};

inline constexpr const char* kTlsMySqlUser = "ddb_tls";
inline constexpr const char* kTlsMySqlPassword = "ddb-tls-pw";

inline constexpr const char* kClientUser = "app";
inline constexpr const char* kClientPassword = "app-pw";

class Cluster {
 public:
  explicit Cluster(ClusterOptions options = {});
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // The master, then every slave (headless).
  void StartAll();
  // Master daemon with its console on a pipe (stdout in master-console.log).
  void StartMaster(std::vector<std::string> extra_args = {});
  // Ends the console (end of input) and waits for a clean exit.
  void StopMaster();
  void KillMaster();
  bool MasterRunning();

  // Slave daemons run headless, as under a supervisor, unless `console`: then
  // the test types at its console with SlaveSql. i is 0-based.
  void StartSlave(int i, std::vector<std::string> extra_args = {}, bool console = false);
  void SlaveSql(int i, const std::string& text);
  std::string SlaveConsoleOutput(int i) const;
  // Types `text` at slave i's console, waits until it has run, and returns
  // what the console printed for it (as SqlOutput does for the master).
  std::string SlaveSqlOutput(int i, const std::string& text,
                             std::chrono::milliseconds deadline = std::chrono::seconds(60));
  void StopSlave(int i);
  void KillSlave(int i);
  ChildProcess* slave_process(int i) { return slaves_[i].get(); }

  // Types `text` at the master console (a newline is added).
  void Sql(const std::string& text);
  // Types `text` from a background thread and returns at once, so the test
  // can break things while the master works through it. A later Sql,
  // SqlAndWait, StopMaster or KillMaster waits for the writer first (a killed
  // master ends it: its pipe closes).
  void SqlInBackground(std::string text);
  // Types `text`, then a marker SELECT, and waits until the console printed
  // the marker: every statement before it has been executed.
  void SqlAndWait(const std::string& text, std::chrono::milliseconds deadline = std::chrono::seconds(60));
  // SqlAndWait, returning what the console printed for `text` (without the
  // marker query's output).
  std::string SqlOutput(const std::string& text,
                        std::chrono::milliseconds deadline = std::chrono::seconds(60));
  std::string MasterConsoleOutput() const;
  std::string MasterLog() const;
  std::string SlaveLog(int i) const;
  bool WaitForMasterOutput(const std::string& needle, std::chrono::milliseconds deadline) const;

  // Runs `ddb-slave --attach` for slave i with `input` as its console input
  // and returns what it printed.
  std::string RunSlaveConsole(int i, const std::string& input);
  // Starts `ddb-slave --attach` for slave i and leaves it open, for a test
  // that types at it; `name` names its log file.
  std::unique_ptr<ConsoleProcess> AttachConsole(int i, const std::string& name,
                                                std::vector<std::string> extra_args = {});
  // Where slave i's daemon listens for attached consoles.
  std::filesystem::path console_socket(int i) const;

  // The cluster's CA (with ClusterOptions::tls; null otherwise).
  TestCa* ca() { return ca_.get(); }
  const std::filesystem::path& ca_file() const { return ca_->ca_file(); }

  MariaDbInstance& master_db() { return *master_db_; }
  MariaDbInstance& slave_db(int i) { return *slave_dbs_[i]; }
  int slave_count() const { return static_cast<int>(slave_dbs_.size()); }

  uint64_t MasterLastSeq() const;
  uint64_t SlaveSeq(int i) const;
  // Waits until slaves in `which` (default: all) have applied the master's
  // last record.
  bool WaitForSlavesCaughtUp(std::chrono::milliseconds deadline, std::vector<int> which = {});
  // Every node's CHECKSUM TABLE of db.table; all equal and the table exists.
  void ExpectTableEqualEverywhere(const std::string& db, const std::string& table,
                                  std::vector<int> which = {});

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path master_config() const { return dir() / "master.ini"; }
  std::filesystem::path slave_config(int i) const;
  uint16_t replication_port() const { return replication_port_; }
  // The master's MySQL endpoint (with ClusterOptions::mysql_endpoint).
  uint16_t client_port() const { return client_port_; }
  uint16_t master_http_port() const { return master_http_port_; }
  uint16_t slave_http_port(int i) const { return slave_http_ports_[i]; }
  const ClusterOptions& options() const { return options_; }

  // (Re)writes the master's config with `slaves` as its slave list (the
  // constructor lists every slave).
  void WriteMasterConfig(const std::vector<std::string>& slaves);
  // Sends a signal to the master daemon (SIGHUP: reload).
  bool SignalMaster(int signal) { return master_ && master_->Signal(signal); }

  // Writes a slave config for `name` (used for extra slaves and bad configs).
  std::filesystem::path WriteSlaveConfig(const std::string& file, const std::string& name,
                                         uint16_t mysql_port, const std::string& secret) const;

 private:
  std::vector<int> AllSlavesIf(std::vector<int> which) const;
  // The config lines that say how a daemon reaches its MariaDB: `socket`
  // (none when empty), or TCP with TLS under mysql_tls.
  std::string MySqlAccess(const std::filesystem::path& socket) const;
  std::vector<MariaDbInstance*> AllDbs();
  // New ports for the master (after a clash at its first start), written to
  // every config.
  void PickMasterPorts();
  void JoinWriter();

  ClusterOptions options_;
  TempDir dir_;
  uint16_t replication_port_;
  uint16_t client_port_ = 0;
  uint16_t master_http_port_;
  std::vector<uint16_t> slave_http_ports_;  // of slave1.. (other names get none)
  std::unique_ptr<TestCa> ca_;
  std::unique_ptr<MariaDbInstance> master_db_;
  std::vector<std::unique_ptr<MariaDbInstance>> slave_dbs_;
  std::unique_ptr<ChildProcess> master_;
  std::vector<std::unique_ptr<ChildProcess>> slaves_;
  int master_starts_ = 0;
  std::vector<std::string> master_slaves_;  // the master config's slave list
  int markers_ = 0;
  std::thread writer_;  // SqlInBackground's; only it writes to the master's stdin while it runs
};

}  // namespace ddb::testing
