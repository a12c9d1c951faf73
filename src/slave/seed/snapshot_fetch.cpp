#include "snapshot_fetch.h"

#include <array>
#include <limits>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

#include "ddb/base/asio.h"

namespace ddb {
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(10);
constexpr size_t kErrorBodyLimit = 64 * 1024;

std::string ErrorText(int status, const std::string& body) {
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()) {
    return parsed["error"].get<std::string>() + " (HTTP " + std::to_string(status) + ")";
  }
  return "HTTP " + std::to_string(status) + ": " + body.substr(0, 300);
}

// Sends the request over `stream` (connected, TLS handshake done) and hands
// the body to `sink`.
template <typename Stream>
asio::awaitable<Status> Transfer(Stream& stream, const HostPort& address, const std::string& target,
                                 const std::string& where, const BodySink& sink,
                                 std::chrono::seconds read_timeout) {
  boost::system::error_code ec;
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, address.host);
  request.set(http::field::user_agent, "ddb-slave");
  beast::get_lowest_layer(stream).expires_after(read_timeout);
  co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Status::IoError("sending the request to " + where + ": " + ec.message());

  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  // A snapshot has no size limit (it is never held whole). Not boost::none:
  // Boost 1.74 compares a Content-Length with it as if it were 0.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  co_await http::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Status::IoError("reading the answer of " + where + ": " + ec.message());
  const int status = parser.get().result_int();
  std::string error_body;
  std::array<char, 64 * 1024> piece;
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    beast::get_lowest_layer(stream).expires_after(read_timeout);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      co_return Status::IoError("the stream from " + where + " broke off: " + ec.message() +
                                (ec == beast::error::timeout ? " (no data within the timeout)" : ""));
    }
    const std::string_view got(piece.data(), piece.size() - parser.get().body().size);
    if (status != 200) {
      if (error_body.size() < kErrorBodyLimit) error_body.append(got);
      continue;
    }
    if (Status s = sink(got); !s.ok()) co_return s;
  }
  if (status != 200) co_return Status::Refused(where + " answered: " + ErrorText(status, error_body));
  co_return Status::Ok();
}

asio::awaitable<Status> Fetch(HostPort address, std::string target, const BodySink& sink,
                              std::chrono::seconds read_timeout, FetchTls tls) {
  auto executor = co_await asio::this_coro::executor;
  const std::string where =
      (tls.context ? "https://" : "http://") + address.Describe() + target.substr(0, target.find('?'));
  boost::system::error_code ec;
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(address.host, std::to_string(address.port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Status::Unavailable("cannot resolve " + address.host + ": " + ec.message());
  beast::tcp_stream tcp_stream(executor);
  tcp_stream.expires_after(kConnectTimeout);
  co_await tcp_stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Status::Unavailable("cannot connect to " + address.Describe() + ": " + ec.message());
  Status result;
  if (!tls.context) {
    result = co_await Transfer(tcp_stream, address, target, where, sink, read_timeout);
    co_return result;
  }

  beast::ssl_stream<beast::tcp_stream> tls_stream(std::move(tcp_stream), *tls.context);
  const std::string expected = tls.server_name.empty() ? address.host : tls.server_name;
  if (Status s = ExpectPeerName(tls_stream.native_handle(), expected); !s.ok()) co_return s;
  beast::get_lowest_layer(tls_stream).expires_after(kConnectTimeout);
  co_await tls_stream.async_handshake(ssl::stream_base::client,
                                      asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return Status::Refused("TLS with " + address.Describe() +
                              " failed: " + DescribeTlsError(ec, tls_stream.native_handle()));
  }
  result = co_await Transfer(tls_stream, address, target, where, sink, read_timeout);
  co_return result;
}

}  // namespace

Status FetchStreamed(const HostPort& address, const std::string& target, const BodySink& sink,
                     std::chrono::seconds read_timeout, const FetchTls& tls) {
  asio::io_context io;
  std::optional<Status> result;
  asio::co_spawn(io, Fetch(address, target, sink, read_timeout, tls),
                 [&result](std::exception_ptr failure, Status status) {
                   if (failure) {
                     try {
                       std::rethrow_exception(failure);
                     } catch (const std::exception& e) {
                       result = Status::IoError(std::string("fetching the snapshot: ") + e.what());
                       return;
                     }
                   }
                   result = std::move(status);
                 });
  io.run();
  return result.value_or(Status::IoError("fetching the snapshot ended without an outcome"));
}

}  // namespace ddb
