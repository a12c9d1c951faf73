#include "ddb/daemon/listener.h"

namespace ddb {

Status OpenListener(tcp::acceptor& acceptor, const std::string& address, uint16_t port,
                    const std::string& address_key, const std::string& what) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) return Status::InvalidArgument(address_key + " '" + address + "' is not an IP address");
  const tcp::endpoint endpoint(ip, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError("cannot listen " + what + " on " + address + ":" + std::to_string(port) + ": " +
                           ec.message());
  }
  return Status::Ok();
}

}  // namespace ddb
