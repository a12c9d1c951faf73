#include "not_master_endpoint.h"

#include <spdlog/spdlog.h>

#include "ddb/daemon/listener.h"

namespace ddb {
namespace {

// ER_OPTION_PREVENTS_STATEMENT: what a read-only MariaDB answers a write.
constexpr uint16_t kNotMasterError = 1290;

}  // namespace

std::vector<uint8_t> EncodeFirstPacketError(uint16_t code, const std::string& sql_state,
                                            const std::string& message) {
  std::vector<uint8_t> payload{0xFF, static_cast<uint8_t>(code & 0xFF), static_cast<uint8_t>(code >> 8), '#'};
  payload.insert(payload.end(), sql_state.begin(), sql_state.end());
  // One packet: a message longer than a packet would be no message at all.
  payload.insert(payload.end(), message.begin(), message.begin() + std::min<size_t>(message.size(), 0xFFFF));
  const size_t length = payload.size();
  std::vector<uint8_t> packet;
  packet.reserve(4 + length);
  packet.push_back(static_cast<uint8_t>(length & 0xFF));
  packet.push_back(static_cast<uint8_t>((length >> 8) & 0xFF));
  packet.push_back(static_cast<uint8_t>(length >> 16));
  packet.push_back(0);  // sequence id
  packet.insert(packet.end(), payload.begin(), payload.end());
  return packet;
}

std::string NotMasterMessage(const std::string& self, const std::string& master,
                             const std::vector<std::string>& node_client_addresses) {
  const std::string head = "ddb: this node (" + self + ") is a slave, not the master: ";
  // Its own name: a former master that has not reached the new one yet.
  if (master.empty() || master == self)
    return head + "it has not found the master yet; write to the master's endpoint";
  for (const std::string& item : node_client_addresses) {
    const size_t equals = item.find('=');
    if (equals != std::string::npos && item.substr(0, equals) == master) {
      return head + "write to " + master + " at " + item.substr(equals + 1);
    }
  }
  return head + "write to " + master + " (its endpoint is not in node_client_addresses)";
}

NotMasterEndpoint::NotMasterEndpoint(asio::io_context& io, std::function<std::string()> message,
                                     std::shared_ptr<spdlog::logger> logger)
    : io_(io), acceptor_(io), message_(std::move(message)), logger_(std::move(logger)) {}

Status NotMasterEndpoint::Listen(const std::string& address, uint16_t port) {
  return OpenListener(acceptor_, address, port, "client_address", "on client_port");
}

void NotMasterEndpoint::Start() { asio::co_spawn(io_, AcceptLoop(), asio::detached); }

void NotMasterEndpoint::Stop() {
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
}

asio::awaitable<void> NotMasterEndpoint::AcceptLoop() {
  while (acceptor_.is_open()) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) break;
    if (ec) {
      logger_->warn("accepting a MySQL client on client_port failed: {}", ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    // The answer is one small packet: the socket's buffer takes it, and the
    // connection is closed right after, whatever the client does.
    auto client = std::make_shared<tcp::socket>(std::move(socket));
    auto packet =
        std::make_shared<std::vector<uint8_t>>(EncodeFirstPacketError(kNotMasterError, "HY000", message_()));
    asio::async_write(*client, asio::buffer(*packet), [client, packet](boost::system::error_code, size_t) {
      boost::system::error_code ignored;
      client->shutdown(tcp::socket::shutdown_both, ignored);
      client->close(ignored);
    });
  }
}

}  // namespace ddb
