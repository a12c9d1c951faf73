#include "prepared_statement.h"

namespace ddb {
namespace {

constexpr uint8_t kUnsignedParamFlag = 0x80;

// A literal put in place of a '?' must stay one token: "1-?" with -5 must
// not read "1--5", "?e1" with 5 not "5e1".
bool JoinsToken(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         c == '.' || c == '-' || c == '+' || c == '\'' || c == '"' || c == '`' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::vector<size_t> FindPlaceholders(std::string_view sql, LexMode mode) {
  std::vector<size_t> offsets;
  for (const Token& token : Tokenize(sql, false, mode)) {
    if (token.kind == TokenKind::kOperator && token.text == "?") offsets.push_back(token.offset);
  }
  return offsets;
}

PreparedStatement::PreparedStatement(std::string sql, std::vector<size_t> placeholders, StatementShape shape)
    : sql_(std::move(sql)),
      placeholders_(std::move(placeholders)),
      shape_(std::move(shape)),
      long_data_(placeholders_.size()) {}

bool PreparedStatement::AppendLongData(uint16_t param, std::string_view bytes) {
  if (param >= long_data_.size()) return false;
  if (!long_data_[param]) long_data_[param].emplace();
  long_data_[param]->append(bytes);
  return true;
}

void PreparedStatement::Reset() {
  for (auto& data : long_data_) data.reset();
}

Status PreparedStatement::Bind(mysql::PayloadReader* reader, const mysql::LiteralStyle& style,
                               std::string* sql, std::string* out_setup) {
  const size_t count = placeholders_.size();
  if (count == 0) {
    *sql = sql_;
    return Status::Ok();
  }
  std::string nulls;
  uint8_t new_params_bound = 0;
  if (!reader->Bytes((count + 7) / 8, &nulls) || !reader->U8(&new_params_bound))
    return Status::InvalidArgument("COM_STMT_EXECUTE ends before its NULL bitmap");
  if (new_params_bound == 1) {
    types_.assign(count, {});
    for (mysql::ParamType& type : types_) {
      uint8_t flags = 0;
      if (!reader->U8(&type.type) || !reader->U8(&flags))
        return Status::InvalidArgument("COM_STMT_EXECUTE ends inside its parameter types");
      type.is_unsigned = (flags & kUnsignedParamFlag) != 0;
    }
  } else if (types_.empty()) {
    return Status::InvalidArgument("COM_STMT_EXECUTE sent no parameter types, and no earlier execute did");
  }
  std::vector<std::string> literals(count);
  for (size_t i = 0; i < count; ++i) {
    // A parameter sent with COM_STMT_SEND_LONG_DATA has no value here.
    if (long_data_[i]) {
      literals[i] = mysql::BytesLiteral(*long_data_[i], types_[i], style);
    } else if ((static_cast<uint8_t>(nulls[i / 8]) >> (i % 8)) & 1) {
      literals[i] = "NULL";
    } else if (Status s = mysql::ReadParamLiteral(reader, types_[i], style, &literals[i]); !s.ok()) {
      std::string message = "parameter " + std::to_string(i + 1) + ": " + s.message();
      // A value MySQL would refuse keeps its error; anything else is a malformed packet.
      if (s.code() == Status::Code::kMySql)
        return Status::MySql(s.mysql_error_code(), s.sql_state(), message);
      return Status::InvalidArgument(std::move(message));
    }
  }
  Reset();  // long data serves one execute, as in MySQL
  if (!out_params_.empty() && out_setup != nullptr) {
    // MySQL hands an OUT parameter NULL, whatever was bound to it.
    *out_setup = "SET ";
    for (size_t k = 0; k < out_params_.size(); ++k) {
      std::string& literal = literals[out_params_[k].placeholder];
      *out_setup += (k > 0 ? ", " : "") + OutVariable(k) + " = " + (out_params_[k].in_too ? literal : "NULL");
      literal = OutVariable(k);
    }
  }
  *sql = Substitute(literals);
  return Status::Ok();
}

std::string PreparedStatement::Substitute(const std::vector<std::string>& literals) const {
  std::string text;
  size_t from = 0;
  for (size_t i = 0; i < placeholders_.size(); ++i) {
    const size_t at = placeholders_[i];
    text.append(sql_, from, at - from);
    if (at > 0 && JoinsToken(sql_[at - 1])) text += ' ';
    text += literals[i];
    if (at + 1 < sql_.size() && JoinsToken(sql_[at + 1])) text += ' ';
    from = at + 1;
  }
  text.append(sql_, from, std::string::npos);
  return text;
}

}  // namespace ddb
