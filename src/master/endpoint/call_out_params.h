// The OUT and INOUT parameters of a prepared CALL.
//
// MySQL answers a CALL run with COM_STMT_EXECUTE with one more result set
// after its body's, flagged SERVER_PS_OUT_PARAMS: one row with the values
// its OUT and INOUT parameters ended with (Connector/J's CallableStatement
// reads them there). ddb runs a prepared statement as its text with the
// values in place (prepared_statement.h), where an OUT argument must be a
// variable: each '?' that is a whole OUT or INOUT argument becomes the user
// variable @ddb_out_<n>, set before the CALL (to the bound value for
// INOUT, NULL for OUT) and read back after it.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ddb/mysql/sql_connection.h"
#include "ddb/sql/sql_lexer.h"

namespace ddb {

struct OutParam {
  size_t placeholder = 0;  // which '?' of the statement, from 0
  std::string name;        // the procedure's name for it: the column it comes back in
  bool in_too = false;     // INOUT: the bound value goes in
};

// `CALL [schema.]name(args)` as far as OUT parameters need: the procedure,
// and the arguments that are a lone '?' (argument position from 1, which
// '?' of the statement it is).
struct CallArguments {
  std::string schema;  // empty: the session's database
  std::string name;
  std::vector<std::pair<int, size_t>> lone_placeholders;
};

// nullopt when `sql` is not a CALL with an argument list.
std::optional<CallArguments> ReadCallArguments(std::string_view sql, LexMode mode);

// The query (on the master: it carries ddb's master hint) that lists the
// procedure's parameters: ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME.
// `quote` writes a string literal the session reads back as written.
std::string ParametersQuery(const CallArguments& call,
                            const std::function<std::string(std::string_view)>& quote);

// Which lone '?' arguments the procedure's parameters (ParametersQuery's
// rows) make OUT or INOUT.
std::vector<OutParam> OutParamsOf(const CallArguments& call, const QueryResult& parameters);

// "@ddb_out_<n>" for the statement's `index`-th OUT parameter. (Inline:
// prepared_statement.cpp, which the MySQL-protocol fuzzer builds alone,
// needs nothing else of this file.)
inline std::string OutVariable(size_t index) { return "@ddb_out_" + std::to_string(index + 1); }

// SELECT @ddb_out_1 AS `name`, ...: the values after the CALL.
std::string OutValuesQuery(const std::vector<OutParam>& params);

}  // namespace ddb
