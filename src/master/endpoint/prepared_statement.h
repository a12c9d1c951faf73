// PreparedStatement: one server-side prepared statement of an endpoint
// client (COM_STMT_PREPARE ... COM_STMT_CLOSE).
//
// It keeps the statement's text and where its '?' placeholders are, as the
// session's server reads them (a '?' in a string or comment is none). Each
// COM_STMT_EXECUTE binds values to them, and the statement runs as its text
// with every '?' replaced by its value as an SQL literal: the session
// classifies, checks and logs it like any text statement, so the log holds
// the values, never a bare EXECUTE. Parameter types are remembered from the
// execute that last sent them, as MySQL does; values sent with
// COM_STMT_SEND_LONG_DATA are used by the next execute, then dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "call_out_params.h"
#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/sql/sql_lexer.h"
#include "mysql_binary_values.h"
#include "mysql_packet.h"

namespace ddb {

// Offsets of the '?' placeholders in `sql`, read under `mode`.
std::vector<size_t> FindPlaceholders(std::string_view sql, LexMode mode);

class PreparedStatement {
 public:
  // `placeholders` as FindPlaceholders gives them; `shape` what MySQL
  // answered when it prepared the same text.
  PreparedStatement(std::string sql, std::vector<size_t> placeholders, StatementShape shape);

  // Whether the placeholders are where they were at prepare when the text
  // is read under `mode` (the session's sql_mode may have changed since:
  // NO_BACKSLASH_ESCAPES can move a '?' into or out of a string).
  bool PlaceholdersStayUnder(LexMode mode) const { return FindPlaceholders(sql_, mode) == placeholders_; }

  const StatementShape& shape() const { return shape_; }
  const std::string& sql() const { return sql_; }
  size_t param_count() const { return placeholders_.size(); }

  // COM_STMT_SEND_LONG_DATA: more bytes of parameter `param`. False when
  // there is no such parameter.
  bool AppendLongData(uint16_t param, std::string_view bytes);
  // COM_STMT_RESET: drops what COM_STMT_SEND_LONG_DATA sent.
  void Reset();

  // Reads COM_STMT_EXECUTE's parameters (NULL bitmap, new-params-bound
  // flag, types, values) from `reader`, placed after the iteration count,
  // and gives the statement's text with its values in place. With OUT
  // parameters (set_out_params), theirs are variables instead and
  // `out_setup` the SET that gives those their values first. Malformed
  // parameters are kInvalidArgument saying what is wrong.
  Status Bind(mysql::PayloadReader* reader, const mysql::LiteralStyle& style, std::string* sql,
              std::string* out_setup = nullptr);

  // A CALL's '?' that are OUT or INOUT arguments (call_out_params.h).
  void set_out_params(std::vector<OutParam> params) { out_params_ = std::move(params); }
  const std::vector<OutParam>& out_params() const { return out_params_; }

 private:
  std::string Substitute(const std::vector<std::string>& literals) const;

  const std::string sql_;
  const std::vector<size_t> placeholders_;
  const StatementShape shape_;
  std::vector<mysql::ParamType> types_;  // as last sent; empty until the first execute sends them
  std::vector<std::optional<std::string>> long_data_;
  std::vector<OutParam> out_params_;
};

}  // namespace ddb
