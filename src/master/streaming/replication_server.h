// ReplicationServer: accepts the slaves' connections (slaves dial the master)
// and gives each its SlaveLink.
#pragma once

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
                    SlaveRegistry& registry, std::shared_ptr<spdlog::logger> logger,
                    ForwardedWrites* forwarded = nullptr);
  ~ReplicationServer();

  // Binds the listening socket; an address in use is reported, not thrown.
  Status Listen(const std::string& address, uint16_t port);
  void Start();
  void Stop();

 private:
  asio::awaitable<void> AcceptLoop();

  asio::io_context& io_;
  const LinkSettings& settings_;
  RecentRecords& recent_;
  SlaveRegistry& registry_;
  std::shared_ptr<spdlog::logger> logger_;
  ForwardedWrites* forwarded_;
  tcp::acceptor acceptor_;
  asio::thread_pool table_workers_{2};
  std::mutex links_mutex_;
  std::vector<std::weak_ptr<SlaveLink>> links_;
};

}  // namespace ddb
