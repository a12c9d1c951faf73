// ClientSession: one client of the master's MySQL endpoint, from greeting to
// goodbye.
//
// It authenticates the client (mysql_native_password against the users in
// the config), then reads commands and answers them: COM_QUERY runs the
// statement through the client's own SqlSession (the same write path as the
// console: executed, logged, replicated), and the outcome goes back as OK,
// ERR (MySQL's code, SQLSTATE and message passed through) or a text result
// set; with CLIENT_MULTI_STATEMENTS, one of those per statement of the text. Reads outside a transaction may
// be answered by a slave, with the master's column types (read_routing_rules.h, slave_result_types.h).
// Server-side prepared statements (COM_STMT_*) run as text with their
// bound values in place and answer in the binary protocol
// (client_session_prepared.cpp); COM_CHANGE_USER and COM_FIELD_LIST are in
// client_session_commands.cpp. Commands ddb does not implement get an ERR; the connection stays.
//
// A client that breaks the protocol (a packet too big, out of order, or not
// a handshake) is disconnected with one log line naming it; a silent one by
// the handshake or idle timeout. Runs on its own thread; blocking.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "client_socket.h"
#include "collation_names.h"
#include "endpoint_reads.h"
#include "mysql_handshake.h"
#include "prepared_statement.h"
#include "slave_result_types.h"
#include "sql_session.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct ClientUser {
  std::string name;
  std::string password;
};

struct ClientEndpointOptions {
  std::string server_version;  // in the greeting, e.g. "10.11.19-MariaDB-ddb"
  std::vector<ClientUser> users;
  size_t max_packet_bytes = 16 * 1024 * 1024;
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds idle_timeout{8 * 3600 * 1000};
  // Where the sessions' MySQL is ("127.0.0.1:3307"): named in the error a
  // client gets when the master cannot reach it.
  std::string mysql_address;
  // TLS for clients that ask (the master's tls_cert_file); null: not
  // offered. With require_tls, a client that does not ask is refused
  // (ERR 3159, as MariaDB's require_secure_transport).
  std::shared_ptr<ssl::context> tls;
  bool require_tls = false;
  // Counts which node answered each read (may be null); outlives the server.
  EndpointReads* reads = nullptr;
  // The handshake's collation numbers the sessions have looked up (may be
  // null: each login asks); set by ClientServer.
  CollationNames* collations = nullptr;
  // The MySQL session behind endpoint connection `id` when `user` is logged
  // in there (KILL acts on one's own sessions only, as in MariaDB without
  // CONNECTION ADMIN); with `end_connection` that client is also
  // disconnected. False: no such connection of this user. Set by
  // ClientServer.
  std::function<bool(uint32_t id, const std::string& user, bool end_connection, uint64_t* mysql_thread)>
      find_for_kill;
};

// Makes the SqlSession of a client logged in as `user` (its statements run
// with that user's MySQL account: see log_access.h).
using SqlSessionFactory = std::function<std::unique_ptr<SqlSession>(const ClientUser& user)>;

class ClientSession {
 public:
  // `options` and `logger` must outlive the session.
  ClientSession(std::unique_ptr<ClientSocket> socket, uint32_t connection_id,
                const ClientEndpointOptions& options, SqlSessionFactory make_session, spdlog::logger& logger);

  // Serves the client until it quits, times out, breaks the protocol or the
  // socket is shut down.
  void Run();

  // Wakes Run() up from another thread (the server is stopping).
  void Shutdown() { socket_->Shutdown(); }

  // Who is logged in on this connection and its MySQL session's thread id,
  // as of the last command: read by other clients' KILL, from any thread.
  uint32_t connection_id() const { return connection_id_; }
  void Published(std::string* user, uint64_t* mysql_thread) const;

