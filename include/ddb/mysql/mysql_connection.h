// MySqlConnection: the one adapter between ddb and a MySQL/MariaDB server.
//
// It speaks through the MariaDB client library (libmariadb), the C library
// mysql-connector-c++ 1.1 itself runs on: ddb's write path needs what the
// connector's JDBC-style API cannot express (the generated id and session id
// from the server's own packets, multi-result reads, no hidden SET on
// connect), and each of those is a round trip saved per write. Every failure
// comes back as a Status carrying the MySQL error code, SQLSTATE and message.
//
// A connection is used by one thread at a time (MySQL sessions are not
// thread-safe); the owner decides which.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/mysql/sql_connection.h"

struct st_mysql;  // libmariadb's MYSQL

namespace ddb {

struct MySqlEndpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 3306;
  std::string user = "root";
  std::string password;
  std::string database;  // optional default schema
  // The server's unix socket when it runs on this host: a round trip
  // through it costs the kernel far less than one through TCP loopback.
  // When set, host and port are not used to connect.
  std::string socket;
  // TLS to the server (the mysql_ssl_* keys). With `ssl_ca` the connection
  // must be TLS and the server's certificate must be signed by it and name
  // `host`, so neither a plain-text server nor an impostor is accepted;
  // `ssl_cert`/`ssl_key` present a client certificate (accounts created
  // with REQUIRE X509 or SUBJECT). Not used over `socket`.
  std::string ssl_ca;
  std::string ssl_cert;
  std::string ssl_key;
  // "user@host:port" (or "user@localhost:/path.sock"), never the password:
  // for log lines and error messages.
  std::string Describe() const;
  // Where the server is: "host:port", or the socket's path.
  std::string Address() const;
};

struct MySqlOpenOptions {
  // Execute and ExecuteBatch accept several statements separated by ';'
  // (CLIENT_MULTI_STATEMENTS). Only for connections that run nothing but
  // ddb's own SQL and statements the master already ran as one statement
  // each: never for a user's session, where a second statement would run
  // unlogged.
  bool multi_statements = false;
  // Reads the session id and the server's start time on connect (two cheap
  // round trips: CONNECTION_ID() and COM_STATISTICS), so
  // session_id() names this session even across a server restart.
  bool identify_session = false;
  // CLIENT_FOUND_ROWS: an UPDATE counts the rows it matched, not only those
  // it changed (what an endpoint client that asks for it gets from MySQL).
  bool found_rows = false;
};

class MySqlConnection final : public SqlConnection {
 public:
  ~MySqlConnection() override;
  MySqlConnection(const MySqlConnection&) = delete;
  MySqlConnection& operator=(const MySqlConnection&) = delete;

  // Connects; on failure returns the client library's error (e.g. 2003
  // "Can't connect to MySQL server on '127.0.0.1:3307'").
  static Status Open(const MySqlEndpoint& endpoint, std::unique_ptr<MySqlConnection>* out);
  static Status Open(const MySqlEndpoint& endpoint, const MySqlOpenOptions& options,
                     std::unique_ptr<MySqlConnection>* out);

  // Runs one statement exactly as given (the user's SQL is passed through).
  // `result` gets the first result set, or the OK packet's counters; any
  // further results (a CALL's) are read and dropped.
  Status Execute(std::string_view sql, QueryResult* result = nullptr) override;
  // The server gets `file` when the statement asks for its file, and no
  // file at any other time: the client library never reads one of this
  // host's files for a server (see OfferedFile).
  Status ExecuteWithLocalFile(std::string_view sql, std::string_view file,
                              QueryResult* result = nullptr) override;
  // Runs a multi-statement text (a connection opened with multi_statements)
  // in one round trip, reading every statement's result. The server stops at
  // the first failure, whose error is returned.
  Status ExecuteBatch(std::string_view text) override;
  Status SendBatch(std::string_view text) override;
  Status FinishBatch() override;
  // Runs one of ddb's own statements with its '?' placeholders bound to
  // `params`, in one round trip. The values are escaped into the text by the
  // client library (as most drivers bind by default): ddb's own statements
  // are few and small, and a server-side prepare would cost a round trip per
  // connection and a statement handle per text.
  Status ExecuteWithParams(std::string_view sql, const std::vector<SqlParam>& params,
                           QueryResult* result = nullptr) override;

  // Prepares `sql` on the server and closes it again without running it:
  // the shape a server-side PREPARE of it has, or the server's error for it
  // (a missing table, a syntax error). One round trip.
  Status DescribeStatement(std::string_view sql, StatementShape* shape) override;

  // The session's user variables `names` (without '@', as written in SQL:
  // x or `x`) as SQL literals that
  // give a variable of the same type when SET on another server: 42 (integer),
  // 5.2500 (DECIMAL, scale kept), 5.25e0 (DOUBLE), 'text' (string), NULL.
  Status UserVariableLiterals(const std::vector<std::string>& names,
                              std::vector<std::string>* literals) override;

  const MySqlEndpoint& endpoint() const { return endpoint_; }
  const MySqlSessionId& session_id() const override { return session_id_; }
  // MariaDB rather than MySQL (SET STATEMENT ... FOR exists).
  bool server_is_mariadb() const override { return server_is_mariadb_; }
  uint32_t server_version() const override { return server_version_; }

  // Asks the server for this session's id and the server's start time.
  Status ReadSessionId(MySqlSessionId* id) override;
  Status ServerStatistics(std::string* text) override;

  // What the client library's LOAD DATA LOCAL handler, installed on
  // connect, serves: the bytes ExecuteWithLocalFile offers while it runs;
  // without them it refuses the server's request.
  struct OfferedFile {
    std::optional<std::string_view> bytes;
    size_t sent = 0;
  };

 private:
  friend class RowCursor;  // row_cursor.h: reads a result row by row on this connection
  explicit MySqlConnection(MySqlEndpoint endpoint);
  Status LastError() const;
  // Reads every result of the statement just sent; the first into `result`.
  Status ReadResults(QueryResult* result);
  // `value` as an SQL literal, escaped for this session's sql_mode.
  std::string Literal(const SqlParam& value) const;

  MySqlEndpoint endpoint_;
  MySqlSessionId session_id_;
  bool server_is_mariadb_ = false;
  uint32_t server_version_ = 0;
  OfferedFile offered_file_;
  st_mysql* mysql_ = nullptr;
};

// How a class that owns its connections opens one: OpenMySql in the
// daemons, a scripted fake in unit tests (sql_connection.h says why).
using SqlOpener = std::function<Status(const MySqlEndpoint& endpoint, const MySqlOpenOptions& options,
                                       std::unique_ptr<SqlConnection>* out)>;

// MySqlConnection::Open, as a SqlOpener.
Status OpenMySql(const MySqlEndpoint& endpoint, const MySqlOpenOptions& options,
                 std::unique_ptr<SqlConnection>* out);

// Runs ddb's own fixed statements in order (schema set-up); stops at the
// first failure.
Status ExecuteAll(SqlConnection& connection, std::initializer_list<const char*> statements);

// True for client-side errors meaning the session is gone (server down,
// connection lost): the caller should reconnect rather than report a SQL error.
bool IsConnectionLost(const Status& status);

// Quotes an identifier with backticks for ddb's own SQL (schema names that
// come from config, never user statements).
std::string QuoteIdentifier(std::string_view name);

// Quotes a value as an SQL string literal, escaping per MySQL rules.
std::string QuoteString(std::string_view value);

}  // namespace ddb
