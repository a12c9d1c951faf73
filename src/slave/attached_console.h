// AttachedConsole: the console of `ddb-slave --attach`, a front end to the
// running daemon's console socket (ConsoleServer).
//
// Lines are edited and results printed here; every statement and backslash
// command runs in the daemon, in a console session of its own there, so an
// attached console can do all the daemon's own console can: reads from this
// slave's MySQL, writes forwarded to the master, \status, \retry, \skip.
//
// Used on the console thread only.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ddb/asio.h"
#include "ddb/console.h"
#include "ddb/framed_socket.h"

namespace ddb {

class AttachedConsole : public ConsoleBackend {
 public:
  // Connects to the daemon at `socket_path` and reads its welcome.
  // Unavailable when no daemon answers there (no file, or nobody listening);
  // Refused when one does and turns this console away (too many attached).
  static Status Connect(const std::string& socket_path, std::unique_ptr<AttachedConsole>* out);

  ExecutionResult Execute(const std::string& sql) override;
  CommandResult RunCommand(const std::string& name, const std::string& argument, std::ostream& out) override;
  std::vector<std::pair<std::string, std::string>> Commands() const override { return commands_; }
  std::string PromptName() const override { return node_name_; }
  std::string CurrentDatabase() const override { return database_; }

 private:
  AttachedConsole(std::unique_ptr<asio::io_context> io, std::unique_ptr<FramedSocket> socket, std::string path);

  // Sends one request and reads its answer of type `expected`.
  template <typename Request, typename Answer>
  Status Exchange(MessageType type, const Request& request, MessageType expected, Answer* answer);

  std::unique_ptr<asio::io_context> io_;  // runs only inside Exchange, on this thread
  std::unique_ptr<FramedSocket> socket_;
  std::string path_;
  std::string node_name_;
  std::vector<std::pair<std::string, std::string>> commands_;
  std::string database_;
  Status lost_;  // not OK once the daemon is gone: every later request says so
};

}  // namespace ddb
