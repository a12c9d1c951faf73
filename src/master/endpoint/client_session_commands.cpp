// ClientSession's COM_CHANGE_USER, COM_FIELD_LIST and COM_STATISTICS, the
// commands connection pools, older clients and monitors use besides queries.
//
// COM_CHANGE_USER checks the new credentials against the greeting's
// scramble, as MySQL does, and starts a fresh session (what was open is
// rolled back, prepared statements end) with the database and character set
// the command names. COM_FIELD_LIST describes the table's columns by having
// the session's MySQL prepare a SELECT of them (never run). StartSession:
// how every session of the client begins, with what its handshake asked for.
#include <spdlog/spdlog.h>

#include <span>

#include "client_session.h"
#include "mysql_packet.h"
#include "mysql_responses.h"

namespace ddb {
namespace {

constexpr uint16_t kErrorHandshakeOfChangeUser = 1043;  // ER_HANDSHAKE_ERROR, 08S01
constexpr uint8_t kNullDefault = 0xFB;                  // COM_FIELD_LIST's default value: NULL

}  // namespace

void ClientSession::StartSession() {
  session_ = make_session_(*user_);
  // What the client asked for in its handshake, as MySQL honours it.
  session_->CountMatchedRows((capabilities_ & mysql::kClientFoundRows) != 0);
  session_->SetLocalFileSource([this](const std::string& name, size_t limit, std::string* content) {
    return ReceiveLocalFile(name, limit, content);
  });
}

Status ClientSession::RestartSession(uint8_t charset, const std::string& database) {
  StartSession();
  statements_.clear();  // prepared statements end with the session, as in MySQL
  if (Status s = ApplyCharset(charset); !s.ok()) return s;
  return ApplyDatabase(database);
}

bool ClientSession::ChangeUser(const std::vector<uint8_t>& command) {
  mysql::HandshakeResponse response;
  if (Status s =
          mysql::DecodeChangeUser(std::span<const uint8_t>(command).subspan(1), capabilities_, &response);
      !s.ok()) {
    SendError(kErrorHandshakeOfChangeUser, "08S01", "Bad handshake");
    Drop("bad COM_CHANGE_USER: " + s.message());
    return false;
  }
  const ClientUser* user = CheckCredentials(response);
  if (user == nullptr) return false;
  logger_.debug("client {} (#{}) changed user from '{}' to '{}'", socket_->peer(), connection_id_,
                user_->name, user->name);
  user_ = user;
  if (Status s = RestartSession(response.charset != 0 ? response.charset : charset_, response.database);
      !s.ok()) {
    SendError(s);
    return true;  // logged in as the new user; the database or character set was refused, as in MySQL
  }
  SendOk();
  return true;
}

void ClientSession::SendStatistics() {
  std::string text;
  if (Status s = session_->ServerStatistics(&text); !s.ok()) {
    SendError(s);
    return;
  }
  SendReply({std::vector<uint8_t>(text.begin(), text.end())});
}

void ClientSession::ListFields(const std::vector<uint8_t>& command) {
  mysql::PayloadReader reader(std::span<const uint8_t>(command).subspan(1));
  std::string table;
  if (!reader.NulTerminated(&table)) table = reader.Rest();
  // The wildcard after the name is not applied: every column is listed
  // (the mariadb client, which sends COM_FIELD_LIST for completion, sends none).
  StatementShape shape;
  if (Status s = session_->Describe("SELECT * FROM " + QuoteIdentifier(table), &shape); !s.ok()) {
    SendError(s);
    return;
  }
  std::vector<std::vector<uint8_t>> reply;
  for (size_t i = 0; i < shape.columns.size(); ++i) {
    std::vector<uint8_t> definition = mysql::EncodeColumnDefinition(
        shape.columns[i], i < shape.column_types.size() ? shape.column_types[i] : ColumnType(), charset_);
    definition.push_back(kNullDefault);
    reply.push_back(std::move(definition));
  }
  reply.push_back(mysql::EncodeEof(ServerStatus()));
  SendReply(reply);
}

}  // namespace ddb
