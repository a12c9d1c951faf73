// ReplicationServer: accepts the slaves' connections (slaves dial the master)
// and gives each its SlaveLink.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "ddb/base/asio.h"
#include "slave_link.h"

namespace ddb {

class ReplicationServer {
 public:
  // `settings`, `recent`, `registry`, `forwarded` and `io` must outlive the
  // server. Without `forwarded`, writes forwarded by slaves are refused.
  ReplicationServer(asio::io_context& io, const LinkSettings& settings, RecentRecords& recent,
                    SlaveRegistry& registry, Fencing& fencing, std::shared_ptr<spdlog::logger> logger,
                    ForwardedWrites* forwarded = nullptr);
  ~ReplicationServer();

  // Binds the listening socket; an address in use is reported, not thrown.
  Status Listen(const std::string& address, uint16_t port);
  // The bound port (the kernel's pick after Listen with port 0).
  uint16_t port() const;
  void Start();
  void Stop();

 public:
  // Connections that have not authenticated yet, at most, in all and from
  // one address: more are closed as they arrive, so a flood of idle
  // connections cannot exhaust file descriptors or memory, and one flooding
  // host does not lock the slaves of other hosts out (each connection gets
  // handshake_timeout_ms to authenticate).
  static constexpr size_t kMaxUnauthenticatedLinks = 512;
  static constexpr size_t kMaxUnauthenticatedFromOneAddress = 128;

 private:
  struct AcceptedLink {
    std::weak_ptr<SlaveLink> link;
    asio::ip::address from;
  };

  asio::awaitable<void> AcceptLoop();
  // Whether `socket` is one connection too many (logged, at most once a second).
  bool TooManyUnauthenticated(const tcp::socket& socket);

  asio::io_context& io_;
  const LinkSettings& settings_;
  RecentRecords& recent_;
  SlaveRegistry& registry_;
  Fencing& fencing_;
  std::shared_ptr<spdlog::logger> logger_;
  ForwardedWrites* forwarded_;
  tcp::acceptor acceptor_;
  asio::thread_pool table_workers_{2};
  std::mutex links_mutex_;
  std::vector<AcceptedLink> links_;
  std::chrono::steady_clock::time_point last_refusal_logged_;  // accept loop only
};

}  // namespace ddb
