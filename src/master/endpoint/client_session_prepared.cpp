// ClientSession's server-side prepared statements: COM_STMT_PREPARE,
// _EXECUTE, _SEND_LONG_DATA, _CLOSE and _RESET.
//
// PREPARE asks the session's MySQL to prepare the same text (and closes it
// again): MySQL's errors and result columns are the ones a client of MySQL
// would get. ddb's lexer finds the placeholders, and both must agree on
// their number, or ddb could put a value where MySQL sees none. EXECUTE
// runs the text with the values in place through the session (classified,
// refused or logged like a COM_QUERY) and answers a read with a binary
// result set.
#include <spdlog/spdlog.h>

#include <span>

#include "call_out_params.h"
#include "client_session.h"
#include "mysql_binary_values.h"
#include "mysql_prepared_responses.h"
#include "mysql_responses.h"

namespace ddb {
namespace {

constexpr uint16_t kErrorUnknownStatement = 1243;   // ER_UNKNOWN_STMT_HANDLER, HY000
constexpr uint16_t kErrorMalformedPacket = 1835;    // ER_MALFORMED_PACKET, HY000
constexpr uint16_t kErrorTooManyStatements = 1461;  // ER_MAX_PREPARED_STMT_COUNT_REACHED, 42000
constexpr uint16_t kErrorPlaceholders = 1105;       // ER_UNKNOWN_ERROR: ddb's own refusal
// MySQL's default max_prepared_stmt_count is for the whole server; one
// client holding this many has lost track of its statements.
constexpr size_t kMaxStatementsPerClient = 16382;

std::span<const uint8_t> AfterCommandByte(const std::vector<uint8_t>& command) {
  return std::span<const uint8_t>(command).subspan(1);
}

}  // namespace

PreparedStatement* ClientSession::FindStatement(mysql::PayloadReader* reader) {
  uint32_t id = 0;
  if (!reader->U32(&id)) return nullptr;
  const auto found = statements_.find(id);
  return found == statements_.end() ? nullptr : found->second.get();
}

void ClientSession::PrepareStatement(const std::string& sql) {
  if (statements_.size() >= kMaxStatementsPerClient) {
    SendError(kErrorTooManyStatements, "42000",
              "Can't create more than max_prepared_stmt_count statements (current value: " +
                  std::to_string(kMaxStatementsPerClient) + ")");
    return;
  }
  StatementShape shape;
  if (Status s = session_->Describe(sql, &shape); !s.ok()) {
    SendError(s);
    return;
  }
  std::vector<size_t> placeholders = FindPlaceholders(sql, session_->lex_mode());
  if (placeholders.size() != shape.param_count) {
    SendError(kErrorPlaceholders, "HY000",
              "ddb finds " + std::to_string(placeholders.size()) +
                  " '?' placeholders in this statement and MySQL " + std::to_string(shape.param_count) +
                  "; it cannot be prepared through ddb");
    return;
  }
  auto statement = std::make_unique<PreparedStatement>(sql, std::move(placeholders), shape);
  // A CALL's '?' arguments that the procedure makes OUT or INOUT. When its
  // parameters cannot be read, the CALL runs as before, and MySQL's error
  // at execute says what an OUT argument must be.
  if (std::optional<CallArguments> call = ReadCallArguments(sql, session_->lex_mode());
      call && !call->lone_placeholders.empty()) {
    const mysql::LiteralStyle style{.backslash_escapes = session_->lex_mode().backslash_escapes,
                                    .utf8_text = utf8_client_};
    const ExecutionResult parameters = session_->Execute(
        ParametersQuery(*call, [&](std::string_view text) { return mysql::QuotedLiteral(text, style); }));
    if (parameters.status.ok()) statement->set_out_params(OutParamsOf(*call, parameters.result));
  }
  const uint32_t id = ++last_statement_id_;
  std::vector<std::vector<uint8_t>> reply = mysql::EncodePrepareOk(id, shape, charset_, ServerStatus());
  statements_.emplace(id, std::move(statement));
  SendReply(reply);
}

void ClientSession::ExecuteStatement(const std::vector<uint8_t>& command) {
  mysql::PayloadReader reader(AfterCommandByte(command));
  PreparedStatement* statement = FindStatement(&reader);
  if (statement == nullptr) {
    SendError(kErrorUnknownStatement, "HY000",
              "Unknown prepared statement handler given to mysqld_stmt_execute");
    return;
  }
  if (!statement->PlaceholdersStayUnder(session_->lex_mode())) {
    SendError(kErrorPlaceholders, "HY000",
              "the session's sql_mode changed where this statement's '?' placeholders are since it was "
              "prepared; prepare it again");
    return;
  }
  // The cursor flags are not honoured: the whole result comes at once,
  // which clients read as MySQL's answer when it opens no cursor.
  uint8_t flags = 0;
  uint32_t iterations = 0;
  std::string sql;
  std::string out_setup;
  Status bound = reader.U8(&flags) && reader.U32(&iterations)
                     ? statement->Bind(&reader,
                                       {.backslash_escapes = session_->lex_mode().backslash_escapes,
                                        .utf8_text = utf8_client_},
                                       &sql, &out_setup)
                     : Status::InvalidArgument("COM_STMT_EXECUTE ends before its iteration count");
  if (bound.code() == Status::Code::kMySql) {
    SendError(static_cast<uint16_t>(bound.mysql_error_code()), bound.sql_state(), bound.message());
    return;
  }
  if (!bound.ok()) {
    SendError(kErrorMalformedPacket, "HY000", "Malformed communication packet: " + bound.message());
    return;
  }
  if (!statement->out_params().empty()) {
    ExecuteCallWithOutParams(*statement, out_setup, sql);
    return;
  }
  const ExecutionResult outcome = Execute(sql, statement->sql());
  if (!outcome.status.ok()) {
    Reply(outcome);
    return;
  }
  SendResults(outcome.result, true);
}

void ClientSession::ExecuteCallWithOutParams(const PreparedStatement& statement, const std::string& setup,
                                             const std::string& sql) {
  // The SET and the read-back are ddb's own: not counted as the client's
  // reads.
  ExecutionResult variables = session_->Execute(setup);
  if (!variables.status.ok()) return Reply(variables);
  ExecutionResult outcome = Execute(sql, statement.sql());
  if (!outcome.status.ok()) return Reply(outcome);
  ExecutionResult values = session_->Execute(OutValuesQuery(statement.out_params()));
  if (!values.status.ok()) return Reply(values);
  // MySQL sends the OUT values after the body's result sets, before the
  // CALL's own OK (the last of its results).
  std::vector<QueryResult> rest = std::move(outcome.result.next_results);
  outcome.result.next_results.clear();
  std::vector<QueryResult> parts;
  parts.reserve(rest.size() + 2);
  parts.push_back(std::move(outcome.result));
  for (QueryResult& next : rest) parts.push_back(std::move(next));
  const size_t out_params_part = parts.size() - 1;
  parts.insert(parts.begin() + static_cast<std::ptrdiff_t>(out_params_part), std::move(values.result));
  QueryResult answer = std::move(parts.front());
  answer.next_results.assign(std::make_move_iterator(parts.begin() + 1),
                             std::make_move_iterator(parts.end()));
  SendResults(answer, true, out_params_part);
}

void ClientSession::AppendLongData(const std::vector<uint8_t>& command) {
  mysql::PayloadReader reader(AfterCommandByte(command));
  PreparedStatement* statement = FindStatement(&reader);
  uint16_t param = 0;
  // No reply is allowed here: bytes for an unknown statement or parameter
  // are dropped, and the execute that follows finds the value missing.
  if (statement == nullptr || !reader.U16(&param)) return;
  if (!statement->AppendLongData(param, reader.Rest())) {
    logger_.debug("client {} (#{}) sent long data for parameter {} of a statement with {}", socket_->peer(),
                  connection_id_, param, statement->param_count());
  }
}

void ClientSession::CloseStatement(const std::vector<uint8_t>& command) {
  mysql::PayloadReader reader(AfterCommandByte(command));
  uint32_t id = 0;
  if (reader.U32(&id)) statements_.erase(id);
}

void ClientSession::ResetStatement(const std::vector<uint8_t>& command) {
  mysql::PayloadReader reader(AfterCommandByte(command));
  PreparedStatement* statement = FindStatement(&reader);
  if (statement == nullptr) {
    SendError(kErrorUnknownStatement, "HY000",
              "Unknown prepared statement handler given to mysqld_stmt_reset");
    return;
  }
  statement->Reset();
  SendOk();
}

}  // namespace ddb
