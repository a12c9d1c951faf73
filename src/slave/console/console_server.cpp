#include "console_server.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>

#include "ddb/console/console_messages.h"
#include "ddb/protocol/framed_socket.h"
#include "ddb/protocol/message_io.h"
#include "local_socket.h"
#include "slave_console.h"
#include "write_forwarder.h"

namespace ddb {
namespace {

using LocalSocket = asio::local::stream_protocol::socket;

// An outcome too large for one frame (a huge SELECT) is replaced by an error
// saying so, rather than ending the console.
std::vector<uint8_t> EncodeOutcome(ExecutionResult outcome, const std::string& database) {
  std::vector<uint8_t> payload = Encode(MakeConsoleOutcome(std::move(outcome), database));
  if (payload.size() <= kMaxFramePayload) return payload;
  ExecutionResult too_large;
  too_large.status = Status::Refused("the result is " + std::to_string(payload.size()) +
                                     " bytes, more than an attached console receives at once (" +
                                     std::to_string(kMaxFramePayload) + "); narrow it with WHERE or LIMIT");
  return Encode(MakeConsoleOutcome(std::move(too_large), database));
}

}  // namespace

// One attached console: its socket, its console session, and the thread that
// serves it. Ends when the console leaves or the server stops.
class ConsoleServer::Session {
 public:
  Session(std::unique_ptr<asio::io_context> io, LocalSocket socket, uint64_t id, const SlaveConfig& config,
          const SlaveStatusBoard& status, Applier& applier, MasterLink* link, const PromoteRequest& promoter,
          std::shared_ptr<spdlog::logger> logger)
      : io_(std::move(io)),
        socket_(std::move(socket), "console " + std::to_string(id)),
        id_(id),
        forwarder_(link == nullptr
                       ? nullptr
                       : std::make_unique<WriteForwarder>(
                             *link, status, std::chrono::milliseconds(config.forward_wait_ms), id)),
        console_(std::make_unique<SlaveConsole>(config, &status, &applier, forwarder_.get())),
        logger_(std::move(logger)) {
    console_->set_promoter(promoter);
    thread_ = std::thread([this] { Serve(); });
  }

  // Waits for the statement running now; the console sees its socket close.
  ~Session() {
    stopping_ = true;
    asio::post(*io_, [this] { socket_.Close(); });
    thread_.join();
  }

  bool finished() const { return finished_; }

 private:
  void Serve() {
    ConsoleWelcome welcome;
    welcome.node_name = console_->PromptName();
    welcome.commands = console_->Commands();
    Status s = Send(MessageType::kConsoleWelcome, Encode(welcome));
    while (s.ok()) {
      Frame frame;
      s = RunBlocking(*io_, socket_.ReadFrame(&frame));
      if (s.ok()) s = Handle(frame);
    }
    if (s.code() == Status::Code::kUnavailable) {
      logger_->info("console {} detached", id_);
    } else if (stopping_) {
      logger_->info("console {} closed: the daemon is stopping", id_);
    } else {
      logger_->warn("console {} closed: {}", id_, s.ToString());
    }
    // At once, not when the session is reaped: the master ends this
    // console's session (rolling back a transaction it left open) and the
    // MySQL connection closes.
    console_.reset();
    forwarder_.reset();
    finished_ = true;
  }

  Status Handle(const Frame& frame) {
    if (frame.type == MessageType::kConsoleStatement) {
      ConsoleStatement statement;
      if (Status s = Decode(frame.payload, &statement); !s.ok()) return s;
      ExecutionResult outcome = console_->Execute(statement.sql);
      return Send(MessageType::kConsoleOutcome,
                  EncodeOutcome(std::move(outcome), console_->CurrentDatabase()));
    }
    if (frame.type == MessageType::kConsoleCommand) {
      ConsoleCommand command;
      if (Status s = Decode(frame.payload, &command); !s.ok()) return s;
      std::ostringstream out;
      ConsoleCommandOutput output;
      output.result = CommandResultByte(console_->RunCommand(command.name, command.argument, out));
      output.output = out.str();
      return Send(MessageType::kConsoleCommandOutput, Encode(output));
    }
    const Status unexpected = Status::Corruption(std::string("unexpected ") + MessageTypeName(frame.type) +
                                                 " frame from the console");
    RunBlocking(*io_, SendError(socket_, ErrorCode::kProtocol, unexpected.message()));
    return unexpected;
  }

  Status Send(MessageType type, const std::vector<uint8_t>& payload) {
    return RunBlocking(*io_, socket_.WriteFrame(type, payload));
  }

