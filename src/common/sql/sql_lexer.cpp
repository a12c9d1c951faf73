#include "ddb/sql/sql_lexer.h"

#include <algorithm>

namespace ddb {
namespace {

constexpr std::string_view kThreeCharOperators[] = {"<=>", "->>"};
constexpr std::string_view kTwoCharOperators[] = {"<=", ">=", "<>", "!=", ":=", "||",
                                                  "&&", "<<", ">>", "->", "@@"};
// MySQL writes 5 version digits ("/*!50100"), MariaDB also 6 ("/*M!100100").
constexpr std::size_t kMaxVersionDigits = 6;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Identifier bytes: ASCII letters, digits, '_', '$' and any byte of a
// multi-byte UTF-8 character, as the server accepts for unquoted names.
bool IsIdentifierChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || IsDigit(c) || c == '_' || c == '$' || u >= 0x80;
}

// MySQL starts a "-- " comment only when a space or control character follows
// the dashes, so "1--1" is one minus minus one. End of input counts as control.
bool IsSpaceOrControl(char c) { return static_cast<unsigned char>(c) <= ' '; }

char UnescapeChar(char c) {
  switch (c) {
    case '0': return '\0';
    case 'b': return '\b';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'Z': return '\x1a';
    default: return c;
  }
}

}  // namespace

const char* TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd: return "end";
    case TokenKind::kWord: return "word";
    case TokenKind::kQuotedIdentifier: return "quoted_identifier";
    case TokenKind::kString: return "string";
    case TokenKind::kNumber: return "number";
    case TokenKind::kOperator: return "operator";
    case TokenKind::kSemicolon: return "semicolon";
    case TokenKind::kComment: return "comment";
    case TokenKind::kExecutableCommentBegin: return "executable_comment_begin";
    case TokenKind::kExecutableCommentEnd: return "executable_comment_end";
  }
  return "?";
}

SqlLexer::SqlLexer(std::string_view sql, bool keep_comments, LexMode mode)
    : mode_(mode), sql_(sql), keep_comments_(keep_comments) {}

LexMode LexModeFor(std::string_view sql_mode) {
  LexMode mode;
  std::string upper = AsciiUpper(sql_mode);
  for (char& c : upper) {
    if (c == '\'' || c == '"') c = ',';
  }
  size_t start = 0;
  while (start <= upper.size()) {
    size_t end = upper.find(',', start);
    if (end == std::string::npos) end = upper.size();
    const std::string_view flag = std::string_view(upper).substr(start, end - start);
    if (flag == "ANSI_QUOTES" || flag == "ANSI") mode.ansi_quotes = true;
    if (flag == "NO_BACKSLASH_ESCAPES") mode.backslash_escapes = false;
    start = end + 1;
  }
  return mode;
}

char SqlLexer::Peek(std::size_t ahead) const {
  return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0';
}

Token SqlLexer::Make(TokenKind kind, std::size_t begin, bool unterminated) {
  Token token;
  token.kind = kind;
  token.offset = begin;
  token.text = sql_.substr(begin, pos_ - begin);
  token.unterminated = unterminated;
  token.in_executable_comment = in_executable_comment_;
  token.raw_backslashes = kind == TokenKind::kString && !mode_.backslash_escapes;
  if (kind != TokenKind::kComment && kind != TokenKind::kEnd) previous_kind_ = kind;
  return token;
}

Token SqlLexer::Next() {
  while (true) {
    while (pos_ < sql_.size() && IsSqlSpace(sql_[pos_])) ++pos_;
    if (pos_ >= sql_.size()) {
      if (in_executable_comment_) {
        // Report the open "/*!" once, so callers know the text is incomplete.
        Token open = Make(TokenKind::kComment, pos_, /*unterminated=*/true);
        in_executable_comment_ = false;
        return open;
      }
      return Make(TokenKind::kEnd, pos_);
    }
    Token token;
    switch (LexComment(&token)) {
      case CommentResult::kNotComment: return LexToken();
      case CommentResult::kSkipped: continue;
      case CommentResult::kToken: return token;
    }
  }
}

std::size_t SqlLexer::ExecutableMarkerLength() const {
  if (Peek(0) != '/' || Peek(1) != '*') return 0;
  if (Peek(2) == '!') return 3;
  if (Peek(2) == 'M' && Peek(3) == '!') return 4;
  return 0;
}

