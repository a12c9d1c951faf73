#include "ddb/daemon/http_server.h"

#include "ddb/daemon/listener.h"

#include <openssl/crypto.h>

#include <spdlog/spdlog.h>
#include <array>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>

namespace ddb {
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

// Constant-time for equal lengths, so the token cannot be guessed byte by
// byte from response times.
std::string FormatPeer(const tcp::socket& socket) {
  boost::system::error_code ec;
  const tcp::endpoint endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

bool TokenMatches(const std::string& authorization, const std::string& token) {
  static constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() != kBearer.size() + token.size()) return false;
  if (authorization.compare(0, kBearer.size(), kBearer) != 0) return false;
  return CRYPTO_memcmp(authorization.data() + kBearer.size(), token.data(), token.size()) == 0;
}

}  // namespace

HttpResponse HttpResponse::Json(int status, std::string json) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(json);
  return response;
}

HttpResponse HttpResponse::Json(int status, const nlohmann::json& value) {
  return Json(status, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

HttpResponse HttpResponse::Text(int status, std::string text, std::string content_type) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(text);
  return response;
}

HttpResponse HttpResponse::Error(int status, const std::string& message) {
  return Json(status, nlohmann::json{{"error", message}});
}

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

}  // namespace

// One client connection: reads requests (keep-alive), answers each, closes
// on error, timeout or "Connection: close". Owned by its coroutine. `Stream`
// is a TCP stream, or a TLS stream on one whose handshake is done; `buffer`
// holds what was read before (the bytes that showed it was TLS or not).
template <typename Stream>
class HttpServer::Session {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  Session(HttpServer& server, Stream stream, beast::flat_buffer buffer)
      : server_(server), stream_(std::move(stream)), buffer_(std::move(buffer)) {}

