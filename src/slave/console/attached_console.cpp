#include "attached_console.h"

#include "ddb/console/console_messages.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/protocol/message_io.h"
#include "local_socket.h"

namespace ddb {
namespace {

// The daemon answers once its statement has run; a forwarded write may wait
// up to forward_wait_ms twice (the master's answer, then applying it), and a
// long SELECT as long as it takes. So no deadline on the answer: the console
// is the user's, and Ctrl-C ends it.
constexpr std::chrono::milliseconds kNoDeadline{0};

// The welcome comes at once from a daemon that accepted us.
constexpr std::chrono::milliseconds kWelcomeDeadline{10000};

}  // namespace

Status AttachedConsole::Connect(const std::string& socket_path, std::unique_ptr<AttachedConsole>* out) {
  auto io = std::make_unique<asio::io_context>();
  asio::local::stream_protocol::socket socket(*io);
  boost::system::error_code ec;
  socket.connect(asio::local::stream_protocol::endpoint(socket_path), ec);
  if (ec) return Status::Unavailable("no ddb-slave daemon answers at " + socket_path + ": " + ec.message());
  // The daemon checks us the same way: neither end talks to another user's
  // process (the path may be in /tmp).
  if (Status s = CheckPeerIsSameUser(socket.native_handle()); !s.ok()) {
    return Status::Refused("the process at " + socket_path + " is not this user's ddb-slave: " + s.message());
  }
  auto framed = std::make_unique<FramedSocket>(std::move(socket), "daemon at " + socket_path);
  ConsoleWelcome welcome;
  Status s =
      RunBlocking(*io, ReceiveMessage(*framed, MessageType::kConsoleWelcome, &welcome, kWelcomeDeadline));
  if (!s.ok()) {
    if (s.code() == Status::Code::kRefused)
      return Status::Refused("the daemon at " + socket_path + " refused: " + s.message());
    return Status::Unavailable("the daemon at " + socket_path +
                               " did not welcome this console: " + s.ToString());
  }
  out->reset(new AttachedConsole(std::move(io), std::move(framed), socket_path));
  (*out)->node_name_ = std::move(welcome.node_name);
  (*out)->commands_ = std::move(welcome.commands);
  return Status::Ok();
}

AttachedConsole::AttachedConsole(std::unique_ptr<asio::io_context> io, std::unique_ptr<FramedSocket> socket,
                                 std::string path)
    : io_(std::move(io)), socket_(std::move(socket)), path_(std::move(path)) {}

Status AttachedConsole::Reattach(std::vector<std::string>* notes) {
  std::unique_ptr<AttachedConsole> fresh;
  if (Status s = Connect(path_, &fresh); !s.ok()) {
    return Status::Unavailable(s.message() + "; this console attaches again at the next statement");
  }
  // The socket before the io_context it was made on.
  socket_ = std::move(fresh->socket_);
  io_ = std::move(fresh->io_);
  node_name_ = std::move(fresh->node_name_);
  commands_ = std::move(fresh->commands_);
  lost_ = false;
  notes->push_back(
      "attached again to the ddb-slave daemon at " + path_ +
      ": this is a new session, so a transaction that was open before is gone (rolled back on the "
      "master) and session variables are reset");
  return database_.empty() ? Status::Ok() : UseDatabase(database_, notes);
}

Status AttachedConsole::UseDatabase(const std::string& database, std::vector<std::string>* notes) {
  ConsoleStatement use;
  use.sql = "USE " + QuoteIdentifier(database);
  ConsoleOutcome outcome;
  if (Status s = Exchange(MessageType::kConsoleStatement, use, MessageType::kConsoleOutcome, &outcome, notes);
      !s.ok()) {
    return s;
  }
  if (!outcome.result.ok)
    notes->push_back("could not select database " + database + ": " + outcome.result.message);
  database_ = outcome.database;
  return Status::Ok();
}

template <typename Request, typename Answer>
Status AttachedConsole::Exchange(MessageType type, const Request& request, MessageType expected,
                                 Answer* answer, std::vector<std::string>* notes) {
  // A daemon that went away while the user was typing has not seen this
  // request: attach again and send it, as the mariadb client does.
  if (!lost_ && PeerHasHungUp(socket_->socket().native_handle())) {
    socket_->Close();
    lost_ = true;
  }
  if (lost_) {
    if (Status s = Reattach(notes); !s.ok()) return s;
  }
  Status s = RunBlocking(*io_, SendMessage(*socket_, type, request));
  if (s.ok()) s = RunBlocking(*io_, ReceiveMessage(*socket_, expected, answer, kNoDeadline));
  if (!s.ok()) {
    socket_->Close();
    lost_ = true;
    // A statement whose answer is lost may or may not have run: it is not
    // sent again, only what the user types next is.
    return Status::Unavailable("the ddb-slave daemon at " + path_ + " closed this console (" + s.message() +
                               "); whatever was running may or may not have finished. The next statement "
                               "attaches again");
  }
  return Status::Ok();
}

ExecutionResult AttachedConsole::Execute(const std::string& sql) {
  ConsoleStatement statement;
  statement.sql = sql;
  ConsoleOutcome outcome;
  std::vector<std::string> notes;
  ExecutionResult result;
  if (Status s =
          Exchange(MessageType::kConsoleStatement, statement, MessageType::kConsoleOutcome, &outcome, &notes);
      s.ok()) {
    database_ = outcome.database;
    result = OutcomeResult(std::move(outcome));
  } else {
    result.status = s;
  }
  result.warnings.insert(result.warnings.begin(), notes.begin(), notes.end());
  return result;
}

CommandResult AttachedConsole::RunCommand(const std::string& name, const std::string& argument,
                                          std::ostream& out) {
  ConsoleCommand command;
  command.name = name;
  command.argument = argument;
  ConsoleCommandOutput output;
  std::vector<std::string> notes;
  Status s =
      Exchange(MessageType::kConsoleCommand, command, MessageType::kConsoleCommandOutput, &output, &notes);
  PrintDdbWarnings(notes, out);
  if (!s.ok()) {
    out << "ERROR: " << s.message() << "\n";
    return CommandResult::kFailed;
  }
  out << output.output;
  return CommandResultFromByte(output.result);
}

}  // namespace ddb