// The version digits read as LexComment skips them.
bool SqlLexer::ForLaterServer(std::size_t marker) const {
  if (mode_.server_version == 0 || in_executable_comment_) return false;
  uint32_t version = 0;
  std::size_t digits = 0;
  for (; digits < kMaxVersionDigits && IsDigit(Peek(marker + digits)); ++digits) {
    version = version * 10 + static_cast<uint32_t>(Peek(marker + digits) - '0');
  }
  return digits > 0 && version > mode_.server_version;
}

SqlLexer::CommentResult SqlLexer::LexComment(Token* token) {
  const std::size_t begin = pos_;
  const char c = sql_[pos_];
  if (c == '#' || (c == '-' && Peek(1) == '-' && IsSpaceOrControl(Peek(2)))) {
    const std::size_t eol = sql_.find('\n', pos_);
    pos_ = eol == std::string_view::npos ? sql_.size() : eol;
    if (!keep_comments_) return CommentResult::kSkipped;
    *token = Make(TokenKind::kComment, begin);
    return CommentResult::kToken;
  }
  if (const std::size_t marker = ExecutableMarkerLength(); marker != 0 && !ForLaterServer(marker)) {
    pos_ += marker;
    for (std::size_t digits = 0; digits < kMaxVersionDigits && IsDigit(Peek(0)); ++digits) ++pos_;
    // A marker nested inside an executable comment is dropped rather than
    // hiding what follows: the first "*/" closes the outer one.
    if (in_executable_comment_ || !keep_comments_) {
      in_executable_comment_ = true;
      return CommentResult::kSkipped;
    }
    *token = Make(TokenKind::kExecutableCommentBegin, begin);
    in_executable_comment_ = true;
    return CommentResult::kToken;
  }
  if (c == '/' && Peek(1) == '*') {
    const std::size_t close = sql_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) {
      pos_ = sql_.size();
      *token = Make(TokenKind::kComment, begin, /*unterminated=*/true);
      return CommentResult::kToken;
    }
    pos_ = close + 2;
    if (!keep_comments_) return CommentResult::kSkipped;
    *token = Make(TokenKind::kComment, begin);
    return CommentResult::kToken;
  }
  if (in_executable_comment_ && c == '*' && Peek(1) == '/') {
    pos_ += 2;
    in_executable_comment_ = false;
    if (!keep_comments_) return CommentResult::kSkipped;
    *token = Make(TokenKind::kExecutableCommentEnd, begin);
    return CommentResult::kToken;
  }
  return CommentResult::kNotComment;
}

Token SqlLexer::LexToken() {
  const std::size_t begin = pos_;
  const char c = sql_[pos_];
  if (c == '"' && mode_.ansi_quotes)
    return LexQuoted(TokenKind::kQuotedIdentifier, /*backslash_escapes=*/false);
  if (c == '\'' || c == '"') return LexQuoted(TokenKind::kString, mode_.backslash_escapes);
  if (c == '`') return LexQuoted(TokenKind::kQuotedIdentifier, /*backslash_escapes=*/false);
  // After a name, ".5" is a qualifier plus a name starting with a digit ("db.5t").
  const bool after_name =
      previous_kind_ == TokenKind::kWord || previous_kind_ == TokenKind::kQuotedIdentifier;
  if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)) && !after_name)) return LexNumber();
  if (IsIdentifierChar(c)) {
    while (pos_ < sql_.size() && IsIdentifierChar(sql_[pos_])) ++pos_;
    return Make(TokenKind::kWord, begin);
  }
  if (c == ';') {
    ++pos_;
    return Make(TokenKind::kSemicolon, begin);
  }
  const std::string_view rest = sql_.substr(pos_);
  for (std::string_view op : kThreeCharOperators) {
    if (rest.starts_with(op)) {
      pos_ += op.size();
      return Make(TokenKind::kOperator, begin);
    }
  }
  for (std::string_view op : kTwoCharOperators) {
    if (rest.starts_with(op)) {
      pos_ += op.size();
      return Make(TokenKind::kOperator, begin);
    }
  }
  ++pos_;
  return Make(TokenKind::kOperator, begin);
}

Token SqlLexer::LexQuoted(TokenKind kind, bool backslash_escapes) {
  const std::size_t begin = pos_;
  const char quote = sql_[pos_++];
  while (pos_ < sql_.size()) {
    const char c = sql_[pos_];
    if (backslash_escapes && c == '\\') {
      pos_ = std::min(pos_ + 2, sql_.size());
      continue;
    }
    if (c == quote) {
      if (Peek(1) == quote) {  // a doubled quote stands for one
        pos_ += 2;
        continue;
      }
      ++pos_;
      return Make(kind, begin);
    }
    ++pos_;
  }
  return Make(kind, begin, /*unterminated=*/true);
}

