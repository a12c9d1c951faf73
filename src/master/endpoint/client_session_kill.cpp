// KILL at the endpoint: the ids a client knows are the endpoint's
// connection ids (the greeting's, CONNECTION_ID() is MariaDB's), so
// `KILL QUERY 7` from the mariadb client's Ctrl-C means endpoint connection
// 7. Sent to MariaDB as it is, it would end whatever MySQL thread has id 7.
#include "client_session.h"

namespace ddb {
namespace {

constexpr int kErrorNoSuchThread = 1094;  // ER_NO_SUCH_THREAD, HY000

// KILL [HARD | SOFT] [CONNECTION | QUERY] <number>: whether `tokens` are
// that, and its parts.
bool ParseKillById(const std::vector<Token>& tokens, std::string* modifier, bool* whole_connection,
                   uint64_t* id) {
  std::size_t i = 0;
  if (i >= tokens.size() || !IsKeyword(tokens[i++], "KILL")) return false;
  if (i < tokens.size() && (IsKeyword(tokens[i], "HARD") || IsKeyword(tokens[i], "SOFT"))) {
    *modifier = std::string(tokens[i++].text) + " ";
  }
  *whole_connection = true;
  if (i < tokens.size() && IsKeyword(tokens[i], "CONNECTION")) {
    ++i;
  } else if (i < tokens.size() && IsKeyword(tokens[i], "QUERY")) {
    *whole_connection = false;
    ++i;
  }
  if (i >= tokens.size() || tokens[i].kind != TokenKind::kNumber) return false;
  const std::string digits(tokens[i++].text);
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 19) return false;
  *id = std::stoull(digits);
  while (i < tokens.size() && tokens[i].kind == TokenKind::kSemicolon) ++i;
  return i == tokens.size();
}

}  // namespace

void ClientSession::Publish() {
  std::lock_guard<std::mutex> lock(published_mutex_);
  published_user_ = user_ != nullptr ? user_->name : "";
  published_thread_ = session_ ? session_->connection_id() : 0;
}

void ClientSession::Published(std::string* user, uint64_t* mysql_thread) const {
  std::lock_guard<std::mutex> lock(published_mutex_);
  *user = published_user_;
  *mysql_thread = published_thread_;
}

std::optional<ExecutionResult> ClientSession::RunKill(const std::string& sql) {
  // Every statement passes here before it is parsed for real: one without
  // the word is no KILL, and is not lexed a second time for it.
  if (!MayContainKeyword(sql, "KILL")) return std::nullopt;
  std::string modifier;
  bool whole_connection = true;
  uint64_t id = 0;
  if (!ParseKillById(Tokenize(sql, false, session_->lex_mode()), &modifier, &whole_connection, &id)) {
    return std::nullopt;
  }
  uint64_t thread = 0;
  const bool found =
      id <= UINT32_MAX && options_.find_for_kill &&
      options_.find_for_kill(static_cast<uint32_t>(id), user_->name, whole_connection, &thread);
  if (!found || thread == 0) {
    // The connection ended, belongs to another user, or never reached MySQL.
    ExecutionResult unknown;
    unknown.status = Status::MySql(kErrorNoSuchThread, "HY000", "Unknown thread id: " + std::to_string(id));
    return found ? ExecutionResult{} : unknown;
  }
  logger_.info("client {} (#{}) ends {} of connection #{} (MySQL thread {})", socket_->peer(), connection_id_,
               whole_connection ? "the session" : "the running statement", id, thread);
  ExecutionResult killed = session_->Execute(
      "KILL " + modifier + (whole_connection ? "CONNECTION " : "QUERY ") + std::to_string(thread));
  // The endpoint connection exists (and is ended, for CONNECTION); its
  // MySQL session may have gone between the statements (a session drops
  // its connection after an error that ends it), which is no error to
  // the asker.
  if (killed.status.mysql_error_code() == kErrorNoSuchThread) return ExecutionResult{};
  return killed;
}

}  // namespace ddb
