#include "mariadb_instance.h"

#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <sstream>
#include <stdexcept>

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include "file_text.h"
#include "wait.h"

namespace ddb::testing {
namespace {

using namespace std::chrono_literals;

// Sizes small enough that many instances fit on a CI machine, and passed to
// mariadb-install-db too so the copied redo log already has the size the
// server wants and is not resized at every start.
constexpr std::array<const char*, 2> kInnoDbSizeArgs = {"--innodb-buffer-pool-size=64M",
                                                        "--innodb-log-file-size=16M"};

constexpr auto kStartDeadline = 60s;
constexpr auto kStopGrace = 60s;
constexpr int kPortAttempts = 3;

// mariadbd lives in /usr/sbin, which is often not in a non-root PATH.
std::filesystem::path FindBinary(const std::vector<std::string>& names) {
  std::vector<std::filesystem::path> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream ss(path);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
      if (!dir.empty()) dirs.emplace_back(dir);
    }
  }
  dirs.emplace_back("/usr/sbin");
  dirs.emplace_back("/usr/bin");
  for (const auto& name : names) {
    for (const auto& dir : dirs) {
      auto candidate = dir / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  throw std::runtime_error("MariaDbInstance: cannot find " + names.front() +
                           " in PATH, /usr/sbin or /usr/bin (is mariadb-server installed?)");
}

std::string Tail(const std::string& text, size_t max_lines) {
  std::deque<std::string> lines;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string QuoteIdentifier(const std::string& name) {
  std::string quoted = "`";
  for (char c : name) {
    if (c == '`') quoted += '`';
    quoted += c;
  }
  return quoted + "`";
}

std::vector<std::string> UserArgs() {
  // mariadbd refuses to run as root unless told to, and a test container
  // usually runs as root.
  if (::geteuid() == 0) return {"--user=root"};
  return {};
}

// A data directory initialised once per test process. Function-local static
// on purpose: mariadb-install-db takes seconds, tests start many instances, and
// the template is immutable once made. The TempDir member removes it at exit.
class TemplateDataDir {
 public:
  TemplateDataDir() : dir_("ddb-mariadb-template") {
    std::vector<std::string> argv = {
        FindBinary({"mariadb-install-db", "mysql_install_db"}).string(), "--no-defaults",
        // root with an empty password over TCP;
        // the default (unix_socket auth) only
        // works for the OS user root via socket.
        "--auth-root-authentication-method=normal", "--skip-test-db", "--datadir=" + data().string(),
        // A private tmpdir: two test processes
        // bootstrapping at once in a shared /tmp
        // collide on temporary table files.
        "--tmpdir=" + tmp().string()};
    std::filesystem::create_directories(tmp());
    for (const auto& arg : UserArgs()) argv.push_back(arg);
    for (const char* arg : kInnoDbSizeArgs) argv.push_back(arg);
    const auto log = dir_.path() / "install.log";
    ChildProcess install(argv, log);
    int exit_code = -1;
    if (!install.WaitForExit(120s, &exit_code) || exit_code != 0) {
      install.Terminate();
      throw std::runtime_error("MariaDbInstance: mariadb-install-db failed (exit " +
                               std::to_string(exit_code) + "):\n" + Tail(install.ReadLog(), 40));
    }
  }

  std::filesystem::path data() const { return dir_.path() / "data"; }
  std::filesystem::path tmp() const { return dir_.path() / "tmp"; }

 private:
  TempDir dir_;
};

const std::filesystem::path& TemplateData() {
  static const TemplateDataDir template_dir;
  static const std::filesystem::path data = template_dir.data();
  return data;
}

sql::SQLException WithContext(const sql::SQLException& e, const std::string& sql, uint16_t port) {
  return sql::SQLException(
      std::string(e.what()) + " [statement: " + sql + "; server 127.0.0.1:" + std::to_string(port) + "]",
      e.getSQLState(), e.getErrorCode());
}

}  // namespace

MariaDbInstance::MariaDbInstance(std::filesystem::path dir, std::vector<std::string> extra_args)
    : dir_(std::move(dir)), extra_args_(std::move(extra_args)) {}

std::unique_ptr<MariaDbInstance> MariaDbInstance::Start(const std::filesystem::path& dir,
                                                        std::vector<std::string> extra_args) {
  std::filesystem::create_directories(dir);
  std::unique_ptr<MariaDbInstance> instance(
      new MariaDbInstance(std::filesystem::absolute(dir), std::move(extra_args)));

  // The server's unix socket path must fit in sockaddr_un; a long $TMPDIR
  // would otherwise fail deep inside mariadbd with a confusing message.
  const auto socket_path = instance->dir_ / "mysqld.sock";
  if (socket_path.string().size() >= sizeof(sockaddr_un::sun_path)) {
    throw std::runtime_error("MariaDbInstance: socket path too long (set a shorter TMPDIR): " +
                             socket_path.string());
  }

  const auto data = instance->dir_ / "data";
  if (!std::filesystem::exists(data)) {
    std::filesystem::copy(TemplateData(), data, std::filesystem::copy_options::recursive);
  }

  // The port was free when chosen, but another process (a parallel ctest) may
  // take it before mariadbd binds. Such a loss shows up as an early exit; a
  // fresh port fixes it.
  Outcome outcome = Outcome::kExited;
  for (int attempt = 0; attempt < kPortAttempts; ++attempt) {
    instance->port_ = FreeLoopbackPort();
    instance->Launch();
    outcome = instance->WaitUntilReady();
    if (outcome != Outcome::kExited) break;
    const std::string log = instance->ErrorLogTail(20);
    if (log.find("Address already in use") == std::string::npos) break;
  }
  if (outcome != Outcome::kReady) instance->ThrowNotUp(outcome);
  return instance;
}

MariaDbInstance::~MariaDbInstance() { Stop(); }

pid_t MariaDbInstance::pid() const { return server_ ? server_->pid() : -1; }

std::string MariaDbInstance::ErrorLogTail(size_t max_lines) const {
  return Tail(ReadFile(error_log_path()), max_lines);
}

void MariaDbInstance::Launch() {
  std::filesystem::create_directories(dir_ / "tmp");
  std::vector<std::string> argv = {
      FindBinary({"mariadbd", "mysqld"}).string(),
      "--no-defaults",  // must come first; keeps /etc/mysql out of the test
      "--datadir=" + (dir_ / "data").string(),
      "--socket=" + (dir_ / "mysqld.sock").string(),
      "--port=" + std::to_string(port_),
      "--bind-address=127.0.0.1",
      "--pid-file=" + (dir_ / "mysqld.pid").string(),
      "--log-error=" + error_log_path().string(),
      "--tmpdir=" + (dir_ / "tmp").string(),  // private, like the data
      // Accounts are matched by IP; no DNS lookups that could stall a test.
      "--skip-name-resolve",
  };
  for (const char* arg : kInnoDbSizeArgs) argv.push_back(arg);
  for (const auto& arg : UserArgs()) argv.push_back(arg);
  for (const auto& arg : extra_args_) argv.push_back(arg);
  // --log-error takes the server's own messages; this log catches anything
  // printed before the error log is opened (bad options, for example).
  server_ = std::make_unique<ChildProcess>(std::move(argv), dir_ / "mariadbd.out");
}

MariaDbInstance::Outcome MariaDbInstance::WaitUntilReady() {
  bool exited = false;
  bool ready = WaitFor(
      [&] {
        if (!server_->Running()) {
          exited = true;
          return true;  // stop waiting: it will not come up
        }
        try {
          Connect();
          return true;
        } catch (const sql::SQLException&) {
          return false;  // not listening yet, or still starting InnoDB
        }
      },
      kStartDeadline, 100ms);
  if (exited) return Outcome::kExited;
  return ready ? Outcome::kReady : Outcome::kTimedOut;
}

void MariaDbInstance::ThrowNotUp(Outcome outcome) const {
  std::string what = "MariaDbInstance: mariadbd in " + dir_.string() + " on port " + std::to_string(port_);
  if (outcome == Outcome::kExited) {
    int exit_code = -1;
    server_->WaitForExit(0ms, &exit_code);
    what += " exited during startup with code " + std::to_string(exit_code);
  } else {
    what += " did not accept connections within " +
            std::to_string(std::chrono::seconds(kStartDeadline).count()) + " s";
  }
  what += "; error log tail:\n" + ErrorLogTail() + Tail(ReadFile(dir_ / "mariadbd.out"), 10);
  throw std::runtime_error(what);
}

void MariaDbInstance::Stop() {
  if (!server_) return;
  server_->Terminate(kStopGrace);
  server_.reset();
}

void MariaDbInstance::Kill9() {
  if (!server_) return;
  server_->Kill9();
  // SIGKILL cannot be caught; the wait only covers the kernel tearing down.
  server_->WaitForExit(30s);
  server_.reset();
}

void MariaDbInstance::Restart() {
  Stop();
  Launch();
  Outcome outcome = WaitUntilReady();
  if (outcome != Outcome::kReady) ThrowNotUp(outcome);
}

std::unique_ptr<sql::Connection> MariaDbInstance::Connect(const std::string& database) const {
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString("tcp://127.0.0.1:" + std::to_string(port_));
  options["userName"] = sql::SQLString("root");
  options["password"] = sql::SQLString("");
  // A wedged server must fail the connect, not hang the test until ctest's
  // timeout kills it without a message.
  options["OPT_CONNECT_TIMEOUT"] = 5;
  if (!database.empty()) options["schema"] = sql::SQLString(database);
  return std::unique_ptr<sql::Connection>(sql::mysql::get_mysql_driver_instance()->connect(options));
}

void MariaDbInstance::Execute(const std::string& sql) const {
  try {
    auto connection = Connect();
    std::unique_ptr<sql::Statement> statement(connection->createStatement());
    statement->execute(sql);
  } catch (const sql::SQLException& e) {
    throw WithContext(e, sql, port_);
  }
}

std::vector<std::vector<std::string>> MariaDbInstance::Query(const std::string& sql) const {
  try {
    auto connection = Connect();
    std::unique_ptr<sql::Statement> statement(connection->createStatement());
    std::unique_ptr<sql::ResultSet> result(statement->executeQuery(sql));
    const unsigned int columns = result->getMetaData()->getColumnCount();
    std::vector<std::vector<std::string>> rows;
    while (result->next()) {
      std::vector<std::string> row;
      row.reserve(columns);
      for (unsigned int i = 1; i <= columns; ++i) {
        row.push_back(result->isNull(i) ? std::string("NULL") : result->getString(i).asStdString());
      }
      rows.push_back(std::move(row));
    }
    return rows;
  } catch (const sql::SQLException& e) {
    throw WithContext(e, sql, port_);
  }
}

std::string MariaDbInstance::QueryValue(const std::string& sql) const {
  auto rows = Query(sql);
  if (rows.empty() || rows.front().empty()) return "";
  return rows.front().front();
}

std::string MariaDbInstance::TableChecksum(const std::string& db, const std::string& table) const {
  const auto rows =
      Query("CHECKSUM TABLE " + QuoteIdentifier(db) + "." + QuoteIdentifier(table) + " EXTENDED");
  // Columns: Table, Checksum.
  if (rows.size() != 1 || rows[0].size() < 2 || rows[0][1] == "NULL") {
    throw std::runtime_error("MariaDbInstance: no checksum for " + db + "." + table +
                             " (does the table exist?)");
  }
  return rows[0][1];
}

}  // namespace ddb::testing
