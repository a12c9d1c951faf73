#include "call_out_params.h"

#include "ddb/mysql/mysql_connection.h"
#include "read_routing_rules.h"

namespace ddb {

std::optional<CallArguments> ReadCallArguments(std::string_view sql, LexMode mode) {
  const std::vector<Token> tokens = Tokenize(sql, false, mode);
  size_t i = 0;
  if (tokens.empty() || !IsKeyword(tokens[0], "CALL")) return std::nullopt;
  CallArguments call;
  if (++i >= tokens.size()) return std::nullopt;
  call.name = TokenValue(tokens[i]);
  if (i + 2 < tokens.size() && IsOperator(tokens[i + 1], ".")) {
    call.schema = call.name;
    i += 2;
    call.name = TokenValue(tokens[i]);
  }
  if (++i >= tokens.size() || !IsOperator(tokens[i], "(")) return std::nullopt;
  // Placeholders before the argument list (none in a CALL) and inside it.
  size_t placeholders_seen = 0;
  int argument = 1;
  size_t argument_tokens = 0;
  std::optional<size_t> lone;  // the argument so far is this one '?'
  int depth = 0;
  for (++i; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    const bool ends_argument = depth == 0 && (IsOperator(token, ",") || IsOperator(token, ")"));
    if (ends_argument) {
      if (lone && argument_tokens == 1) call.lone_placeholders.emplace_back(argument, *lone);
      if (IsOperator(token, ")")) break;
      ++argument;
      argument_tokens = 0;
      lone.reset();
      continue;
    }
    if (token.kind == TokenKind::kComment) continue;
    if (IsOperator(token, "(")) ++depth;
    if (IsOperator(token, ")")) --depth;
    ++argument_tokens;
    if (token.kind == TokenKind::kOperator && token.text == "?") lone = placeholders_seen++;
  }
  return call;
}

std::string ParametersQuery(const CallArguments& call,
                            const std::function<std::string(std::string_view)>& quote) {
  return "/* " + std::string(kMasterHint) +
         " */ SELECT ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME FROM information_schema.PARAMETERS"
         " WHERE SPECIFIC_SCHEMA = " +
         (call.schema.empty() ? std::string("DATABASE()") : quote(call.schema)) +
         " AND SPECIFIC_NAME = " + quote(call.name) + " AND ROUTINE_TYPE = 'PROCEDURE'";
}

std::vector<OutParam> OutParamsOf(const CallArguments& call, const QueryResult& parameters) {
  std::vector<OutParam> out;
  for (const auto& [argument, placeholder] : call.lone_placeholders) {
    for (const auto& row : parameters.rows) {
      if (row.size() < 3 || !row[0] || !row[1] || *row[0] != std::to_string(argument)) continue;
      if (*row[1] == "OUT" || *row[1] == "INOUT") {
        out.push_back({placeholder, row[2].value_or("?"), *row[1] == "INOUT"});
      }
    }
  }
  return out;
}

std::string OutValuesQuery(const std::vector<OutParam>& params) {
  std::string sql = "/* " + std::string(kMasterHint) + " */ SELECT ";
  for (size_t k = 0; k < params.size(); ++k) {
    if (k > 0) sql += ", ";
    sql += OutVariable(k) + " AS " + QuoteIdentifier(params[k].name);
  }
  return sql;
}

}  // namespace ddb