Token SqlLexer::LexNumber() {
  const std::size_t begin = pos_;
  // 0x1F and 0b101; "0xg" is an identifier.
  if (Peek(0) == '0' && (Peek(1) == 'x' || Peek(1) == 'X' || Peek(1) == 'b' || Peek(1) == 'B')) {
    const bool hex = Peek(1) == 'x' || Peek(1) == 'X';
    std::size_t end = pos_ + 2;
    while (end < sql_.size() && (hex ? IsHexDigit(sql_[end]) : (sql_[end] == '0' || sql_[end] == '1'))) ++end;
    if (end > pos_ + 2 && (end == sql_.size() || !IsIdentifierChar(sql_[end]))) {
      pos_ = end;
      return Make(TokenKind::kNumber, begin);
    }
  }
  while (IsDigit(Peek(0))) ++pos_;
  bool integer_only = true;
  if (Peek(0) == '.') {
    integer_only = false;
    ++pos_;
    while (IsDigit(Peek(0))) ++pos_;
  }
  const bool signed_exponent = (Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2));
  if ((Peek(0) == 'e' || Peek(0) == 'E') && (IsDigit(Peek(1)) || signed_exponent)) {
    integer_only = false;
    pos_ += signed_exponent ? 2 : 1;
    while (IsDigit(Peek(0))) ++pos_;
  }
  // MySQL names may start with digits: "1abc" is an identifier.
  if (integer_only && pos_ < sql_.size() && IsIdentifierChar(sql_[pos_])) {
    while (pos_ < sql_.size() && IsIdentifierChar(sql_[pos_])) ++pos_;
    return Make(TokenKind::kWord, begin);
  }
  return Make(TokenKind::kNumber, begin);
}

std::vector<Token> Tokenize(std::string_view sql, bool keep_comments, LexMode mode) {
  std::vector<Token> tokens;
  // About one token per four characters of ordinary SQL: most statements
  // then allocate once (a long literal makes the guess generous, hence the cap).
  tokens.reserve(std::min<std::size_t>(sql.size() / 4 + 8, 4096));
  SqlLexer lexer(sql, keep_comments, mode);
  for (Token token = lexer.Next(); token.kind != TokenKind::kEnd; token = lexer.Next())
    tokens.push_back(token);
  return tokens;
}

bool IsOperator(const Token& token, std::string_view op) {
  return token.kind == TokenKind::kOperator && token.text == op;
}

bool IsName(const Token& token) {
  return token.kind == TokenKind::kWord || token.kind == TokenKind::kQuotedIdentifier;
}

bool IsKeyword(const Token& token, std::string_view upper_keyword) {
  if (token.kind != TokenKind::kWord || token.text.size() != upper_keyword.size()) return false;
  for (std::size_t i = 0; i < upper_keyword.size(); ++i) {
    char c = token.text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper_keyword[i]) return false;
  }
  return true;
}

bool IsSqlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view TrimSqlSpace(std::string_view text) {
  while (!text.empty() && IsSqlSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSqlSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool MayContainKeyword(std::string_view sql, std::string_view upper_keyword) {
  const auto same = [](char a, char b) { return (a >= 'a' && a <= 'z' ? a - 'a' + 'A' : a) == b; };
  return std::search(sql.begin(), sql.end(), upper_keyword.begin(), upper_keyword.end(), same) != sql.end();
}

std::string AsciiUpper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

std::string TokenValue(const Token& token) {
  if (token.kind != TokenKind::kString && token.kind != TokenKind::kQuotedIdentifier)
    return std::string(token.text);
  const char quote = token.text.front();
  std::string_view body = token.text.substr(1);
  if (!token.unterminated && !body.empty()) body.remove_suffix(1);
  const bool backslash_escapes = token.kind == TokenKind::kString && !token.raw_backslashes;
  std::string value;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (backslash_escapes && c == '\\' && i + 1 < body.size()) {
      const char next = body[++i];
      // \% and \_ keep their backslash: they matter to LIKE, as in the server.
      if (next == '%' || next == '_') value += '\\';
      value += UnescapeChar(next);
    } else if (c == quote && i + 1 < body.size() && body[i + 1] == quote) {
      value += quote;
      ++i;
    } else {
      value += c;
    }
  }
  return value;
}

}  // namespace ddb
