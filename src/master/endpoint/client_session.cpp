#include "client_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "ddb/sql/multi_statements.h"
#include "mysql_handshake.h"
#include "mysql_native_password.h"
#include "mysql_packet.h"
#include "mysql_responses.h"
#include "read_routing_rules.h"

namespace ddb {
namespace {

using Clock = std::chrono::steady_clock;

// Command bytes (the first byte of a command packet).
enum Command : uint8_t {
  kComQuit = 0x01,
  kComInitDb = 0x02,
  kComQuery = 0x03,
  kComFieldList = 0x04,
  kComStatistics = 0x09,
  kComPing = 0x0E,
  kComChangeUser = 0x11,
  kComStmtPrepare = 0x16,
  kComStmtExecute = 0x17,
  kComStmtSendLongData = 0x18,
  kComStmtClose = 0x19,
  kComStmtReset = 0x1A,
  kComSetOption = 0x1B,
  kComResetConnection = 0x1F,
};

// MySQL error codes the endpoint itself sends.
constexpr uint16_t kErrorUnknownCommand = 1047;     // ER_UNKNOWN_COM_ERROR, 08S01
constexpr uint16_t kErrorAccessDenied = 1045;       // ER_ACCESS_DENIED_ERROR, 28000
constexpr uint16_t kErrorHandshake = 1043;          // ER_HANDSHAKE_ERROR, 08S01
constexpr uint16_t kErrorInsecureTransport = 3159;  // ER_SECURE_TRANSPORT_REQUIRED, 08004
constexpr uint16_t kErrorEmptyQuery = 1065;         // ER_EMPTY_QUERY, 42000
constexpr uint16_t kErrorPacketTooLarge = 1153;     // ER_NET_PACKET_TOO_LARGE, 08S01
constexpr uint16_t kErrorUnknown = 1105;            // ER_UNKNOWN_ERROR, HY000: ddb's own refusals
// The master's own MySQL is unreachable. The connector reports that with a
// client-side code (2002, 2013...), and libmariadb rejects a server's ERR
// carrying a client-side code ("ERROR 2027 Received malformed packet"), so
// the client gets the server code MariaDB uses when it cannot reach the
// server behind it (ER_CONNECT_TO_FOREIGN_DATA_SOURCE) with ddb's cause.
constexpr uint16_t kErrorCannotReachMySql = 1429;  // HY000
// The handshake response is a few hundred bytes; more is not a client.
constexpr size_t kMaxHandshakeBytes = 64 * 1024;
constexpr size_t kWriteBatchBytes = 256 * 1024;

bool IsBlank(const std::string& sql) { return sql.find_first_not_of(" \t\r\n;") == std::string::npos; }

// COM_SET_OPTION's options.
constexpr uint16_t kMultiStatementsOn = 0;
constexpr uint16_t kMultiStatementsOff = 1;

}  // namespace

ClientSession::ClientSession(std::unique_ptr<ClientSocket> socket, uint32_t connection_id,
                             const ClientEndpointOptions& options, SqlSessionFactory make_session,
                             spdlog::logger& logger)
    : socket_(std::move(socket)),
      connection_id_(connection_id),
      options_(options),
      make_session_(std::move(make_session)),
      logger_(logger) {}

void ClientSession::Run() {
  handshake_deadline_ = Clock::now() + options_.handshake_timeout;
  if (!Authenticate()) return;
  Publish();
  logger_.debug("client {} (#{}) logged in as '{}'{}", socket_->peer(), connection_id_, user_->name,
                socket_->tls() ? " over " + socket_->TlsDescription() : "");
  std::vector<uint8_t> command;
  while (true) {
    Status s = ReadPacket(true, &command);
    if (!s.ok()) {
      if (s.code() == Status::Code::kUnavailable) break;  // the client hung up without COM_QUIT
      if (s.code() == Status::Code::kInvalidArgument) {
        SendError(kErrorPacketTooLarge, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes");
      }
      Drop(s.code() == Status::Code::kTimedOut ? "idle for longer than client_idle_timeout_seconds"
                                               : s.ToString());
      return;
    }
    if (!Serve(command)) break;
    Publish();
    if (!reply_failure_.ok()) {
      Drop("sending a reply: " + reply_failure_.ToString());
      return;
    }
  }
  logger_.debug("client {} (#{}) disconnected", socket_->peer(), connection_id_);
}

void ClientSession::Drop(const std::string& reason) {
  logger_.warn("client {} (#{}{}) disconnected: {}", socket_->peer(), connection_id_,
               user_ == nullptr ? "" : ", user '" + user_->name + "'", reason);
}

bool ClientSession::ReadHandshakeResponse(mysql::HandshakeResponse* response) {
  std::vector<uint8_t> payload;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (Status s = ReadPacket(false, &payload); !s.ok()) {
      Drop(s.code() == Status::Code::kTimedOut ? "no handshake within client_handshake_timeout_ms"
                                               : "reading the handshake: " + s.ToString());
      return false;
    }
    if (Status s = mysql::DecodeHandshakeResponse(payload, response); !s.ok()) {
      SendError(kErrorHandshake, "08S01", "Bad handshake");
      Drop("bad handshake: " + s.message());
      return false;
    }
    if (!response->ssl_request) break;
    if (!options_.tls || socket_->tls()) {
      SendError(kErrorHandshake, "08S01", "ddb's MySQL endpoint does not offer SSL; connect without it");
      Drop("asked for SSL, which is not offered");
      return false;
    }
    // The full handshake response follows inside TLS.
    if (Status s = socket_->StartTls(*options_.tls, handshake_deadline_); !s.ok()) {
      Drop(s.ToString());
      return false;
    }
  }
  if (options_.require_tls && !socket_->tls()) {
    SendError(kErrorInsecureTransport, "08004",
              "Connections using insecure transport are prohibited while --require_secure_transport=ON.");
    Drop("connected without TLS, which require_tls asks for");
    return false;
  }
  socket_->ReadAhead();  // the client can no longer turn to TLS
  return true;
}

bool ClientSession::Authenticate() {
  mysql::Greeting greeting;
  greeting.server_version = options_.server_version;
  greeting.connection_id = connection_id_;
  greeting.scramble = mysql::MakeScramble();
  if (options_.tls) greeting.capabilities |= mysql::kClientSsl;
  sequence_id_ = 0;
  if (Status s = Send(mysql::EncodeGreeting(greeting)); !s.ok()) {
    Drop("sending the greeting: " + s.ToString());
    return false;
  }
  mysql::HandshakeResponse response;
  if (!ReadHandshakeResponse(&response)) return false;
  scramble_ = greeting.scramble;
  const ClientUser* user = CheckCredentials(response);
  if (user == nullptr) return false;
  user_ = user;
  capabilities_ = response.capabilities;
  multi_statements_ = (response.capabilities & mysql::kClientMultiStatements) != 0;
  StartSession();
  // The name's bytes are in the client's character set: one that is not the
  // connection's yet is selected after it (USE), not at connect.
  const bool name_reads_the_same = response.charset == 0 || response.charset == mysql::kDefaultCharset ||
                                   std::all_of(response.database.begin(), response.database.end(),
                                               [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const std::string database_at_connect = name_reads_the_same ? response.database : "";
  if (Status s = ReachMySql(database_at_connect); !s.ok()) {
    SendError(s);
    Drop(database_at_connect.empty() || IsConnectionLost(s)
             ? "the master's MySQL is unreachable: " + s.ToString()
             : "selecting database '" + database_at_connect + "': " + s.ToString());
    return false;
  }
  if (Status s = ApplyCharset(response.charset); !s.ok()) {
    SendError(s);
    Drop("setting the character set: " + s.ToString());
    return false;
  }
  if (Status s = ApplyDatabase(database_at_connect.empty() ? response.database : ""); !s.ok()) {
    SendError(s);
    Drop("selecting database '" + response.database + "': " + s.ToString());
    return false;
  }
  SendOk();
  if (!reply_failure_.ok()) {
    Drop("sending the login's OK: " + reply_failure_.ToString());
    return false;
  }
  return true;
}

const ClientUser* ClientSession::CheckCredentials(const mysql::HandshakeResponse& response) {
  std::string token = response.auth_response;
  if (!response.auth_plugin.empty() && response.auth_plugin != mysql::kNativePasswordPlugin) {
    // A MySQL 8 client starts with caching_sha2_password: ask it for a
    // mysql_native_password answer to the same scramble instead.
    if (Status s = Send(mysql::EncodeAuthSwitch(mysql::kNativePasswordPlugin, scramble_)); !s.ok()) {
      Drop("sending the auth switch: " + s.ToString());
      return nullptr;
    }
    std::vector<uint8_t> answer;
    if (Status s = ReadPacket(false, &answer); !s.ok()) {
      Drop("reading the auth switch response: " + s.ToString());
      return nullptr;
    }
    token.assign(answer.begin(), answer.end());
  }
  const ClientUser* user = nullptr;
  for (const ClientUser& candidate : options_.users) {
    if (candidate.name == response.user) user = &candidate;
  }
  // Same answer for an unknown user and a wrong password, as MySQL gives.
  if (user == nullptr || !mysql::CheckNativePassword(token, scramble_, user->password)) {
    SendError(kErrorAccessDenied, "28000",
              "Access denied for user '" + response.user + "'@'" + socket_->host() +
                  "' (using password: " + (token.empty() ? "NO" : "YES") + ")");
    Drop("access denied for user '" + response.user + "'");
    return nullptr;
  }
  return user;
}

Status ClientSession::ApplyCharset(uint8_t charset) {
  charset_ = mysql::kDefaultCharset;
  utf8_client_ = true;
  // The session's MySQL connection speaks utf8mb4 already.
  if (charset == 0 || charset == mysql::kDefaultCharset) return Status::Ok();
  std::optional<CollationNames::Names> names;
  if (options_.collations != nullptr) names = options_.collations->Find(charset);
  if (!names) {
    // The id is one byte from the client, so the statement is fixed text.
    ExecutionResult found = session_->Execute(
        "SELECT CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLLATIONS WHERE ID = " +
        std::to_string(charset));
    if (!found.status.ok()) return found.status;
    names.emplace();
    if (!found.result.rows.empty() && found.result.rows[0][0] && found.result.rows[0][1]) {
      names->charset = *found.result.rows[0][0];
      names->collation = *found.result.rows[0][1];
    }
    if (options_.collations != nullptr) options_.collations->Remember(charset, *names);
  }
  // A collation this MariaDB does not know (MySQL 8's 255): stay with utf8mb4.
  if (names->charset.empty()) return Status::Ok();
  ExecutionResult set = session_->Execute("SET NAMES " + QuoteString(names->charset) + " COLLATE " +
                                          QuoteString(names->collation));
  if (set.status.ok()) {
    charset_ = charset;
    utf8_client_ = names->charset.starts_with("utf8");
  }
  return set.status;
}

Status ClientSession::ReachMySql(const std::string& database) { return session_->Connect(database); }

Status ClientSession::ApplyDatabase(const std::string& database) {
  if (database.empty()) return Status::Ok();
  return session_->Execute("USE " + QuoteIdentifier(database)).status;
}

bool ClientSession::Serve(const std::vector<uint8_t>& command) {
  if (command.empty()) {
    SendError(kErrorUnknownCommand, "08S01", "Unknown command");
    return true;
  }
  const std::string argument(command.begin() + 1, command.end());
  switch (command[0]) {
    case kComQuit: return false;
    case kComQuery: RunQuery(argument); return !released_;
    case kComInitDb: Reply(session_->Execute("USE " + QuoteIdentifier(argument))); break;
    case kComPing: SendOk(); break;
    case kComStatistics: SendStatistics(); break;
    case kComStmtPrepare: PrepareStatement(argument); break;
    case kComStmtExecute: ExecuteStatement(command); break;
    case kComStmtSendLongData: AppendLongData(command); break;  // no reply, as in MySQL
    case kComStmtClose: CloseStatement(command); break;         // no reply either
    case kComStmtReset: ResetStatement(command); break;
    case kComSetOption: {
      mysql::PayloadReader reader(std::span<const uint8_t>(command).subspan(1));
      uint16_t option = 0;
      if (!reader.U16(&option) || (option != kMultiStatementsOn && option != kMultiStatementsOff)) {
        SendError(kErrorUnknownCommand, "08S01", "Unknown command");
        break;
      }
      multi_statements_ = option == kMultiStatementsOn;
      SendReply({mysql::EncodeEof(ServerStatus())});  // MySQL answers COM_SET_OPTION with EOF
      break;
    }
    case kComResetConnection: {
      // A fresh session with the same database and character set, as MySQL keeps them.
      if (Status s = RestartSession(charset_, session_->current_database()); s.ok()) {
        SendOk();
      } else {
        SendError(s);
      }
      break;
    }
    case kComChangeUser: return ChangeUser(command);
    case kComFieldList: ListFields(command); break;
    default:
      // COM_STMT_FETCH, COM_BINLOG_DUMP...
      SendError(kErrorUnknownCommand, "08S01", "Unknown command");
      break;
  }
  return true;
}

void ClientSession::RunQuery(const std::string& sql) {
  if (IsBlank(sql)) {
    SendError(kErrorEmptyQuery, "42000", "Query was empty");
    return;
  }
  const std::vector<std::string_view> statements = multi_statements_ && sql.find(';') != std::string::npos
                                                       ? SplitStatements(sql, session_->lex_mode())
                                                       : std::vector<std::string_view>();
  if (statements.size() <= 1) {
    Reply(Execute(sql, ""));
    return;
  }
  // CLIENT_MULTI_STATEMENTS: each statement runs (classified, refused,
  // logged) as if sent alone, and answers with its own result; all but the
  // last say another follows. The first error ends the command, as in MySQL.
  for (size_t i = 0; i < statements.size(); ++i) {
    const ExecutionResult outcome = Execute(std::string(statements[i]), "");
    more_results_ = outcome.status.ok() && !released_ && i + 1 < statements.size();
    Reply(outcome);
    more_results_ = false;
    if (!outcome.status.ok() || released_) break;  // the connection ends after a RELEASE
  }
}

ExecutionResult ClientSession::Execute(const std::string& sql, const std::string& prepared_sql) {
  if (std::optional<ExecutionResult> killed = RunKill(sql)) return *std::move(killed);
  ExecutionResult outcome = session_->Execute(sql, prepared_sql);
  if (outcome.status.ok() && outcome.release) released_ = true;
  const bool by_slave = !outcome.answered_by.empty() && outcome.answered_by != "master";
  if (by_slave && !FillSlaveResultTypes(*session_, sql, prepared_sql, &outcome.result)) {
    // The master answers a read whose types cannot be told for sure; a
    // read runs the same there.
    outcome = session_->Execute("/* " + std::string(kMasterHint) + " */ " + sql);
  }
  if (options_.reads != nullptr && outcome.status.ok() && outcome.result.has_result_set) {
    options_.reads->Count(outcome.answered_by);
    if (outcome.answered_by == "master") options_.reads->CountFallback();  // a slave could have answered
  }
  return outcome;
}

void ClientSession::Reply(const ExecutionResult& outcome) {
  if (!outcome.status.ok()) {
    SendError(outcome.status);
    return;
  }
  SendResults(outcome.result, false);
}

uint16_t ClientSession::ServerStatus() const {
  uint16_t status = 0;
  if (session_ && session_->in_transaction()) status |= mysql::kStatusInTransaction;
  if (!session_ || session_->autocommit()) status |= mysql::kStatusAutocommit;
  if (more_results_) status |= mysql::kStatusMoreResultsExist;
  if (out_params_) status |= mysql::kStatusPsOutParams;
  return status;
}

Status ClientSession::ReadPacket(bool new_command, std::vector<uint8_t>* payload) {
  const bool authenticated = session_ != nullptr;
  const Clock::time_point deadline =
      authenticated ? Clock::now() + options_.idle_timeout : handshake_deadline_;
  const size_t max_payload = authenticated ? options_.max_packet_bytes : kMaxHandshakeBytes;
  return mysql::ReadPacket([&](uint8_t* out, size_t n) { return socket_->ReadExactly(out, n, deadline); },
                           max_payload, new_command, &sequence_id_, payload);
}

Status ClientSession::Send(const std::vector<uint8_t>& payload) { return SendAll({payload}); }

Status ClientSession::SendAll(const std::vector<std::vector<uint8_t>>& payloads) {
  // A client that stops reading its results is treated like an idle one.
  const Clock::time_point deadline = session_ ? Clock::now() + options_.idle_timeout : handshake_deadline_;
  // Packets go out in batches: few writes for small results, no second copy
  // of a large one.
  std::vector<uint8_t> batch;
  for (const auto& payload : payloads) {
    const std::vector<uint8_t> framed = mysql::FramePayload(payload, &sequence_id_);
    batch.insert(batch.end(), framed.begin(), framed.end());
    if (batch.size() >= kWriteBatchBytes) {
      if (Status s = socket_->WriteAll(batch, deadline); !s.ok()) return s;
      batch.clear();
    }
  }
  return socket_->WriteAll(batch, deadline);
}

void ClientSession::SendReply(const std::vector<std::vector<uint8_t>>& payloads) {
  if (Status s = SendAll(payloads); !s.ok() && reply_failure_.ok()) reply_failure_ = s;
}

void ClientSession::SendOk(uint64_t affected_rows, uint64_t insert_id, const std::string& info,
                           uint16_t warnings) {
  mysql::OkInfo ok;
  ok.warnings = warnings;
  ok.affected_rows = affected_rows;
  ok.insert_id = insert_id;
  ok.status = ServerStatus();
  ok.info = info;
  SendReply({mysql::EncodeOk(ok)});
}

void ClientSession::SendError(uint16_t code, const std::string& sql_state, const std::string& message) {
  SendReply({mysql::EncodeErr(code, sql_state, message)});
}

void ClientSession::SendError(const Status& status) {
  if (status.code() == Status::Code::kMySql && IsConnectionLost(status)) {
    SendError(kErrorCannotReachMySql, "HY000",
              "ddb master cannot reach its MySQL at " + options_.mysql_address + ": " + status.message());
    return;
  }
  // MySQL's own errors pass through unchanged; ddb's refusals (unsafe
  // statements, ddb_meta...) are "unknown errors" with ddb's explanation.
  if (status.code() == Status::Code::kMySql && status.mysql_error_code() > 0 &&
      status.mysql_error_code() <= 0xFFFF) {
    SendError(static_cast<uint16_t>(status.mysql_error_code()), status.sql_state(), status.message());
    return;
  }
  SendError(kErrorUnknown, "HY000", status.message());
}

}  // namespace ddb