 private:
  // The connection phase; false when the client is to be disconnected
  // (ERR already sent where the protocol allows one).
  bool Authenticate();
  // Reads the handshake response, upgrading to TLS first when the client
  // asks; false when the client is to be disconnected.
  bool ReadHandshakeResponse(mysql::HandshakeResponse* response);
  // One command; false when the connection ends.
  bool Serve(const std::vector<uint8_t>& command);
  void RunQuery(const std::string& sql);
  // Runs one statement of the client's (`prepared_sql`: the prepared
  // statement it came from, or ""). A read a slave answered gets the
  // master's column types, or is answered by the master when they are not
  // known for sure; every read is counted by the node that answered it.
  ExecutionResult Execute(const std::string& sql, const std::string& prepared_sql);
  void Reply(const ExecutionResult& outcome);
  // A statement's results: its result set (rows as text, or in the binary
  // protocol for COM_STMT_EXECUTE) or OK, then those it gave after it (a
  // CALL's further result sets and own OK), each but the last saying
  // another follows, when the client can take several
  // (client_session_results.cpp).
  // `out_params_part`: which of them (0 the first) holds a CALL's OUT
  // parameters, flagged SERVER_PS_OUT_PARAMS.
  void SendResults(const QueryResult& result, bool binary, size_t out_params_part = SIZE_MAX);
  // COM_STMT_EXECUTE of a CALL with OUT parameters: the SET of their
  // variables, the CALL, and the values read back (call_out_params.h).
  void ExecuteCallWithOutParams(const PreparedStatement& statement, const std::string& setup,
                                const std::string& sql);
  // Server-side prepared statements (client_session_prepared.cpp). Each
  // gets the whole command packet.
  void PrepareStatement(const std::string& sql);
  void ExecuteStatement(const std::vector<uint8_t>& command);
  void AppendLongData(const std::vector<uint8_t>& command);
  void CloseStatement(const std::vector<uint8_t>& command);
  void ResetStatement(const std::vector<uint8_t>& command);
  // The statement a COM_STMT_* names, or nullptr; `reader` is left after
  // the statement id.
  PreparedStatement* FindStatement(mysql::PayloadReader* reader);
  // Checks the user and password of a handshake response or COM_CHANGE_USER
  // against scramble_ (switching the client to mysql_native_password
  // first if it started with another plugin). nullptr when refused: the ERR
  // is sent and the reason logged.
  const ClientUser* CheckCredentials(const mysql::HandshakeResponse& response);
  // COM_CHANGE_USER (client_session_commands.cpp): a fresh session as
  // another user; false when the credentials are refused (the connection
  // ends, as in MySQL).
  bool ChangeUser(const std::vector<uint8_t>& command);
  // COM_FIELD_LIST: the columns of a table, as column definitions.
  void ListFields(const std::vector<uint8_t>& command);
  // COM_STATISTICS (mariadb-admin status, the client's \s): the master
  // MySQL's one-line status, a bare string packet as MySQL sends it.
  void SendStatistics();
  // A new SqlSession (the old one's MySQL connection closes, rolling back
  // what was open; prepared statements end) with `charset` and `database`.
  Status RestartSession(uint8_t charset, const std::string& database);
  // A fresh SqlSession for user_ with what the client's handshake asked for
  // (CLIENT_FOUND_ROWS), whose LOAD DATA LOCAL files come from this client.
  void StartSession();
  // LOAD DATA LOCAL's file (client_session_local_file.cpp): asks the client
  // for `name` in the statement's exchange and reads what it sends, up to
  // the empty packet that ends it; more than `limit` bytes is refused (read
  // to the end all the same, so the exchange stays in step).
  Status ReceiveLocalFile(const std::string& name, size_t limit, std::string* content);
  // Applies the character set the client asked for in its handshake.
  Status ApplyCharset(uint8_t charset);
  Status ApplyDatabase(const std::string& database);
  // Connects the client's session to the master's MySQL, with `database`
  // as its default database (as a MySQL login names one): a client is told
  // at login, not at its first statement, that nothing can be served.
  Status ReachMySql(const std::string& database);

  // By the handshake deadline before login, within the idle timeout after.
  Status ReadPacket(bool new_command, std::vector<uint8_t>* payload);
  Status Send(const std::vector<uint8_t>& payload);
  Status SendAll(const std::vector<std::vector<uint8_t>>& payloads);
  // Replies. One that cannot be sent means the client is gone: the first
  // such failure is kept in reply_failure_ and the session ends after the
  // command at hand, so no caller has a send status to look at.
  void SendReply(const std::vector<std::vector<uint8_t>>& payloads);
  void SendOk(uint64_t affected_rows = 0, uint64_t insert_id = 0, const std::string& info = "",
              uint16_t warnings = 0);
  void SendError(uint16_t code, const std::string& sql_state, const std::string& message);
  void SendError(const Status& status);
  uint16_t ServerStatus() const;
  // One log line naming the client, then the session ends.
  void Drop(const std::string& reason);

  std::unique_ptr<ClientSocket> socket_;
  const uint32_t connection_id_;
  const ClientEndpointOptions& options_;
  SqlSessionFactory make_session_;
  spdlog::logger& logger_;
  std::unique_ptr<SqlSession> session_;
  const ClientUser* user_ = nullptr;  // one of options_.users, once logged in
  // user_'s name and the MySQL thread id, for Published().
  mutable std::mutex published_mutex_;
  std::string published_user_;
  uint64_t published_thread_ = 0;
  void Publish();
  // KILL [QUERY | CONNECTION] <id>: the id is an endpoint connection's (the
  // greeting's, which clients such as mariadb's Ctrl-C send), not a MySQL
  // thread's: it is translated (client_session_kill.cpp). Empty: `sql` is
  // not such a KILL.
  std::optional<ExecutionResult> RunKill(const std::string& sql);
  std::string scramble_;       // the greeting's, answered by logins and COM_CHANGE_USER
  uint32_t capabilities_ = 0;  // the client's, from its handshake
  uint8_t charset_ = 0;
  bool utf8_client_ = true;  // charset_ is a UTF-8 one
  std::unordered_map<uint32_t, std::unique_ptr<PreparedStatement>> statements_;
  uint32_t last_statement_id_ = 0;
  uint8_t sequence_id_ = 0;
  bool multi_statements_ = false;  // CLIENT_MULTI_STATEMENTS, or COM_SET_OPTION turned it on
  bool released_ = false;          // a COMMIT or ROLLBACK RELEASE ran: the connection ends after its reply
  bool more_results_ = false;      // the reply being sent is not the command's last result
  bool out_params_ = false;        // the reply being sent holds a CALL's OUT parameters
  Status reply_failure_;
  std::chrono::steady_clock::time_point handshake_deadline_;
};

}  // namespace ddb
