#include "replication_server.h"

#include "ddb/daemon/listener.h"

#include <spdlog/spdlog.h>

namespace ddb {

ReplicationServer::ReplicationServer(asio::io_context& io, const LinkSettings& settings,
                                     RecentRecords& recent, SlaveRegistry& registry, Fencing& fencing,
                                     std::shared_ptr<spdlog::logger> logger, ForwardedWrites* forwarded)
    : io_(io),
      settings_(settings),
      recent_(recent),
      registry_(registry),
      fencing_(fencing),
      logger_(std::move(logger)),
      forwarded_(forwarded),
      acceptor_(io) {}

ReplicationServer::~ReplicationServer() { table_workers_.join(); }

Status ReplicationServer::Listen(const std::string& address, uint16_t port) {
  return OpenListener(acceptor_, address, port, "replication_address", "for slaves");
}

uint16_t ReplicationServer::port() const {
  boost::system::error_code ec;
  const tcp::endpoint bound = acceptor_.local_endpoint(ec);
  return ec ? 0 : bound.port();
}

void ReplicationServer::Start() { asio::co_spawn(io_, AcceptLoop(), asio::detached); }

void ReplicationServer::Stop() {
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    std::lock_guard<std::mutex> lock(links_mutex_);
    for (const AcceptedLink& accepted : links_) {
      if (auto link = accepted.link.lock()) link->Stop();
    }
  });
}

bool ReplicationServer::TooManyUnauthenticated(const tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  size_t waiting = 0, from_peer = 0;
  {
    std::lock_guard<std::mutex> lock(links_mutex_);
    for (const AcceptedLink& accepted : links_) {
      if (auto link = accepted.link.lock(); link && !link->authenticated()) {
        ++waiting;
        if (!ec && accepted.from == peer.address()) ++from_peer;
      }
    }
  }
  if (waiting < kMaxUnauthenticatedLinks && from_peer < kMaxUnauthenticatedFromOneAddress) return false;
  // One line per second at most: a flood must not fill the log either.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_refusal_logged_ >= std::chrono::seconds(1)) {
    last_refusal_logged_ = now;
    logger_->warn(
        "replication connection from {} closed at once: {} connections ({} from that address) have not "
        "authenticated yet (each has handshake_timeout_ms to do so)",
        ec ? std::string("unknown") : peer.address().to_string() + ":" + std::to_string(peer.port()), waiting,
        from_peer);
  }
  return true;
}

asio::awaitable<void> ReplicationServer::AcceptLoop() {
  while (acceptor_.is_open()) {
    boost::system::error_code ec;
    // Each link on a strand of its own (LinkChannel's contract), should the
    // io_context ever run on more than one thread.
    const asio::any_io_executor strand = asio::make_strand(io_);
    tcp::socket socket =
        co_await acceptor_.async_accept(strand, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      // Out of file descriptors and the like: say so, and pause rather than
      // spin on an error that repeats at once.
      logger_->warn("accepting a replication connection failed: {}", ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (TooManyUnauthenticated(socket)) continue;  // closed as it goes out of scope
    const tcp::endpoint link_peer = socket.remote_endpoint(ec);
    socket.set_option(tcp::no_delay(true), ec);
    auto link = std::make_shared<SlaveLink>(
        std::move(socket),
        LinkContext{settings_, recent_, registry_, table_workers_, logger_, forwarded_, fencing_});
    {
      std::lock_guard<std::mutex> lock(links_mutex_);
      std::erase_if(links_, [](const AcceptedLink& accepted) { return accepted.link.expired(); });
      links_.push_back({link, link_peer.address()});
    }
    link->Start();
  }
}

}  // namespace ddb
