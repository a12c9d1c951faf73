// ClientServer: the master's MySQL-protocol endpoint. Accepts clients on
// client_address:client_port and serves each on a thread of its own with a
// ClientSession (blocking I/O; SqlSession and the MySQL connector are
// blocking too). At most `max_connections` clients are served at once; one
// more is answered "Too many connections" (ERR 1040) and closed.
//
// Start/Stop from one thread (main). Stop closes the listener, shuts every
// client's socket down and joins the threads; a statement that is running
// finishes first.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client_session.h"

namespace spdlog {
class logger;
}

namespace ddb {

class ClientServer {
 public:
  ClientServer(ClientEndpointOptions options, size_t max_connections, SqlSessionFactory make_session,
               std::shared_ptr<spdlog::logger> logger);
  ~ClientServer();
  ClientServer(const ClientServer&) = delete;
  ClientServer& operator=(const ClientServer&) = delete;

  // Binds and listens; names the address and the reason on failure.
  Status Listen(const std::string& address, uint16_t port);
  void Start();
  void Stop();

 private:
  struct Client {
    std::mutex mutex;  // guards `session`: its thread ends it while Stop may shut it down
    std::unique_ptr<ClientSession> session;
    std::thread thread;
    std::atomic<bool> finished{false};
  };

  void AcceptLoop();
  void Serve(int fd, const std::string& peer);
  // Joins the threads of clients that have gone. Caller holds clients_mutex_.
  void ReapFinishedLocked();

  // Under clients_mutex_: the MySQL thread of connection `id` when `user`
  // is logged in there (options_.find_for_kill).
  bool FindForKill(uint32_t id, const std::string& user, bool end_connection, uint64_t* mysql_thread);

  ClientEndpointOptions options_;
  CollationNames collations_;  // options_.collations
  const size_t max_connections_;
  SqlSessionFactory make_session_;
  std::shared_ptr<spdlog::logger> logger_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};  // written by Stop to wake the accept loop
  std::thread acceptor_;
  std::atomic<uint32_t> next_connection_id_{1};
  std::mutex clients_mutex_;
  std::list<Client> clients_;  // guarded by clients_mutex_
};

}  // namespace ddb
