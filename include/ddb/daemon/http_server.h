// HttpServer: the small HTTP/1.1 server (Boost.Beast) both daemons embed for
// /health, /metrics, the JSON API and the master's dashboard.
//
// It owns its io_context and thread, so a slow HTTP client never delays the
// replication link, and a worker pool for handlers that block (SQL, log
// table reads): the HTTP io thread only parses, routes and writes.
//
// HTTPS when given a TLS context (HttpServerOptions::tls): a TLS client and
// a plain one are told apart by their first bytes, and the plain one gets a
// 400 saying the port speaks HTTPS.
//
// Hostile or broken clients: every read has a deadline, request bodies and
// headers are size-limited, malformed requests get 400 and the connection is
// closed. Routes marked kToken need "Authorization: Bearer <token>"; the
// token is compared in constant time. No CORS headers are ever sent: the API
// is for the same-origin dashboard and for scripts, not for other sites.
//
// Lifetime: handlers may reference objects owned by main; Stop() (or the
// destructor) must run before those go. Route() only before Start().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ddb/base/asio.h"
#include "ddb/base/status.h"
#include "ddb/base/tls.h"
#include "ddb/daemon/query_string.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct HttpRequest {
  std::string method;                        // "GET", "POST"...
  std::string path;                          // target without the query string
  std::map<std::string, std::string> query;  // decoded ?a=1&b=2
  std::string body;
};

// A response body made piece by piece, for bodies too large to hold (a
// snapshot): Next runs on the worker pool, one call at a time, and each
// piece is written (chunked transfer encoding) before the next is asked for,
// so memory holds one piece. An empty piece with Ok ends the body; an error
// ends the connection without the last chunk, so the client sees a
// truncated body, never a complete-looking one.
class HttpBodySource {
 public:
  virtual ~HttpBodySource() = default;
  [[nodiscard]] virtual Status Next(std::string* piece) = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::shared_ptr<HttpBodySource> body_source;               // set: streamed instead of `body`

  static HttpResponse Json(int status, std::string json);
  // Invalid UTF-8 in values (binary columns) is replaced, never an error.
  static HttpResponse Json(int status, const nlohmann::json& value);
  static HttpResponse Text(int status, std::string text,
                           std::string content_type = "text/plain; charset=utf-8");
  // {"error": message} with `status`.
  static HttpResponse Error(int status, const std::string& message);
};

enum class RouteAccess {
  kPublic,  // health, metrics, static assets: no table data, changes nothing
  kToken,   // needs the bearer token
};
enum class RouteWork {
  kQuick,     // runs on the HTTP io thread: must not block
  kBlocking,  // runs on the worker pool (SQL, MySQL reads)
};

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: the kernel picks one (tests); see port()
  std::string token;  // empty: kToken routes answer 403 (API disabled)
  size_t body_limit = 1 << 20;
  std::chrono::milliseconds read_timeout{30000};  // per request, headers and body
  int workers = 2;
  int max_connections = 128;  // more are closed at once: a flood cannot pile up sessions
  // HTTPS with this context (tls_cert_file): a plain-HTTP request gets one
  // 400 in plain text saying so. Null: plain HTTP.
  std::shared_ptr<ssl::context> tls;
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  HttpServer(HttpServerOptions options, std::shared_ptr<spdlog::logger> logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void Route(const std::string& method, const std::string& path, RouteAccess access, RouteWork work,
             Handler handler);

  // Binds and starts serving. Fails with the address in the message.
  Status Start();
  // Stops accepting, ends connections, waits for running handlers.
  void Stop();

  // The bound port (after Start; useful with port 0).
  uint16_t port() const { return bound_port_; }

 private:
  struct RouteEntry {
    RouteAccess access;
    RouteWork work;
    Handler handler;
  };
  template <typename Stream>
  class Session;

  asio::awaitable<void> AcceptLoop();
  // One connection: TLS first when the server has it, then its Session.
  asio::awaitable<void> Serve(tcp::socket socket);
  // Finds the route and checks the token; fills `error` when refused.
  const RouteEntry* Resolve(const HttpRequest& request, const std::string& authorization,
                            HttpResponse* error) const;

  const HttpServerOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  std::map<std::pair<std::string, std::string>, RouteEntry> routes_;  // (method, path)
  asio::io_context io_;
  tcp::acceptor acceptor_;
  asio::thread_pool workers_;
  std::thread io_thread_;
  uint16_t bound_port_ = 0;
  int open_sessions_ = 0;  // io thread only
  bool started_ = false;
};

}  // namespace ddb
