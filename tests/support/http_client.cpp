#include "http_client.h"

#include <algorithm>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "ddb/base/asio.h"

namespace ddb::testing {
namespace beast = boost::beast;
namespace http = boost::beast::http;

HttpReply Http(uint16_t port, const HttpCall& call) {
  HttpReply reply;
  asio::io_context io;
  beast::tcp_stream stream(io);
  http::request<http::string_body> request{http::string_to_verb(call.method), call.target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!call.token.empty()) request.set(http::field::authorization, "Bearer " + call.token);
  if (!call.body.empty()) {
    request.set(http::field::content_type, call.content_type);
    request.body() = call.body;
  }
  request.keep_alive(false);
  request.prepare_payload();

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  boost::system::error_code failure;
  const char* step = "connect";
  // Asynchronous operations with an io_context run for the deadline: the
  // stream's timer cancels whatever is still pending then.
  stream.expires_after(call.deadline);
  stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                       [&](boost::system::error_code ec) {
                         if (ec) {
                           failure = ec;
                           return;
                         }
                         step = "write";
                         http::async_write(stream, request, [&](boost::system::error_code ec, size_t) {
                           if (ec) {
                             failure = ec;
                             return;
                           }
                           step = "read";
                           http::async_read(stream, buffer, parser,
                                            [&](boost::system::error_code ec, size_t) { failure = ec; });
                         });
                       });
  io.run();
  if (failure) {
    reply.error = std::string(step) + ": " + failure.message();
    return reply;
  }
  const auto& response = parser.get();
  reply.status = static_cast<int>(response.result_int());
  reply.body = response.body();
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    reply.headers[name] = std::string(field.value());
  }
  return reply;
}

HttpReply HttpGet(uint16_t port, const std::string& target, const std::string& token) {
  HttpCall call;
  call.target = target;
  call.token = token;
  return Http(port, call);
}

HttpReply HttpPost(uint16_t port, const std::string& target, const std::string& body,
                   const std::string& token) {
  HttpCall call;
  call.method = "POST";
  call.target = target;
  call.body = body;
  call.token = token;
  return Http(port, call);
}

}  // namespace ddb::testing
