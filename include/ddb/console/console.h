// The interactive console both daemons share: feels like the mariadb client.
//
// Statements end with ';' (or \g, or \G for vertical output) and may span
// lines; backslash commands (\status, \help, \q...) act on the cluster;
// `source file.sql` runs a file. What a statement does is the backend's
// business: the master executes and replicates, a slave answers reads.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/console/line_reader.h"
#include "ddb/console/result_printer.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/statement_splitter.h"

namespace ddb {

struct ExecutionResult {
  Status status;
  QueryResult result;
  std::string answered_by;            // node that answered a read, when worth saying
  std::string info;                   // replaces "Query OK..." when set, e.g. "Database changed"
  std::vector<std::string> warnings;  // from ddb (not MySQL): printed after the result
  bool release = false;               // COMMIT/ROLLBACK RELEASE: the client's connection ends after the reply
};

// Prints warnings from ddb itself (not MySQL's), one "Warning (ddb): ..."
// line each: after a statement's result, or before a command's output.
void PrintDdbWarnings(const std::vector<std::string>& warnings, std::ostream& out);

// What a backslash command did. kFailed counts as a failed statement (the
// exit status of a scripted console).
enum class CommandResult { kUnknown, kDone, kFailed };

// Implemented by each daemon. Called on the console's thread only.
class ConsoleBackend {
 public:
  virtual ~ConsoleBackend() = default;
  virtual ExecutionResult Execute(const std::string& sql) = 0;
  // A backslash command other than the console's own (\q, \h, \G...).
  virtual CommandResult RunCommand(const std::string& name, const std::string& argument,
                                   std::ostream& out) = 0;
  // (command, one-line description) pairs for \help.
  virtual std::vector<std::pair<std::string, std::string>> Commands() const = 0;
  // Shown in the prompt: "ddb-master [shop]> ".
  virtual std::string PromptName() const = 0;
  virtual std::string CurrentDatabase() const = 0;
  // Called from another thread (Ctrl-C) while Execute runs on the console's
  // thread; Execute does not start a next statement before this returns.
  // Cancels the running statement if that is safe, or explains why not:
  // returns a line to show, empty when there is nothing to say.
  virtual std::string CancelRunning() {
    return "this statement cannot be cancelled; waiting for it to finish";
  }
};

class Console {
 public:
  // `reader`, `backend` and `out` must outlive the console.
  Console(LineReader& reader, ConsoleBackend& backend, std::ostream& out, ResultLayout default_layout);

  // Reads and runs until \q, quit, exit or end of input. Returns the number of
  // statements that failed (0: all succeeded).
  int Run();

  // Runs one complete statement (no terminator) and prints its outcome.
  bool RunStatement(const std::string& sql, bool vertical);

  // Any thread (the one that saw SIGINT), like Ctrl-C in the mysql client:
  // drops the line being typed and a statement pending over several lines,
  // or asks the backend to cancel the running statement. The console goes on.
  void Interrupt();

 private:
  // Returns false when the console should stop.
  bool HandleLine(const std::string& line);
  bool HandleCommand(const std::string& line);
  void Source(const std::string& path);
  void PrintHelp();
  std::string Prompt() const;

  LineReader& reader_;
  ConsoleBackend& backend_;
  std::ostream& out_;
  ResultLayout default_layout_;
  StatementSplitter splitter_;
  int failures_ = 0;
  int source_depth_ = 0;
  std::mutex running_mutex_;
  bool running_ = false;  // guarded by running_mutex_: a statement is executing
};

}  // namespace ddb
