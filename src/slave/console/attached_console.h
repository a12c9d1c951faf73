// AttachedConsole: the console of `ddb-slave --attach`, a front end to the
// running daemon's console socket (ConsoleServer).
//
// Lines are edited and results printed here; every statement and backslash
// command runs in the daemon, in a console session of its own there, so an
// attached console can do all the daemon's own console can: reads from this
// slave's MySQL, writes forwarded to the master, \status, \retry, \skip.
//
// When the daemon goes away (stopped, restarted), a statement that was
// running reports that its outcome is unknown and is not sent again; the
// next one attaches again first, as the mariadb client reconnects: a new
// session in the daemon and on the master, told to the user, with the
// default database selected again.
//
// Used on the console thread only.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ddb/base/asio.h"
#include "ddb/console/console.h"
#include "ddb/protocol/framed_socket.h"

namespace ddb {

class AttachedConsole : public ConsoleBackend {
 public:
  // Connects to the daemon at `socket_path` and reads its welcome.
  // Unavailable when no daemon answers there (no file, or nobody listening);
  // Refused when one does and turns this console away (too many attached).
  static Status Connect(const std::string& socket_path, std::unique_ptr<AttachedConsole>* out);

  // Makes `database` the session's default, as for a console that read
  // locally before it could attach. A failure to select it is added to
  // `notes`; an error return means the daemon was lost meanwhile.
  Status UseDatabase(const std::string& database, std::vector<std::string>* notes);

  ExecutionResult Execute(const std::string& sql) override;
  CommandResult RunCommand(const std::string& name, const std::string& argument, std::ostream& out) override;
  std::vector<std::pair<std::string, std::string>> Commands() const override { return commands_; }
  std::string PromptName() const override { return node_name_; }
  std::string CurrentDatabase() const override { return database_; }

 private:
  AttachedConsole(std::unique_ptr<asio::io_context> io, std::unique_ptr<FramedSocket> socket,
                  std::string path);

  // After the daemon was lost: attaches again, selects the database the lost
  // session had, and adds what the user must know to `notes`.
  Status Reattach(std::vector<std::string>* notes);

  // Sends one request and reads its answer of type `expected`, attaching
  // again first if the daemon was lost since the last one.
  template <typename Request, typename Answer>
  Status Exchange(MessageType type, const Request& request, MessageType expected, Answer* answer,
                  std::vector<std::string>* notes);

  std::unique_ptr<asio::io_context> io_;  // runs only inside Exchange, on this thread
  std::unique_ptr<FramedSocket> socket_;
  std::string path_;
  std::string node_name_;
  std::vector<std::pair<std::string, std::string>> commands_;
  std::string database_;
  bool lost_ = false;  // the daemon closed this console: the next request attaches again
};

}  // namespace ddb
