#include "ddb/daemon/config_check.h"

#include <unistd.h>

#include <algorithm>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <filesystem>
#include <set>
#include <sstream>

#include "ddb/base/asio.h"
#include "ddb/base/tls.h"

namespace ddb {
// As in http_server.cpp (a unity build may put both in one unit).
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "GRANT SELECT, INSERT ON `ddb\_meta`.* TO ..." → privileges {SELECT,
// INSERT} on scope "ddb_meta.*" (quotes and LIKE escapes removed).
bool ParseGrant(const std::string& line, std::set<std::string>* privileges, std::string* scope) {
  const std::string upper = Upper(line);
  if (upper.rfind("GRANT ", 0) != 0) return false;
  const size_t on = upper.find(" ON ");
  if (on == std::string::npos) return false;
  for (std::string item : SplitList(upper.substr(6, on - 6))) {
    if (const size_t paren = item.find('('); paren != std::string::npos) item.erase(paren);  // column grants
    while (!item.empty() && item.back() == ' ') item.pop_back();
    privileges->insert(item);
  }
  const size_t to = upper.find(" TO ", on);
  scope->clear();
  for (char c : line.substr(on + 4, to == std::string::npos ? std::string::npos : to - on - 4)) {
    if (c != '`' && c != '\\') scope->push_back(c);
  }
  return true;
}

// Privileges ddb's own schema needs (the log, positions, cluster id).
const std::vector<std::string> kMetaPrivileges = {"SELECT", "INSERT", "UPDATE", "DELETE", "CREATE"};
// A master's endpoint sessions run as their users' accounts: ddb's sees and
// ends their MySQL sessions to settle a COMMIT whose answer was lost.
const std::vector<std::string> kMasterPrivileges = {"PROCESS", "CONNECTION ADMIN"};
// What replaying any statement of the cluster needs, on every database.
const std::vector<std::string> kReplayPrivileges = {"SELECT", "INSERT", "UPDATE", "DELETE",
                                                    "CREATE", "DROP",   "ALTER",  "INDEX"};

asio::awaitable<void> Get(beast::tcp_stream& stream, tcp::endpoint endpoint,
                          http::request<http::string_body>& request,
                          http::response<http::string_body>& response) {
  co_await stream.async_connect(endpoint, asio::use_awaitable);
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  co_await http::async_read(stream, buffer, response, asio::use_awaitable);
}

asio::awaitable<void> GetOverTls(beast::ssl_stream<beast::tcp_stream>& stream, tcp::endpoint endpoint,
                                 http::request<http::string_body>& request,
                                 http::response<http::string_body>& response) {
  co_await beast::get_lowest_layer(stream).async_connect(endpoint, asio::use_awaitable);
  co_await stream.async_handshake(ssl::stream_base::client, asio::use_awaitable);
  co_await http::async_write(stream, request, asio::use_awaitable);
  beast::flat_buffer buffer;
  co_await http::async_read(stream, buffer, response, asio::use_awaitable);
}

// The GET that HttpGet and HttpGetVerified send: `target` on address:port,
// one request per connection. `address` must be an IP address: peers and
// the node's own ports are configured by address, so no name is looked up.
Status MakeGetRequest(const std::string& address, uint16_t port, const std::string& target,
                      tcp::endpoint* endpoint, http::request<http::string_body>* request) {
  boost::system::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address, ec);
  if (ec) return Status::InvalidArgument("'" + address + "' is not an IP address");
  *endpoint = tcp::endpoint(ip, port);
  *request = http::request<http::string_body>{http::verb::get, target, 11};
  request->set(http::field::host, address + ":" + std::to_string(port));
  request->keep_alive(false);
  return Status::Ok();
}

// What an exchange with address:port came to: the answer's status and
// body, or Unavailable naming the address when it failed (`failure` not empty).
Status TakeAnswer(const std::string& failure, const std::string& address, uint16_t port,
                  const http::response<http::string_body>& response, int* status, std::string* body) {
  if (!failure.empty()) return Status::Unavailable(address + ":" + std::to_string(port) + ": " + failure);
  *status = static_cast<int>(response.result_int());
  *body = response.body();
  return Status::Ok();
}

// Runs `exchange` to its end; the failure's text, or "".
std::string RunExchange(asio::io_context& io, asio::awaitable<void> exchange) {
  std::string failure;
  asio::co_spawn(io, std::move(exchange), [&](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  io.run();
  return failure;
}

}  // namespace

void CheckReport::Problem(const std::string& what) {
  lines_.push_back("PROBLEM: " + what);
  ++problems_;
}

void CheckReport::AddParse(const ParseResult& parsed, const std::string& file) {
  if (parsed.status.ok()) {
    Ok(file + ": every key parses and is valid");
    return;
  }
  std::istringstream lines(parsed.status.message());
  for (std::string line; std::getline(lines, line);) Problem(line);
}

std::string CheckReport::Text(const std::string& program) const {
  std::string out;
  for (const std::string& line : lines_) out += line + "\n";
  out += program + " --check: " +
         (problems_ == 0 ? std::string("all well") : std::to_string(problems_) + " problem(s)") + "\n";
  return out;
}

std::vector<std::string> MissingPrivileges(const std::vector<std::string>& grants, MySqlRole role) {
  std::set<std::string> global, meta;
  for (const std::string& line : grants) {
    std::set<std::string> privileges;
    std::string scope;
    if (!ParseGrant(line, &privileges, &scope)) continue;
    if (scope == "*.*") global.insert(privileges.begin(), privileges.end());
    if (scope == "*.*" || scope == "ddb_meta.*") meta.insert(privileges.begin(), privileges.end());
  }
  std::vector<std::string> missing;
  auto need = [&missing](const std::set<std::string>& held, const std::vector<std::string>& wanted,
                         const std::string& where) {
    if (held.count("ALL PRIVILEGES") || held.count("ALL")) return;
    for (const std::string& privilege : wanted) {
      if (!held.count(privilege)) missing.push_back(privilege + " on " + where);
    }
  };
  need(meta, kMetaPrivileges, "ddb_meta.*");
  if (role == MySqlRole::kSlave) need(global, kReplayPrivileges, "*.* (a slave replays every statement)");
  if (role == MySqlRole::kMaster) {
    need(global, kMasterPrivileges, "*.* (to end an endpoint session whose COMMIT answer was lost)");
  }
  return missing;
}

std::string HashedPasswordRefusal(SqlConnection& connection) {
  QueryResult result;
  if (!connection
           .Execute(
               "SELECT @@global.strict_password_validation, GROUP_CONCAT(PLUGIN_NAME) FROM "
               "information_schema.PLUGINS WHERE PLUGIN_TYPE = 'PASSWORD VALIDATION' AND PLUGIN_STATUS = "
               "'ACTIVE'",
               &result)
           .ok() ||
      result.rows.empty()) {
    return "";  // an older server without the variable: nothing to refuse
  }
  const auto& row = result.rows[0];
  if (row.at(0).value_or("0") != "1" || !row.at(1)) return "";
  return "password validation (" + *row[1] +
         ") with strict_password_validation = ON refuses the hashed passwords a slave replays (ddb logs "
         "CREATE USER ... IDENTIFIED BY 'pw' as IDENTIFIED BY PASSWORD '<hash>', never in plain text): "
         "SET GLOBAL strict_password_validation = OFF on this MySQL (and in its my.cnf); the master "
         "validates the plain-text password when the statement runs there";
}

std::string AutoIncrementModeRefusal(SqlConnection& connection) {
  QueryResult result;
  // MySQL without InnoDB's variable (or an unexpected answer): nothing to refuse.
  if (!connection.Execute("SELECT @@global.innodb_autoinc_lock_mode", &result).ok() || result.rows.empty() ||
      result.rows[0].at(0).value_or("") != "2") {
    return "";
  }
  return "innodb_autoinc_lock_mode = 2 (interleaved) gives one INSERT ... SELECT or LOAD DATA "
         "AUTO_INCREMENT values that interleave with other sessions' inserts, which a slave's replay "
         "cannot reproduce (it generates them consecutively): set innodb_autoinc_lock_mode = 1 "
         "(MariaDB's default) in this MySQL's my.cnf and restart it";
}

void CheckMySqlAccount(const std::string& file, const MySqlEndpoint& endpoint, MySqlRole role,
                       CheckReport* report) {
  std::unique_ptr<MySqlConnection> connection;
  if (Status s = MySqlConnection::Open(endpoint, &connection); !s.ok()) {
    report->Problem(file + ": MySQL at " + endpoint.Describe() +
                    " (keys mysql_*): cannot connect: " + s.ToString());
    return;
  }
  QueryResult grants;
  if (Status s = connection->Execute("SHOW GRANTS FOR CURRENT_USER()", &grants); !s.ok()) {
    report->Problem(file + ": MySQL at " + endpoint.Describe() + ": SHOW GRANTS failed: " + s.ToString());
    return;
  }
  std::vector<std::string> lines;
  for (const auto& row : grants.rows) {
    if (!row.empty() && row[0]) lines.push_back(*row[0]);
  }
  if (role == MySqlRole::kSlave) {
    if (const std::string refusal = HashedPasswordRefusal(*connection); !refusal.empty()) {
      report->Problem(file + ": MySQL at " + endpoint.Describe() + ": " + refusal);
    }
  }
  if (role == MySqlRole::kMaster) {
    if (const std::string refusal = AutoIncrementModeRefusal(*connection); !refusal.empty()) {
      report->Problem(file + ": MySQL at " + endpoint.Describe() + ": " + refusal);
    }
  }
  const std::vector<std::string> missing = MissingPrivileges(lines, role);
  if (missing.empty()) {
    report->Ok("MySQL at " + endpoint.Describe() + " reachable, privileges sufficient");
    return;
  }
  std::string list;
  for (const std::string& one : missing) list += (list.empty() ? "" : ", ") + one;
  report->Problem(file + ": key 'mysql_user': " + endpoint.Describe() + " lacks " + list);
}

bool TcpPortFree(const std::string& address, uint16_t port, std::string* error) {
  asio::io_context io;
  boost::system::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address, ec);
  if (ec) {
    *error = "'" + address + "' is not an IP address";
    return false;
  }
  // As the daemons bind: SO_REUSEADDR, so a port left in TIME_WAIT counts as free.
  tcp::acceptor acceptor(io);
  acceptor.open(ip.is_v6() ? tcp::v6() : tcp::v4(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(tcp::endpoint(ip, port), ec);
  if (!ec) return true;
  *error = ec.message();
  return false;
}

Status HttpGet(const std::string& address, uint16_t port, const std::string& target, const std::string& token,
               std::chrono::milliseconds deadline, int* status, std::string* body) {
  *status = 0;
  tcp::endpoint endpoint;
  http::request<http::string_body> request;
  if (Status s = MakeGetRequest(address, port, target, &endpoint, &request); !s.ok()) return s;
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  http::response<http::string_body> response;
  asio::io_context io;
  beast::tcp_stream stream(io);
  // The stream's timer cancels whatever is pending at the deadline.
  stream.expires_after(deadline);
  std::string failure = RunExchange(io, Get(stream, endpoint, request, response));
  // An HTTPS port says so in plain text (HttpServer). Asked again over TLS
  // without checking its certificate: only a request that carries no token.
  if (failure.empty() && token.empty() && response.result_int() == 400 &&
      response.body().find("speaks HTTPS") != std::string::npos) {
    ssl::context context(ssl::context::tls_client);
    context.set_verify_mode(ssl::verify_none);
    asio::io_context tls_io;
    beast::ssl_stream<beast::tcp_stream> tls_stream(tls_io, context);
    beast::get_lowest_layer(tls_stream).expires_after(deadline);
    response = {};
    failure = RunExchange(tls_io, GetOverTls(tls_stream, endpoint, request, response));
  }
  return TakeAnswer(failure, address, port, response, status, body);
}

Status HttpGetVerified(ssl::context& tls, const std::string& address, uint16_t port,
                       const std::string& target, std::chrono::milliseconds deadline, int* status,
                       std::string* body) {
  *status = 0;
  tcp::endpoint endpoint;
  http::request<http::string_body> request;
  if (Status s = MakeGetRequest(address, port, target, &endpoint, &request); !s.ok()) return s;
  http::response<http::string_body> response;
  asio::io_context io;
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  if (Status s = ExpectPeerName(stream.native_handle(), address); !s.ok()) return s;
  beast::get_lowest_layer(stream).expires_after(deadline);
  const std::string failure = RunExchange(io, GetOverTls(stream, endpoint, request, response));
  return TakeAnswer(failure, address, port, response, status, body);
}

void CheckWritableFile(const std::string& file, const std::string& key, const std::string& path,
                       CheckReport* report) {
  if (path.empty()) return;
  std::filesystem::path directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  if (!std::filesystem::is_directory(directory)) {
    report->Problem(file + ": key '" + key + "': directory " + directory.string() + " does not exist");
  } else if (::access(directory.c_str(), W_OK) != 0) {
    report->Problem(file + ": key '" + key + "': directory " + directory.string() + " is not writable");
  } else {
    report->Ok(key + " " + path + " can be written");
  }
}

void CheckPorts(const std::string& file, const std::vector<NodePort>& ports, bool own_daemon,
                const std::string& own_daemon_detail, CheckReport* report) {
  for (const NodePort& port : ports) {
    const std::string where = port.address + ":" + std::to_string(port.port);
    std::string error;
    if (TcpPortFree(port.address, port.port, &error)) {
      report->Ok(port.key + " " + where + " is free");
    } else if (own_daemon) {
      report->Ok(port.key + " " + where + " is held by this node's running daemon (" + own_daemon_detail +
                 ")");
    } else {
      report->Problem(file + ": key '" + port.key + "': " + where + " cannot be bound (" + error +
                      ") and this node's daemon does not answer there: another process holds it");
    }
  }
}

}  // namespace ddb
