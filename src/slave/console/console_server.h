// ConsoleServer: the slave daemon's console socket (`console_socket`), where
// `ddb-slave --attach` connects.
//
// Every attached console gets a console session of its own inside the
// daemon: a SlaveConsole with its own read-only MySQL connection and, with
// forward_writes, its own WriteForwarder (so its own session on the master).
// An attached console therefore behaves exactly like the daemon's console:
// reads answered here, writes forwarded to the master and read back, \status
// from the live link and applier, \retry and \skip.
//
// The socket file is made 0600 before it listens, and only peers running as
// the daemon's user (or root) are served: whoever attaches can write to the
// cluster, as whoever can read the config file could. A stale socket file
// left by a killed daemon is replaced; a live one is not.
//
// The acceptor runs on the daemon's io thread. A console session's
// statements block (MySQL, the master's answer, the wait to apply it), so
// each session has its own thread, with an io_context of its own for its
// socket; it runs one statement at a time, in order.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "applier.h"
#include "ddb/base/asio.h"
#include "ddb/base/status.h"
#include "master_link.h"
#include "slave_config.h"
#include "slave_console.h"
#include "slave_status.h"

namespace spdlog {
class logger;
}

namespace ddb {

class ConsoleServer {
 public:
  // How many consoles may be attached at once. The master runs at most 8
  // forwarding sessions per slave: the daemon's own console, these, and room
  // for a reconnect while an old link's sessions end.
  static constexpr size_t kMaxAttachedConsoles = 4;
  // The daemon's own console's session on the master; attached consoles
  // number theirs after it.
  static constexpr uint64_t kDaemonConsoleSession = 1;

  // Everything referenced must outlive the server; `link` is null when
  // writes are not forwarded (forward_writes = false).
  ConsoleServer(asio::io_context& io, const SlaveConfig& config, const SlaveStatusBoard& status,
                Applier& applier, MasterLink* link, std::shared_ptr<spdlog::logger> logger);
  ~ConsoleServer();
  ConsoleServer(const ConsoleServer&) = delete;
  // \promote at attached consoles (slave_console.h); call before Start.
  void set_promoter(PromoteRequest promoter) { promoter_ = std::move(promoter); }
  ConsoleServer& operator=(const ConsoleServer&) = delete;

  // Creates the socket at config.console_socket and accepts on the io thread
  // (once it runs). Fails, naming the path, if the path is taken.
  Status Start();
  // Stops accepting, ends every attached console (waiting for the statement
  // each is running) and removes the socket file. Safe to call twice.
  void Stop();

 private:
  class Session;

  asio::awaitable<void> Accept();
  // Serves `socket` unless it must be refused (wrong user, too many).
  void Admit(asio::local::stream_protocol::socket socket);

  asio::io_context& io_;
  const SlaveConfig& config_;
  const SlaveStatusBoard& status_;
  Applier& applier_;
  MasterLink* link_;
  PromoteRequest promoter_;  // set before Start
  std::shared_ptr<spdlog::logger> logger_;
  asio::local::stream_protocol::acceptor acceptor_;
  bool listening_ = false;  // the socket file is ours to remove

  std::mutex mutex_;
  bool stopping_ = false;                                 // guarded by mutex_
  std::vector<std::unique_ptr<Session>> sessions_;        // guarded by mutex_
  uint64_t next_session_id_ = kDaemonConsoleSession + 1;  // io thread only
};

}  // namespace ddb