  // Declared in this order: the session's parts exist before its thread
  // starts, and the thread is joined (in ~Session) before they go.
  std::unique_ptr<asio::io_context> io_;
  FramedSocket socket_;
  const uint64_t id_;
  // Used by the session's thread only, and released when it ends.
  std::unique_ptr<WriteForwarder> forwarder_;
  std::unique_ptr<SlaveConsole> console_;  // refers to forwarder_
  std::shared_ptr<spdlog::logger> logger_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> stopping_{false};  // the server ends this session
  std::thread thread_;
};

ConsoleServer::ConsoleServer(asio::io_context& io, const SlaveConfig& config, const SlaveStatusBoard& status,
                             Applier& applier, MasterLink* link, std::shared_ptr<spdlog::logger> logger)
    : io_(io),
      config_(config),
      status_(status),
      applier_(applier),
      link_(link),
      logger_(std::move(logger)),
      acceptor_(io) {}

ConsoleServer::~ConsoleServer() { Stop(); }

Status ConsoleServer::Start() {
  namespace fs = std::filesystem;
  const std::string& path = config_.console_socket;
  const std::string where = "console_socket '" + path + "' (" + config_.config_path + ")";
  const asio::local::stream_protocol::endpoint endpoint(path);
  std::error_code fs_error;
  const fs::file_status existing = fs::symlink_status(path, fs_error);
  if (fs::exists(existing)) {
    if (!fs::is_socket(existing)) {
      return Status::InvalidArgument(where +
                                     " exists and is not a socket; name a path the daemon may create");
    }
    boost::system::error_code ec;
    LocalSocket probe(io_);
    probe.connect(endpoint, ec);
    if (!ec) {
      return Status::Refused(where +
                             " is in use: a ddb-slave daemon is already running there (set "
                             "console_socket to another path for a second slave on this machine)");
    }
    // Nobody listens: a daemon that was killed left it behind.
    fs::remove(path, fs_error);
  }
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (ec) return Status::IoError("cannot create " + where + ": " + ec.message());
  listening_ = true;
  // Before listen(): until then nobody can connect, so no one gets in
  // through a looser mode.
  if (chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
    return Status::IoError("cannot make " + where + " private (chmod 0600): " + std::strerror(errno));
  }
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::IoError("cannot listen on " + where + ": " + ec.message());
  asio::co_spawn(io_, Accept(), asio::detached);
  logger_->info("consoles attach at {}", path);
  return Status::Ok();
}

asio::awaitable<void> ConsoleServer::Accept() {
  for (;;) {
    boost::system::error_code ec;
    LocalSocket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      logger_->warn("console_socket accept: {}", ec.message());
      continue;
    }
    Admit(std::move(socket));
  }
}

void ConsoleServer::Admit(LocalSocket socket) {
  if (Status s = CheckPeerIsSameUser(socket.native_handle()); !s.ok()) {
    logger_->warn("refused a console on {}: {}", config_.console_socket, s.message());
    return;  // closing the socket is the answer: it learns nothing
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return;
  std::erase_if(sessions_, [](const std::unique_ptr<Session>& session) { return session->finished(); });
  if (sessions_.size() >= kMaxAttachedConsoles) {
    ErrorMessage error;
    error.code = ErrorCode::kInternal;
    error.message = "slave '" + config_.node_name + "' has " + std::to_string(kMaxAttachedConsoles) +
                    " consoles attached already; close one first";
    logger_->warn("refused a console: {}", error.message);
    // One small frame into a fresh socket's buffer: it does not block.
    boost::system::error_code ignored;
    asio::write(socket, asio::buffer(EncodeFrame(MessageType::kError, Encode(error))), ignored);
    return;
  }
  // The session's socket lives on the session's own io_context: the
  // connection moves there by its descriptor.
  boost::system::error_code ec;
  auto session_io = std::make_unique<asio::io_context>();
  const int descriptor = socket.release(ec);
  if (ec) {
    logger_->warn("console_socket: cannot hand a console its connection: {}", ec.message());
    return;
  }
  LocalSocket moved(*session_io, asio::local::stream_protocol(), descriptor);
  const uint64_t id = next_session_id_++;
  logger_->info("console {} attached", id);
  sessions_.push_back(std::make_unique<Session>(std::move(session_io), std::move(moved), id, config_, status_,
                                                applier_, link_, promoter_, logger_));
}

void ConsoleServer::Stop() {
  std::vector<std::unique_ptr<Session>> ending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    ending.swap(sessions_);
  }
  // The acceptor belongs to the io thread; if that no longer runs, the
  // acceptor's destructor closes it.
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  ending.clear();  // each waits for its statement
  if (listening_) {
    std::error_code ignored;
    std::filesystem::remove(config_.console_socket, ignored);
  }
}

}  // namespace ddb
