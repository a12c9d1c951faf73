// FakeSqlServer: a scripted stand-in for the MySQL server behind
// SqlConnection (include/ddb/mysql/sql_connection.h), so ReplicationLog,
// SqlSession and Applier are unit-tested without MariaDB.
//
// It hands out FakeSqlConnections through Opener(), the SqlOpener those
// classes take, and records every statement any of them is given, in order.
// Answers come from a script of rules matched by statement prefix: the
// rule added last whose prefix starts the statement and that has uses left
// answers it, so a test's rules override its fixture's. A rule answers
// rows, an error (Deadlock(), LostSession()...) or runs a callback. A
// statement no rule matches succeeds with no result set.
//
// Like the real server: a multi-statement batch is matched statement by
// statement and stops at the first error; a lost-session error (2013) ends
// the connection it happened on, so every later statement on it fails with
// 2006 "server has gone away" -- as it would after a real lost session.
//
// Thread-safe: the applier and the lost-commit settler run on their own
// threads. The server must outlive every connection it opened.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/mysql/mysql_connection.h"

namespace ddb::testing {

// One statement as the fake received it.
struct FakeStatement {
  int connection = 0;            // 1 for the first connection opened, 2 for the next...
  uint64_t round_trip = 0;       // statements of one batch share theirs
  std::string sql;               // with ExecuteWithParams' '?' bound (blobs as X'hex')
  std::vector<SqlParam> params;  // ExecuteWithParams' parameters, as given
};

class FakeSqlServer {
 public:
  static constexpr int kAlways = -1;
  // A callback answer: fills `result` and returns the statement's outcome.
  using Handler = std::function<Status(const FakeStatement& statement, QueryResult* result)>;

  FakeSqlServer() = default;
  FakeSqlServer(const FakeSqlServer&) = delete;
  FakeSqlServer& operator=(const FakeSqlServer&) = delete;

  // Statements starting with `prefix` answer `result`, the next `times` times.
  void Answer(std::string prefix, QueryResult result, int times = kAlways);
  // Statements starting with `prefix` fail with `error`, the next `times` times.
  void Fail(std::string prefix, Status error, int times = 1);
  void On(std::string prefix, Handler handler, int times = kAlways);
  // The next `times` opens fail with `error` (the server is down).
  void FailOpen(Status error, int times = 1);

  // For the classes under test: opens a FakeSqlConnection to this server.
  SqlOpener Opener();

  std::vector<FakeStatement> statements() const;
  // The statements' texts, in order.
  std::vector<std::string> Sql() const;
  // How many statements started with `prefix`.
  size_t Count(std::string_view prefix) const;
  int connections_opened() const;
  // Forgets the statements received so far (after a test's set-up).
  void ClearStatements();

  // What a lost session, a deadlock and the server's refusal of a statement
  // look like to the client.
  static Status LostSession();
  static Status Deadlock();
  static Status SqlError(int code, std::string message);
  static QueryResult Rows(std::vector<std::string> columns,
                          std::vector<std::vector<std::optional<std::string>>> rows);
  // One row of one column.
  static QueryResult Value(std::string value);

 private:
  friend class FakeSqlConnection;
  struct Rule {
    std::string prefix;
    Handler handler;
    int times_left;
  };
  // Records `sql` (one statement) and answers it from the script.
  Status Receive(int connection, uint64_t round_trip, std::string sql, std::vector<SqlParam> params,
                 QueryResult* result);
  uint64_t NextRoundTrip();

  mutable std::mutex mutex_;
  std::vector<Rule> rules_;              // guarded by mutex_
  std::vector<FakeStatement> received_;  // guarded by mutex_
  Status open_error_;                    // guarded by mutex_
  int open_failures_left_ = 0;           // guarded by mutex_
  int connections_opened_ = 0;           // guarded by mutex_
  uint64_t round_trips_ = 0;             // guarded by mutex_
};

// "START TRANSACTION;\nINSERT ...\n;\nCOMMIT" as the statements the server
// runs one after another: split at ';' that ends a line.
std::vector<std::string> SplitBatch(std::string_view text);
// The statement a "SET STATEMENT ... FOR <statement>" runs (the text itself
// otherwise): what a fake server executes.
std::string StatementProper(const std::string& sql);

}  // namespace ddb::testing
