// MariaDbInstance: a private MariaDB server for one test.
//
// Each instance has its own data directory, socket, pid file and error log
// under the directory the test gives it, and listens only on 127.0.0.1 on a
// port of its own, so tests (and ctest -j) never share server state with each
// other or with a system MariaDB. root@127.0.0.1 has an empty password.
//
// Initialising a data directory (mariadb-install-db) is done once per test
// process into a template directory; each instance starts from a copy.
//
// Lifetime: the server process lives as long as the MariaDbInstance (it is a
// ChildProcess, so it also dies if the test process dies); the directory given
// to Start must outlive the instance. Not thread-safe: drive one instance from
// one thread at a time.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "child_process.h"

namespace ddb::testing {

class MariaDbInstance {
 public:
  // Starts a server whose files live under dir (created if missing; an
  // existing dir/data is reused, otherwise the template is copied there) and
  // waits up to 60 s until root can connect over TCP. extra_args are appended
  // to the mariadbd command line (e.g. "--log-bin", "--server-id=2").
  // Throws std::runtime_error, with the tail of the error log, if the server
  // does not come up.
  static std::unique_ptr<MariaDbInstance> Start(const std::filesystem::path& dir,
                                                std::vector<std::string> extra_args = {});
  ~MariaDbInstance();

  MariaDbInstance(const MariaDbInstance&) = delete;
  MariaDbInstance& operator=(const MariaDbInstance&) = delete;

  uint16_t port() const { return port_; }
  // The running server's pid, or -1 after Stop()/Kill9().
  pid_t pid() const;
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path error_log_path() const { return dir_ / "error.log"; }
  std::filesystem::path socket_path() const { return dir_ / "mysqld.sock"; }
  // The last lines of the error log, for failure messages.
  std::string ErrorLogTail(size_t max_lines = 40) const;

  // Clean shutdown: SIGTERM to the server's pid, wait (SIGKILL after 60 s).
  void Stop();
  // Crash: SIGKILL to the server's pid, then reap. Committed data must
  // survive (InnoDB flushes its redo log at every commit by default).
  void Kill9();
  // Starts the server again on the same port and data directory (stopping it
  // first if it is running) and waits until it accepts connections.
  void Restart();

  // A new root connection over TCP, with database as the default schema if
  // not empty. Throws sql::SQLException.
  std::unique_ptr<sql::Connection> Connect(const std::string& database = "") const;

  // Each of these opens its own connection, so session state (USE, SET,
  // temporary tables, open transactions) does not carry over between calls.
  // One statement per call. On failure they throw sql::SQLException with the
  // server's error code and the statement added to the message.
  void Execute(const std::string& sql) const;
  // All rows as strings; SQL NULL becomes "NULL".
  std::vector<std::vector<std::string>> Query(const std::string& sql) const;
  // First column of the first row, "" if there are no rows.
  std::string QueryValue(const std::string& sql) const;

  // CHECKSUM TABLE db.table EXTENDED: equal for tables with equal contents.
  // Throws std::runtime_error if the table does not exist (the server would
  // report NULL, and two NULLs must not compare as equal tables).
  std::string TableChecksum(const std::string& db, const std::string& table) const;

 private:
  enum class Outcome { kReady, kExited, kTimedOut };

  MariaDbInstance(std::filesystem::path dir, std::vector<std::string> extra_args);

  // Starts mariadbd on port_; the previous process must be gone.
  void Launch();
  // Waits until root can connect or the server exits.
  Outcome WaitUntilReady();
  // Throws a runtime_error describing why the server is not up.
  [[noreturn]] void ThrowNotUp(Outcome outcome) const;

  std::filesystem::path dir_;
  std::vector<std::string> extra_args_;
  uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace ddb::testing