  asio::awaitable<void> Run() {
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(server_.options_.body_limit);
      parser.header_limit(16 * 1024);
      lowest().expires_after(server_.options_.read_timeout);
      boost::system::error_code ec;
      co_await http::async_read(stream_, buffer_, parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == ssl::error::stream_truncated) {
        break;  // the client is done
      }
      if (ec == beast::error::timeout) break;
      if (ec) {
        if (IsTlsError(ec)) break;  // nothing can be said over a broken TLS session
        // Malformed or too large: say so once, then close.
        const int status = ec == http::error::body_limit ? 413 : 400;
        co_await Write(HttpResponse::Error(status, "bad request: " + ec.message()), 11, false);
        co_await LingeringClose();
        co_return;
      }
      const http::request<http::string_body>& raw = parser.get();
      HttpRequest request;
      request.method = std::string(raw.method_string());
      const std::string target(raw.target());
      const size_t question = target.find('?');
      request.path = target.substr(0, question);
      if (question != std::string::npos) request.query = ParseQueryString(target.substr(question + 1));
      request.body = raw.body();
      const std::string authorization(raw[http::field::authorization]);
      const bool keep_alive = raw.keep_alive();
      const unsigned version = raw.version();

      HttpResponse response;
      if (const RouteEntry* route = server_.Resolve(request, authorization, &response)) {
        response = co_await Call(*route, request);
      }
      if (response.body_source) {
        co_await WriteStreamed(std::move(response), version);  // its end closes the connection
        break;
      }
      if (!co_await Write(std::move(response), version, keep_alive) || !keep_alive) break;
    }
    co_await EndSending();
  }

  // A plain-HTTP request on the HTTPS port: one answer in plain text saying
  // so, then close.
  asio::awaitable<void> RefusePlain() {
    co_await Write(HttpResponse::Error(400, "this port speaks HTTPS: use https://"), 11, false);
    co_await LingeringClose();
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  // Tells the client nothing more comes: TCP's FIN, or TLS's close_notify
  // (bounded: a client that is gone already makes it fail at once).
  asio::awaitable<void> EndSending() {
    boost::system::error_code ec;
    if constexpr (kTls) {
      lowest().expires_after(std::chrono::seconds(2));
      co_await stream_.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  // The client may still be sending the body we refused: closing now would
  // reset the connection and destroy our answer in its receive buffer. So
  // stop sending, and read and drop its input for a bounded time and amount.
  asio::awaitable<void> LingeringClose() {
    boost::system::error_code ec;
    if constexpr (!kTls) stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    lowest().expires_after(std::chrono::seconds(2));
    std::array<char, 16 * 1024> sink;
    size_t drained = 0;
    while (!ec && drained < 16 * server_.options_.body_limit) {
      drained +=
          co_await stream_.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  asio::awaitable<HttpResponse> Call(const RouteEntry& route, const HttpRequest& request) {
    auto run = [&route, &request]() -> HttpResponse {
      try {
        return route.handler(request);
      } catch (const std::exception& e) {
        // A handler bug must not take the daemon down with it.
        return HttpResponse::Error(500, std::string("internal error: ") + e.what());
      }
    };
    if (route.work == RouteWork::kQuick) co_return run();
    // No deadline while the handler works: a long statement is not the
    // client's fault. The worker finishes even if the client goes away.
    lowest().expires_never();
    co_return co_await asio::co_spawn(
        server_.workers_, [run]() -> asio::awaitable<HttpResponse> { co_return run(); }, asio::use_awaitable);
  }

  asio::awaitable<bool> Write(HttpResponse response, unsigned version, bool keep_alive) {
    http::response<http::string_body> out{static_cast<http::status>(response.status), version};
    out.set(http::field::server, "ddb");
    out.set(http::field::content_type, response.content_type);
    out.set(http::field::cache_control, "no-store");
    out.set("X-Content-Type-Options", "nosniff");
    if constexpr (kTls) out.set(http::field::strict_transport_security, "max-age=31536000");
    for (auto& [name, value] : response.headers) out.set(name, value);
    out.keep_alive(keep_alive);
    out.body() = std::move(response.body);
    out.prepare_payload();
    lowest().expires_after(server_.options_.read_timeout);
    boost::system::error_code ec;
    co_await http::async_write(stream_, out, asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  // A body_source's pieces as chunks, each asked for on the worker pool once
  // the previous one is written: a slow client slows the source down, and
  // memory holds one piece. Each write has the read timeout as deadline.
  asio::awaitable<void> WriteStreamed(HttpResponse response, unsigned version) {
    http::response<http::empty_body> head{static_cast<http::status>(response.status), version};
    head.set(http::field::server, "ddb");
    head.set(http::field::content_type, response.content_type);
    head.set(http::field::cache_control, "no-store");
    for (auto& [name, value] : response.headers) head.set(name, value);
    head.keep_alive(false);
    head.chunked(true);
    http::response_serializer<http::empty_body> serializer{head};
    boost::system::error_code ec;
    lowest().expires_after(server_.options_.read_timeout);
    co_await http::async_write_header(stream_, serializer, asio::redirect_error(asio::use_awaitable, ec));
    // Declared once, outside the loop: the pieces' storage must outlive each
    // write, and GCC 12 mishandles objects declared inside a coroutine's loop.
    std::shared_ptr<HttpBodySource> source = response.body_source;
    auto piece = std::make_shared<std::string>();
    auto produce = [source, piece]() -> asio::awaitable<Status> {
      try {
        co_return source->Next(piece.get());
      } catch (const std::exception& e) {
        co_return Status::IoError(std::string("internal error: ") + e.what());
      }
    };
    Status produced;
    while (!ec) {
      lowest().expires_never();  // the source may take its time (a big table's first rows)
      produced = co_await asio::co_spawn(server_.workers_, produce, asio::use_awaitable);
      if (!produced.ok()) {
        server_.logger_->warn("streamed response cut short: {}", produced.ToString());
        co_return;  // no last chunk: the client sees the body is incomplete
      }
      lowest().expires_after(server_.options_.read_timeout);
      if (piece->empty()) {
        co_await asio::async_write(stream_, http::make_chunk_last(),
                                   asio::redirect_error(asio::use_awaitable, ec));
        co_return;
      }
      co_await asio::async_write(stream_, http::make_chunk(asio::const_buffer(piece->data(), piece->size())),
                                 asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  HttpServer& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
};

asio::awaitable<void> HttpServer::Serve(tcp::socket socket) {
  PlainStream stream(std::move(socket));
  beast::flat_buffer buffer;
  if (!options_.tls) {
    co_await Session<PlainStream>(*this, std::move(stream), std::move(buffer)).Run();
    co_return;
  }
  // HTTPS: the first bytes tell a TLS client from a plain one.
  boost::system::error_code ec;
  stream.expires_after(options_.read_timeout);
  const bool tls =
      co_await beast::async_detect_ssl(stream, buffer, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;
  if (!tls) {
    logger_->debug("plain HTTP on the HTTPS port from {}: answered 400", FormatPeer(stream.socket()));
    co_await Session<PlainStream>(*this, std::move(stream), std::move(buffer)).RefusePlain();
    co_return;
  }
  const std::string peer = FormatPeer(stream.socket());
  TlsStream secured(std::move(stream), *options_.tls);
  const size_t used = co_await secured.async_handshake(ssl::stream_base::server, buffer.data(),
                                                       asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    // Most often a client that does not trust this certificate (it says so
    // in an alert); its side tells its user.
    logger_->debug("TLS handshake with HTTP client {} failed: {}", peer, DescribeTlsError(ec));
    co_return;
  }
  buffer.consume(used);
  co_await Session<TlsStream>(*this, std::move(secured), std::move(buffer)).Run();
}

HttpServer::HttpServer(HttpServerOptions options, std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)),
      logger_(std::move(logger)),
      acceptor_(io_),
      workers_(static_cast<size_t>(std::max(1, options_.workers))) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Route(const std::string& method, const std::string& path, RouteAccess access, RouteWork work,
                       Handler handler) {
  routes_[{method, path}] = RouteEntry{access, work, std::move(handler)};
}

const HttpServer::RouteEntry* HttpServer::Resolve(const HttpRequest& request,
                                                  const std::string& authorization,
                                                  HttpResponse* error) const {
  auto it = routes_.find({request.method, request.path});
  if (it == routes_.end()) {
    bool other_method = false;
    for (const auto& [key, entry] : routes_) other_method = other_method || key.second == request.path;
    *error = other_method
                 ? HttpResponse::Error(405, "method " + request.method + " not allowed on " + request.path)
                 : HttpResponse::Error(404, "no such endpoint: " + request.path);
    return nullptr;
  }
  if (it->second.access == RouteAccess::kToken) {
    if (options_.token.empty()) {
      *error = HttpResponse::Error(403, "the API is disabled: set http_token in this daemon's config");
      return nullptr;
    }
    if (!TokenMatches(authorization, options_.token)) {
      *error = HttpResponse::Error(401, "missing or wrong token: send 'Authorization: Bearer <http_token>'");
      error->headers.emplace_back("WWW-Authenticate", "Bearer realm=\"ddb\"");
      return nullptr;
    }
  }
  return &it->second;
}

Status HttpServer::Start() {
  if (Status s = OpenListener(acceptor_, options_.address, options_.port, "http_address", "for HTTP");
      !s.ok())
    return s;
  bound_port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, AcceptLoop(), asio::detached);
  io_thread_ = std::thread([this] { io_.run(); });
  started_ = true;
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!started_) return;
  started_ = false;
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  io_.stop();
  io_thread_.join();
  // Handlers already running finish (they may hold a MySQL statement).
  workers_.join();
}

asio::awaitable<void> HttpServer::AcceptLoop() {
  while (acceptor_.is_open()) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      logger_->warn("accepting an HTTP connection failed: {}", ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (open_sessions_ >= options_.max_connections) {
      logger_->warn("refusing an HTTP connection: {} open already (the limit)", open_sessions_);
      continue;  // the socket closes as it goes out of scope
    }
    ++open_sessions_;
    asio::co_spawn(
        io_,
        [this, socket = std::move(socket)]() mutable -> asio::awaitable<void> {
          co_await Serve(std::move(socket));
          --open_sessions_;
        },
        asio::detached);
  }
}

}  // namespace ddb
