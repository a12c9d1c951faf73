#include "client_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <system_error>

#include "mysql_packet.h"
#include "mysql_responses.h"

namespace ddb {
namespace {

constexpr uint16_t kErrorTooManyConnections = 1040;  // ER_CON_COUNT_ERROR, 08004

std::string PeerName(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
    port = ntohs(v6->sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

Status SocketError(const std::string& what) { return Status::IoError(what + ": " + std::strerror(errno)); }

}  // namespace

ClientServer::ClientServer(ClientEndpointOptions options, size_t max_connections,
                           SqlSessionFactory make_session, std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)),
      max_connections_(max_connections),
      make_session_(std::move(make_session)),
      logger_(std::move(logger)) {
  options_.collations = &collations_;
  options_.find_for_kill = [this](uint32_t id, const std::string& user, bool end_connection,
                                  uint64_t* mysql_thread) {
    return FindForKill(id, user, end_connection, mysql_thread);
  };
}

bool ClientServer::FindForKill(uint32_t id, const std::string& user, bool end_connection,
                               uint64_t* mysql_thread) {
  std::lock_guard<std::mutex> lock(clients_mutex_);
  for (Client& client : clients_) {
    std::lock_guard<std::mutex> client_lock(client.mutex);
    if (!client.session || client.session->connection_id() != id) continue;
    std::string logged_in;
    client.session->Published(&logged_in, mysql_thread);
    if (logged_in != user) return false;
    // Its thread wakes from a read, or fails its reply, and ends.
    if (end_connection) client.session->Shutdown();
    return true;
  }
  return false;
}

ClientServer::~ClientServer() {
  Stop();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (int fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

Status ClientServer::Listen(const std::string& address, uint16_t port) {
  const std::string where = "MySQL endpoint " + address + ":" + std::to_string(port);
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof *v6;
  } else {
    return Status::InvalidArgument(where + ": '" + address + "' is not an IP address");
  }
  listen_fd_ = ::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return SocketError(where + ": socket");
  const int on = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    return SocketError("cannot listen on " + where);
  }
  if (::listen(listen_fd_, 128) != 0) return SocketError("cannot listen on " + where);
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) return SocketError(where + ": pipe");
  return Status::Ok();
}

void ClientServer::Start() {
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

void ClientServer::Stop() {
  if (!acceptor_.joinable()) return;
  const char byte = 0;
  if (::write(wake_pipe_[1], &byte, 1) != 1) logger_->error("cannot wake the MySQL endpoint's acceptor");
  acceptor_.join();
  // Joined without clients_mutex_: a client's KILL (FindForKill) takes it.
  std::list<Client> clients;
  {
    std::lock_guard<std::mutex> lock(clients_mutex_);
    for (Client& client : clients_) {
      std::lock_guard<std::mutex> client_lock(client.mutex);
      if (client.session) client.session->Shutdown();
    }
    clients.splice(clients.end(), clients_);
  }
  for (Client& client : clients) client.thread.join();
}

void ClientServer::AcceptLoop() {
  while (true) {
    pollfd entries[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(entries, 2, -1) < 0) {
      if (errno == EINTR) continue;
      logger_->error("MySQL endpoint: poll failed: {}; no longer accepting clients", std::strerror(errno));
      return;
    }
    if (entries[1].revents != 0) return;  // Stop()
    if (entries[0].revents == 0) continue;
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors or a connection reset before accept: the next
      // client may well succeed, so keep listening.
      if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
        logger_->warn("MySQL endpoint: accept failed: {}", std::strerror(errno));
        ::poll(nullptr, 0, 100);  // do not spin while descriptors are exhausted
      }
      continue;
    }
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    Serve(fd, PeerName(address));
  }
}

void ClientServer::Serve(int fd, const std::string& peer) {
  auto socket = std::make_unique<ClientSocket>(fd, peer);
  std::lock_guard<std::mutex> lock(clients_mutex_);
  ReapFinishedLocked();
  if (clients_.size() >= max_connections_) {
    // As MySQL does: an ERR in place of the greeting, then close.
    uint8_t sequence = 0;
    const std::vector<uint8_t> bytes = mysql::FramePayload(
        mysql::EncodeErr(kErrorTooManyConnections, "08004", "Too many connections"), &sequence);
    // Refused either way: whether the ERR arrives changes nothing here.
    static_cast<void>(
        socket->WriteAll(bytes, std::chrono::steady_clock::now() + std::chrono::milliseconds(100)));
    logger_->warn("client {} refused: client_max_connections ({}) reached", peer, max_connections_);
    return;
  }
  Client& client = clients_.emplace_back();
  client.session = std::make_unique<ClientSession>(std::move(socket), next_connection_id_++, options_,
                                                   make_session_, *logger_);
  auto serve = [this, &client, peer] {
    try {
      client.session->Run();
    } catch (const std::exception& e) {
      // Whatever one client provoked ends that client's session, not the master.
      logger_->error("client {} disconnected: unexpected error: {}", peer, e.what());
    }
    {
      // Closes the socket and the MySQL connection now, not at the next reap.
      std::lock_guard<std::mutex> client_lock(client.mutex);
      client.session.reset();
    }
    client.finished = true;
  };
  try {
    client.thread = std::thread(serve);
  } catch (const std::system_error& e) {
    // Out of threads: this client is closed, the others go on.
    logger_->error("client {} refused: cannot start its thread: {}", peer, e.what());
    clients_.pop_back();
  }
}

void ClientServer::ReapFinishedLocked() {
  for (auto it = clients_.begin(); it != clients_.end();) {
    if (it->finished) {
      it->thread.join();
      it = clients_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace ddb
