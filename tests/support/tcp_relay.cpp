#include "tcp_relay.h"

#include <array>
#include <future>
#include <stdexcept>

namespace ddb::testing {

namespace {

// How often a connection whose end closed during a blackhole checks whether
// the blackhole has lifted.
constexpr std::chrono::milliseconds kHealPoll{20};

void CloseSocket(tcp::socket& socket) {
  boost::system::error_code ignored;
  if (!socket.is_open()) return;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

}  // namespace

// Both sockets of one relayed connection. Shared by its two Forward
// coroutines; the relay keeps only a weak reference for Close().
struct TcpRelay::Connection {
  explicit Connection(tcp::socket accepted) : client(std::move(accepted)), upstream(client.get_executor()) {}
  tcp::socket client;
  tcp::socket upstream;
  // The TLS record stream from the target, as TamperTls parses it.
  uint8_t header[5] = {};
  size_t header_got = 0;
  size_t body_left = 0;   // bytes of the current record's body still to come
  size_t change_at = 0;   // body bytes still to pass before the one to change; SIZE_MAX: none
  bool tampered = false;  // one record per connection
};

TcpRelay::TcpRelay(uint16_t target_port)
    : work_(asio::make_work_guard(io_)), acceptor_(io_), target_port_(target_port) {
  const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), 0);
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("TcpRelay: cannot listen on 127.0.0.1: " + ec.message());
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, AcceptLoop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

TcpRelay::~TcpRelay() {
  Close();
  // Close() ended every operation; run() returns once the coroutines have
  // observed that (at most one kHealPoll later).
  work_.reset();
  thread_.join();
}

void TcpRelay::Blackhole(bool on) { blackhole_.store(on); }

void TcpRelay::TamperTls(bool on, size_t min_record_bytes) {
  tamper_min_bytes_.store(min_record_bytes);
  tamper_.store(on);
}

void TcpRelay::Tamper(Connection& c, uint8_t* bytes, size_t n) {
  constexpr uint8_t kApplicationData = 23;
  for (size_t i = 0; i < n; ++i) {
    if (c.body_left == 0) {
      c.header[c.header_got++] = bytes[i];
      if (c.header_got < 5) continue;
      c.header_got = 0;
      c.body_left = (size_t{c.header[3]} << 8) | c.header[4];
      c.change_at = SIZE_MAX;
      if (tamper_.load() && !c.tampered && c.header[0] == kApplicationData &&
          c.body_left >= tamper_min_bytes_.load()) {
        c.change_at = c.body_left / 2;
      }
      continue;
    }
    if (c.change_at == 0) {
      bytes[i] ^= 0x20;
      c.tampered = true;
      ++tampered_;
    }
    --c.change_at;
    --c.body_left;
  }
}

void TcpRelay::Close() {
  std::promise<void> done;
  asio::post(io_, [this, &done] {
    CloseOnIoThread();
    done.set_value();
  });
  done.get_future().wait();
}

void TcpRelay::CloseOnIoThread() {
  closed_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& weak : connections_) {
    if (auto connection = weak.lock()) {
      CloseSocket(connection->client);
      CloseSocket(connection->upstream);
    }
  }
  connections_.clear();
}

asio::awaitable<void> TcpRelay::AcceptLoop() {
  while (!closed_) {
    boost::system::error_code ec;
    tcp::socket client = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec || closed_) break;
    ++accepted_;
    auto connection = std::make_shared<Connection>(std::move(client));
    std::erase_if(connections_, [](const std::weak_ptr<Connection>& weak) { return weak.expired(); });
    connections_.push_back(connection);
    asio::co_spawn(io_, Relay(connection), asio::detached);
  }
}

asio::awaitable<void> TcpRelay::Relay(std::shared_ptr<Connection> connection) {
  // The target is dialled even during a blackhole: the test wants silence on
  // an established path, not refused connections.
  boost::system::error_code ec;
  const tcp::endpoint target(asio::ip::address_v4::loopback(), target_port_);
  co_await connection->upstream.async_connect(target, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || closed_) {
    CloseSocket(connection->client);
    CloseSocket(connection->upstream);
    co_return;
  }
  connection->upstream.set_option(tcp::no_delay(true), ec);
  connection->client.set_option(tcp::no_delay(true), ec);
  asio::co_spawn(io_, Forward(connection, connection->client, connection->upstream, false), asio::detached);
  asio::co_spawn(io_, Forward(connection, connection->upstream, connection->client, true), asio::detached);
}

asio::awaitable<void> TcpRelay::Forward(std::shared_ptr<Connection> connection, tcp::socket& from,
                                        tcp::socket& to, bool from_target) {
  std::array<uint8_t, 16 * 1024> buffer;
  boost::system::error_code ec;
  while (true) {
    const size_t n =
        co_await from.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    if (blackhole_.load()) {
      dropped_ += n;
      continue;
    }
    if (from_target) Tamper(*connection, buffer.data(), n);
    {
      std::lock_guard<std::mutex> lock(captured_mutex_);
      captured_.append(reinterpret_cast<const char*>(buffer.data()), n);
    }
    co_await asio::async_write(to, asio::buffer(buffer.data(), n),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
  // `from` ended (or `to` failed). Behind a blackhole the other end must not
  // learn about it, so hold the other socket open until the link heals.
  asio::steady_timer poll(io_);
  while (blackhole_.load() && !closed_) {
    poll.expires_after(kHealPoll);
    co_await poll.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  CloseSocket(connection->client);
  CloseSocket(connection->upstream);
}

std::string TcpRelay::Captured() const {
  std::lock_guard<std::mutex> lock(captured_mutex_);
  return captured_;
}

}  // namespace ddb::testing
