// SqlConnection: what ddb's core classes need of a MySQL session, as an
// interface, so a unit test can stand a scripted fake in for the server.
//
// MySqlConnection (mysql_connection.h) is the one real implementation. The
// seam is a virtual call per statement, nothing more: no allocation, no
// lock, so the write path (concurrent commits, group commit) costs what it
// did -- and a virtual call is nothing next to a network round trip. The
// classes that open their own connections (ReplicationLog, SqlSession,
// Applier, LostCommits) take a SqlOpener whose default is OpenMySql, so the
// daemons' wiring does not change: an opener rather than a connection,
// because they open more than one (a new session after a lost one, a second
// connection to settle a lost COMMIT answer).
//
// The contracts of the methods are MySqlConnection's: every failure is a
// Status with the MySQL error code, SQLSTATE and message; a connection is
// used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

// A result column's type as the MySQL client/server protocol describes it,
// for clients that convert values by type (PyMySQL returns INT as int).
struct ColumnType {
  uint8_t mysql_type = 253;  // MYSQL_TYPE_*: 3 LONG, 8 LONGLONG, 246 NEWDECIMAL, 253 VAR_STRING...
  bool is_unsigned = false;
  bool is_binary = false;  // binary character set: bytes, not text
  uint8_t decimals = 0;
  uint32_t length = 0;  // display width
};

// The rows and counters of one statement. `columns` is empty for statements
// that return no result set.
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: right-align like the mariadb client
  // Per column when the result came from MySQL here; empty for results ddb
  // builds itself or a slave answered (readers fall back to text).
  std::vector<ColumnType> column_types;
  std::vector<std::vector<std::optional<std::string>>> rows;
  bool has_result_set = false;
  uint64_t affected_rows = 0;
  // The insert id of the server's OK packet (mysql_insert_id()): the first
  // AUTO_INCREMENT value the statement generated, else the row's explicit
  // value or LAST_INSERT_ID(expr)'s argument; 0 for none.
  uint64_t insert_id = 0;
  // How many warnings the statement left (SHOW WARNINGS lists them).
  uint32_t warning_count = 0;
  // The server's summary of a write ("Records: 3  Duplicates: 0  Warnings: 0").
  std::string server_info;
  // What a statement with several results (a CALL: one per result set its
  // body sent, then the CALL's own OK) answered after this first one, in
  // order. Empty for every other statement.
  std::vector<QueryResult> next_results;
};

// A parameter of ExecuteWithParams. Blob carries bytes that are not text.
struct Blob {
  std::string bytes;
};
using SqlParam = std::variant<std::nullptr_t, int64_t, uint64_t, std::string, Blob>;

// What the server answers when it prepares a statement: how many '?'
// parameters it takes and the columns of its result (none for a write).
struct StatementShape {
  uint32_t param_count = 0;
  std::vector<std::string> columns;
  std::vector<ColumnType> column_types;
};

// Names one server session even across a restart of the server (which
// starts numbering connections again): its CONNECTION_ID() and when the
// server started. Used to find and end a session whose answer was lost.
struct MySqlSessionId {
  uint64_t connection_id = 0;
  // Unix seconds: this host's clock less the server's uptime (two readings
  // of one server run may differ by a second or two).
  int64_t server_started_at = 0;
};

// The default arguments below are repeated by MySqlConnection, so a call
// reads the same through either type.
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  // Runs one statement exactly as given. `result` gets the first result
  // set, or the OK packet's counters.
  virtual Status Execute(std::string_view sql, QueryResult* result = nullptr) = 0;
  // Runs `sql`, a LOAD DATA LOCAL (or LOAD XML LOCAL) INFILE, serving
  // `file` as the file the server asks for, whatever the name it asks by.
  // Otherwise as Execute.
  virtual Status ExecuteWithLocalFile(std::string_view sql, std::string_view file,
                                      QueryResult* result = nullptr) = 0;
  // Runs a multi-statement text in one round trip; stops at the first
  // failure, whose error is returned.
  virtual Status ExecuteBatch(std::string_view text) = 0;
  // ExecuteBatch in two halves, so the caller can work while the server runs
  // the text: SendBatch sends it, FinishBatch reads every statement's result
  // (the first failure's error). Nothing else may use the connection between.
  virtual Status SendBatch(std::string_view text) = 0;
  virtual Status FinishBatch() = 0;
  // Runs one of ddb's own statements with its '?' placeholders bound to
  // `params`.
  virtual Status ExecuteWithParams(std::string_view sql, const std::vector<SqlParam>& params,
                                   QueryResult* result = nullptr) = 0;
  // What a server-side PREPARE of `sql` answers, without running it.
  virtual Status DescribeStatement(std::string_view sql, StatementShape* shape) = 0;
  // The session's user variables `names` as SQL literals of their type.
  virtual Status UserVariableLiterals(const std::vector<std::string>& names,
                                      std::vector<std::string>* literals) = 0;
  // Asks the server for this session's id and the server's start time.
  virtual Status ReadSessionId(MySqlSessionId* id) = 0;
  // The server's one-line status (COM_STATISTICS: "Uptime: 17  Threads: 1
  // Questions: ..."), as `mariadb-admin status` shows it.
  virtual Status ServerStatistics(std::string* text) = 0;

  // The id read on connect (server_started_at only when asked for).
  virtual const MySqlSessionId& session_id() const = 0;
  // MariaDB rather than MySQL (SET STATEMENT ... FOR exists).
  virtual bool server_is_mariadb() const = 0;
  // The server's version number (10.11.6 is 101106; LexMode::server_version).
  virtual uint32_t server_version() const = 0;
};

}  // namespace ddb
