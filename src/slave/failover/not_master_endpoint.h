// NotMasterEndpoint: a slave's answer on the MySQL port its node serves when
// it is the master (client_port of its config).
//
// After a switchover or a failover, clients that still dial the former
// master's endpoint would get "connection refused" and no hint. Instead the
// node, now a slave, answers every connection there at once with a MySQL
// error naming the master and where its endpoint is (node_client_addresses),
// the way a read-only MariaDB names the option that refuses a write. The
// error is sent as the server's first packet, as MariaDB does for "too many
// connections", so every client library reports it before any handshake.
// Reads at a slave go through HAProxy's read frontend or its own console.
//
// Threads: runs on the io_context given; Stop from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ddb/base/asio.h"
#include "ddb/base/status.h"

namespace spdlog {
class logger;
}

namespace ddb {

// The packet: header (length, sequence 0), 0xFF, error code, '#', SQL
// state, message.
std::vector<uint8_t> EncodeFirstPacketError(uint16_t code, const std::string& sql_state,
                                            const std::string& message);

// "this node (slave2) is not the master: write to slave1 at 127.0.0.1:4416"
// for master `master` ("" while unknown), with `node_client_addresses`
// ("name=host:port") saying where its endpoint is.
std::string NotMasterMessage(const std::string& self, const std::string& master,
                             const std::vector<std::string>& node_client_addresses);

class NotMasterEndpoint {
 public:
  // `message` is asked for each connection, on the io thread: it must not block.
  NotMasterEndpoint(asio::io_context& io, std::function<std::string()> message,
                    std::shared_ptr<spdlog::logger> logger);

  Status Listen(const std::string& address, uint16_t port);
  void Start();
  void Stop();

 private:
  asio::awaitable<void> AcceptLoop();

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  const std::function<std::string()> message_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace ddb
