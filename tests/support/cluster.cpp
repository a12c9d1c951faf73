#include "cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>

#include "file_text.h"

namespace ddb::testing {

Cluster::Cluster(ClusterOptions options)
    : options_(std::move(options)),
      dir_("ddb-cluster"),
      replication_port_(FreeLoopbackPort()),
      master_http_port_(FreeLoopbackPort()) {
  if (options_.mysql_endpoint) client_port_ = FreeLoopbackPort();
  if (options_.tls || options_.mysql_tls) {
    ca_ = std::make_unique<TestCa>(dir() / "tls", "ddb cluster CA");
    ca_->Issue("master");
    for (int i = 0; i < options_.slaves; ++i) ca_->Issue("slave" + std::to_string(i + 1));
  }
  std::vector<std::string> mysqld_args = options_.mariadb_args;
  if (options_.mysql_tls) {
    const CertificateFiles server = ca_->Issue("mariadb");
    mysqld_args.insert(mysqld_args.end(),
                       {"--ssl-ca=" + ca_->ca_file().string(), "--ssl-cert=" + server.cert.string(),
                        "--ssl-key=" + server.key.string()});
  }
  master_db_ = MariaDbInstance::Start(dir() / "master-db", mysqld_args);
  for (int i = 0; i < options_.slaves; ++i) {
    slave_dbs_.push_back(
        MariaDbInstance::Start(dir() / ("slave" + std::to_string(i + 1) + "-db"), mysqld_args));
    slaves_.emplace_back();
    slave_http_ports_.push_back(FreeLoopbackPort());
  }
  // The endpoint's user runs as the MySQL account of its name and password
  // (user_sessions.h), on every node a master may run on. Its privileges
  // are root's, so tests of other behaviour see MariaDB as before.
  for (MariaDbInstance* db : AllDbs()) {
    for (const char* host : {"localhost", "127.0.0.1"}) {
      const std::string account = std::string("'") + kClientUser + "'@'" + host + "'";
      db->Execute("CREATE USER " + account + " IDENTIFIED BY '" + kClientPassword + "'");
      db->Execute("GRANT ALL ON *.* TO " + account + " WITH GRANT OPTION");
    }
  }
  if (options_.mysql_tls) {
    for (MariaDbInstance* db : AllDbs()) {
      db->Execute(std::string("CREATE USER '") + kTlsMySqlUser + "'@'127.0.0.1' IDENTIFIED BY '" +
                  kTlsMySqlPassword + "' REQUIRE SSL");
      db->Execute(std::string("GRANT ALL ON *.* TO '") + kTlsMySqlUser + "'@'127.0.0.1' WITH GRANT OPTION");
    }
  }
  std::vector<std::string> names;
  for (int i = 0; i < options_.slaves; ++i) names.push_back("slave" + std::to_string(i + 1));
  WriteMasterConfig(names);
  for (int i = 0; i < options_.slaves; ++i) {
    WriteSlaveConfig("slave" + std::to_string(i + 1) + ".ini", "slave" + std::to_string(i + 1),
                     slave_dbs_[i]->port(), options_.secret);
  }
}

Cluster::~Cluster() {
  // Daemons first, then their databases.
  for (auto& slave : slaves_) slave.reset();
  if (master_) {
    master_->Kill9();  // ends a background writer blocked on the pipe
    JoinWriter();
    master_.reset();
  }
  JoinWriter();
}

void Cluster::JoinWriter() {
  if (writer_.joinable()) writer_.join();
}

void Cluster::SqlInBackground(std::string text) {
  JoinWriter();
  ASSERT_TRUE(master_) << "master is not running";
  ChildProcess* master = master_.get();
  writer_ = std::thread([master, text = std::move(text)] { master->WriteStdin(text + "\n"); });
}

void Cluster::WriteMasterConfig(const std::vector<std::string>& slaves) {
  master_slaves_ = slaves;
  std::ofstream master(master_config());
  master << "# written by the test's Cluster\n"
         << "cluster_secret = \"" << options_.secret << "\"\n"
         << "replication_port = " << replication_port_ << "\n"
         << "mysql_port = " << master_db_->port()
         << "\n"
         // The master reaches its MariaDB through the unix socket (as on one
         // host it should); the slaves use TCP, so both paths stay tested.
         << MySqlAccess(master_db_->socket_path())
         << "heartbeat_interval_ms = " << options_.heartbeat_interval_ms << "\n"
         << "heartbeat_timeout_ms = " << options_.heartbeat_timeout_ms << "\n"
         << "log_file = \"" << (dir() / "master.log").string() << "\"\n"
         << "http_port = " << master_http_port_ << "\n"
         << "http_token = \"" << options_.http_token << "\"\n";
  if (options_.tls) {
    master << "tls_cert_file = \"" << (dir() / "tls" / "master.pem").string() << "\"\n"
           << "tls_key_file = \"" << (dir() / "tls" / "master.key").string() << "\"\n"
           << "tls_ca_file = \"" << ca_->ca_file().string() << "\"\n"
           << "tls_require_client_cert = " << (options_.tls_client_certs ? "true" : "false") << "\n";
  }
  if (options_.mysql_endpoint) {
    master << "client_port = " << client_port_ << "\n"
           << "client_users = \"" << kClientUser << ":" << kClientPassword << "\"\n";
  }
  master << "slaves = ";
  for (size_t i = 0; i < slaves.size(); ++i) master << (i ? "," : "") << slaves[i];
  master << "\n";
  // Where each slave's MySQL and /health are, for --haproxy-config.
  std::string mysql, http;
  for (int i = 0; i < slave_count(); ++i) {
    const std::string name = "slave" + std::to_string(i + 1);
    if (std::find(slaves.begin(), slaves.end(), name) == slaves.end()) continue;
    mysql += (mysql.empty() ? "" : ", ") + name + "=127.0.0.1:" + std::to_string(slave_dbs_[i]->port());
    http += (http.empty() ? "" : ", ") + name + "=127.0.0.1:" + std::to_string(slave_http_ports_[i]);
  }
  if (!mysql.empty())
    master << "slave_mysql_addresses = " << mysql << "\nslave_http_addresses = " << http << "\n";
}

std::string Cluster::MySqlAccess(const std::filesystem::path& socket) const {
  if (options_.mysql_tls) {
    // TCP: MariaDB has no TLS on its unix socket.
    return std::string("mysql_user = ") + kTlsMySqlUser + "\nmysql_password = \"" + kTlsMySqlPassword +
           "\"\nmysql_ssl_ca = \"" + ca_->ca_file().string() + "\"\n";
  }
  return socket.empty() ? "" : "mysql_socket = \"" + socket.string() + "\"\n";
}

std::vector<MariaDbInstance*> Cluster::AllDbs() {
  std::vector<MariaDbInstance*> dbs{master_db_.get()};
  for (auto& db : slave_dbs_) dbs.push_back(db.get());
  return dbs;
}

std::filesystem::path Cluster::slave_config(int i) const {
  return dir() / ("slave" + std::to_string(i + 1) + ".ini");
}

std::filesystem::path Cluster::WriteSlaveConfig(const std::string& file, const std::string& name,
                                                uint16_t mysql_port, const std::string& secret) const {
  const std::filesystem::path path = dir() / file;
  uint16_t http_port = 0;  // off for slaves the Cluster did not plan
  for (int i = 0; i < slave_count(); ++i) {
    if (name == "slave" + std::to_string(i + 1)) http_port = slave_http_ports_[i];
  }
  std::ofstream out(path);
  out << "node_name = " << name << "\n"
      << "cluster_secret = \"" << secret << "\"\n"
      << "master_port = " << replication_port_ << "\n"
      << "mysql_port = " << mysql_port << "\n"
      << MySqlAccess("") << "heartbeat_interval_ms = " << options_.heartbeat_interval_ms << "\n"
      << "heartbeat_timeout_ms = " << options_.heartbeat_timeout_ms << "\n"
      << "reconnect_min_ms = 50\n"
      << "reconnect_max_ms = 500\n"
      << "http_port = " << http_port << "\n"
      << "max_lag_seconds = " << options_.slave_max_lag_seconds << "\n"
      << "log_file = \"" << (dir() / (name + ".log")).string() << "\"\n"
      << "console_socket = \"" << (dir() / (name + ".sock")).string() << "\"\n";
  // Slaves the Cluster did not plan get no certificate of their own.
  if (options_.tls) {
    out << "tls_ca_file = \"" << ca_->ca_file().string() << "\"\n";
    if (std::filesystem::exists(dir() / "tls" / (name + ".pem"))) {
      out << "tls_cert_file = \"" << (dir() / "tls" / (name + ".pem")).string() << "\"\n"
          << "tls_key_file = \"" << (dir() / "tls" / (name + ".key")).string() << "\"\n";
    }
  }
  return path;
}

void Cluster::StartAll() {
  StartMaster();
  for (int i = 0; i < slave_count(); ++i) StartSlave(i);
}

void Cluster::StartMaster(std::vector<std::string> extra_args) {
  std::vector<std::string> argv = {DDB_MASTER_BINARY, "--config", master_config().string(), "--console",
                                   "on"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  for (int attempt = 1;; ++attempt) {
    ++master_starts_;
    master_ =
        std::make_unique<ChildProcess>(argv, dir() / "master-console.log", ChildProcess::StdinMode::kPipe);
    // Ready once it listens for slaves.
    const bool ready = WaitFor(
        [&] {
          const std::string log = MasterLog();
          int starts = 0;
          for (size_t at = log.find("ready: log at"); at != std::string::npos;
               at = log.find("ready: log at", at + 1)) {
            ++starts;
          }
          return starts >= master_starts_ || !master_->Running();
        },
        std::chrono::seconds(30));
    if (ready && master_->Running()) return;
    // A port that was free when the Cluster picked it may have been taken
    // since, by another test's server or a connection's ephemeral port. At
    // the first start nothing depends on the master's ports yet: pick new
    // ones and start again.
    const bool port_taken = MasterConsoleOutput().find("Address already in use") != std::string::npos;
    if (master_starts_ == 1 && port_taken && attempt < 3) {
      master_.reset();
      master_starts_ = 0;
      PickMasterPorts();
      continue;
    }
    FAIL() << "master did not start:\n" << MasterConsoleOutput() << "\n" << MasterLog();
  }
}

void Cluster::PickMasterPorts() {
  replication_port_ = FreeLoopbackPort();
  master_http_port_ = FreeLoopbackPort();
  if (options_.mysql_endpoint) client_port_ = FreeLoopbackPort();
  WriteMasterConfig(master_slaves_);
  // The slaves dial the replication port.
  for (int i = 0; i < slave_count(); ++i) {
    WriteSlaveConfig("slave" + std::to_string(i + 1) + ".ini", "slave" + std::to_string(i + 1),
                     slave_dbs_[i]->port(), options_.secret);
  }
}

void Cluster::StopMaster() {
  if (!master_) return;
  JoinWriter();
  master_->CloseStdin();
  int code = -1;
  EXPECT_TRUE(master_->WaitForExit(std::chrono::seconds(20), &code));
  master_.reset();
}

void Cluster::KillMaster() {
  if (!master_) return;
  master_->Kill9();
  master_->WaitForExit(std::chrono::seconds(10));
  JoinWriter();
  master_.reset();
}

bool Cluster::MasterRunning() { return master_ && master_->Running(); }

void Cluster::StartSlave(int i, std::vector<std::string> extra_args, bool console) {
  std::vector<std::string> argv = {DDB_SLAVE_BINARY, "--config", slave_config(i).string(), "--console",
                                   console ? "on" : "off"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  slaves_[i] = std::make_unique<ChildProcess>(
      argv, dir() / ("slave" + std::to_string(i + 1) + "-stdout.log"),
      console ? ChildProcess::StdinMode::kPipe : ChildProcess::StdinMode::kDevNull);
  // Before that (exec, the sanitizers' start-up) a SIGTERM from StopSlave
  // would kill it outright; it does not fail here if the daemon exits first.
  static_cast<void>(slaves_[i]->WaitUntilBlocking(SIGTERM, std::chrono::seconds(10)));
}

void Cluster::SlaveSql(int i, const std::string& text) {
  ASSERT_TRUE(slaves_[i]) << "slave" << (i + 1) << " is not running";
  ASSERT_TRUE(slaves_[i]->WriteStdin(text + "\n")) << "slave console closed its input";
}

std::string Cluster::SlaveSqlOutput(int i, const std::string& text, std::chrono::milliseconds deadline) {
  const size_t before = SlaveConsoleOutput(i).size();
  const std::string marker = "marker-" + std::to_string(++markers_) + "-done";
  SlaveSql(i, text + "\nSELECT '" + marker + "' AS marker;");
  EXPECT_TRUE(
      WaitFor([&] { return SlaveConsoleOutput(i).find("| " + marker + " |", before) != std::string::npos; },
              deadline))
      << "slave" << (i + 1) << "'s console did not finish in time:\n"
      << SlaveConsoleOutput(i).substr(before);
  const std::string out = SlaveConsoleOutput(i).substr(before);
  return out.substr(0, out.rfind("| marker "));
}

std::string Cluster::SlaveConsoleOutput(int i) const {
  return ReadFile(dir() / ("slave" + std::to_string(i + 1) + "-stdout.log"));
}

void Cluster::StopSlave(int i) {
  if (!slaves_[i]) return;
  const int code = slaves_[i]->Terminate(std::chrono::seconds(15));
  EXPECT_EQ(code, 0) << "slave" << (i + 1) << " did not stop cleanly:\n" << SlaveLog(i);
  slaves_[i].reset();
}

void Cluster::KillSlave(int i) {
  if (!slaves_[i]) return;
  slaves_[i]->Kill9();
  slaves_[i]->WaitForExit(std::chrono::seconds(10));
  slaves_[i].reset();
}

void Cluster::Sql(const std::string& text) {
  JoinWriter();
  ASSERT_TRUE(master_) << "master is not running";
  ASSERT_TRUE(master_->WriteStdin(text + "\n")) << "master console closed its input";
}

void Cluster::SqlAndWait(const std::string& text, std::chrono::milliseconds deadline) {
  const std::string marker = "marker-" + std::to_string(++markers_) + "-done";
  Sql(text + "\nSELECT '" + marker + "' AS marker;");
  ASSERT_TRUE(WaitForMasterOutput("| " + marker + " |", deadline))
      << "the master console did not finish in time:\n"
      << MasterConsoleOutput();
}

std::string Cluster::SqlOutput(const std::string& text, std::chrono::milliseconds deadline) {
  const size_t before = MasterConsoleOutput().size();
  SqlAndWait(text, deadline);
  const std::string out = MasterConsoleOutput().substr(before);
  return out.substr(0, out.rfind("| marker "));
}

std::string Cluster::MasterConsoleOutput() const { return ReadFile(dir() / "master-console.log"); }
std::string Cluster::MasterLog() const { return ReadFile(dir() / "master.log"); }
std::string Cluster::SlaveLog(int i) const {
  return ReadFile(dir() / ("slave" + std::to_string(i + 1) + ".log"));
}

bool Cluster::WaitForMasterOutput(const std::string& needle, std::chrono::milliseconds deadline) const {
  return WaitFor([&] { return MasterConsoleOutput().find(needle) != std::string::npos; }, deadline);
}

std::string Cluster::RunSlaveConsole(int i, const std::string& input) {
  const std::filesystem::path log = dir() / ("slave" + std::to_string(i + 1) + "-console.log");
  std::filesystem::remove(log);
  ChildProcess console({DDB_SLAVE_BINARY, "--config", slave_config(i).string(), "--attach", "--log_file",
                        (dir() / "attached-console.log").string()},
                       log, ChildProcess::StdinMode::kPipe);
  console.WriteStdin(input);
  console.CloseStdin();
  EXPECT_TRUE(console.WaitForExit(std::chrono::seconds(30))) << "slave console did not finish";
  return ReadFile(log);
}

std::unique_ptr<ConsoleProcess> Cluster::AttachConsole(int i, const std::string& name,
                                                       std::vector<std::string> extra_args) {
  std::vector<std::string> argv = {DDB_SLAVE_BINARY, "--config",   slave_config(i).string(),
                                   "--attach",       "--log_file", (dir() / (name + "-client.log")).string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return std::make_unique<ConsoleProcess>(argv, dir() / (name + ".log"));
}

std::filesystem::path Cluster::console_socket(int i) const {
  return dir() / ("slave" + std::to_string(i + 1) + ".sock");
}

uint64_t Cluster::MasterLastSeq() const {
  return std::stoull(master_db_->QueryValue(
      "SELECT COALESCE(MAX(seq), 0) FROM ddb_meta.replication_log WHERE state = 'done'"));
}

uint64_t Cluster::SlaveSeq(int i) const {
  try {
    const std::string value =
        slave_dbs_[i]->QueryValue("SELECT seq FROM ddb_meta.applied_position WHERE id = 1");
    return value.empty() ? 0 : std::stoull(value);
  } catch (const std::exception&) {
    return 0;  // schema not there yet, or the server is restarting
  }
}

std::vector<int> Cluster::AllSlavesIf(std::vector<int> which) const {
  if (!which.empty()) return which;
  for (int i = 0; i < slave_count(); ++i) which.push_back(i);
  return which;
}

bool Cluster::WaitForSlavesCaughtUp(std::chrono::milliseconds deadline, std::vector<int> which) {
  which = AllSlavesIf(which);
  return WaitFor(
      [&] {
        const uint64_t last = MasterLastSeq();
        for (int i : which) {
          // At or past the newest committed record: numbers after it
          // that never committed (gaps) are applied as position moves.
          if (SlaveSeq(i) < last) return false;
        }
        return true;
      },
      deadline, std::chrono::milliseconds(100));
}

void Cluster::ExpectTableEqualEverywhere(const std::string& db, const std::string& table,
                                         std::vector<int> which) {
  const std::string expected = master_db_->TableChecksum(db, table);
  for (int i : AllSlavesIf(which)) {
    EXPECT_EQ(slave_dbs_[i]->TableChecksum(db, table), expected)
        << db << "." << table << " differs on slave" << (i + 1);
  }
}

}  // namespace ddb::testing
