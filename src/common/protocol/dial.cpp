#include "ddb/protocol/dial.h"

namespace ddb {

asio::awaitable<boost::system::error_code> Dial(tcp::socket& socket, const std::string& address,
                                                HostPort* parsed) {
  boost::system::error_code ec;
  if (!ParseHostPort(address, parsed).ok()) co_return asio::error::invalid_argument;
  tcp::resolver resolver(socket.get_executor());
  const tcp::resolver::results_type endpoints = co_await resolver.async_resolve(
      parsed->host, std::to_string(parsed->port), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return ec;
  co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return ec;
  socket.set_option(tcp::no_delay(true), ec);
  co_return ec;
}

}  // namespace ddb
