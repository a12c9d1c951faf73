// SqlLexer: splits MySQL/MariaDB text into tokens the way the server does.
//
// Deciding what a statement does (statement_classifier.h) and where it ends
// (statement_splitter.h) must not be fooled by quotes and comments: a ';' or a
// keyword inside a string or comment means nothing, while the contents of an
// executable comment ("/*!50100 ... */", MariaDB's "/*M! ... */") DO run on the
// server, so they are tokenized like any other SQL. The version number of an
// executable comment is skipped and the contents are always tokenized, even when
// the number is higher than the server's: a caller that guards writes must see
// what a newer server would execute.
//
// The lexer never reads past the end of its input. A string, quoted identifier
// or comment that is still open at the end is reported (Token::unterminated),
// so callers can tell "incomplete" from "complete".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ddb {

enum class TokenKind {
  kEnd,                     // no more input; Next() keeps returning it
  kWord,                    // identifier or keyword, unquoted: SELECT, t1, 1abc, $x
  kQuotedIdentifier,        // `name` (backticks included in text; `` is a backtick)
  kString,                  // '...' or "..." (quotes included; backslash escapes, doubled quotes)
  kNumber,                  // 42, 1.5, .5, 1e-3, 0x1F, 0b101
  kOperator,                // punctuation and operators: ( ) , . = <=> := @ @@ \ ...
  kSemicolon,               // ;
  kComment,                 // a comment: reported when keep_comments, or when unterminated
  kExecutableCommentBegin,  // "/*!50100", "/*M!" (only when keep_comments)
  kExecutableCommentEnd,    // the "*/" closing an executable comment (only when keep_comments)
};

const char* TokenKindName(TokenKind kind);

// How the session's sql_mode makes the server read quotes: ANSI_QUOTES turns
// "x" into an identifier, NO_BACKSLASH_ESCAPES makes '\' an ordinary
// character. The master lexes each statement the way its session's server
// will, or a quote ending elsewhere would hide words from ddb.
struct LexMode {
  bool ansi_quotes = false;
  bool backslash_escapes = true;
  // The server's version as MariaDB numbers it (10.11.6 is 101106). An
  // executable comment for a later one ("/*!99999 ...", "/*M!999999 ...")
  // is a plain comment to that server, and so to the lexer: otherwise
  // `/*M!999999 SELECT */ DELETE FROM t` would read as a SELECT to ddb
  // and run as a DELETE. 0: unknown, every executable comment is SQL.
  uint32_t server_version = 0;
};

// The mode of a sql_mode value as @@sql_mode reads ("ANSI_QUOTES,..." or
// the combination "ANSI"; quoted or not).
LexMode LexModeFor(std::string_view sql_mode);

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;   // raw bytes of the token, a view into the lexed input
  std::size_t offset = 0;  // of text within the lexed input
  // A string, quoted identifier or comment the input ends inside of. An
  // executable comment left open is reported as an empty kComment at the end.
  bool unterminated = false;
  bool in_executable_comment = false;  // the token lies inside /*! ... */ or /*M! ... */
  bool raw_backslashes = false;        // a string lexed under NO_BACKSLASH_ESCAPES

  std::size_t end() const { return offset + text.size(); }
};

// Tokenizes one piece of text. `sql` must outlive the lexer and its tokens.
class SqlLexer {
 public:
  // With keep_comments, complete comments and executable-comment markers are
  // returned as tokens too, so that a caller can account for every byte (the
  // statement splitter needs that); otherwise they are skipped silently.
  explicit SqlLexer(std::string_view sql, bool keep_comments = false, LexMode mode = {});

  Token Next();

 private:
  enum class CommentResult { kNotComment, kSkipped, kToken };

  char Peek(std::size_t ahead) const;
  CommentResult LexComment(Token* token);
  std::size_t ExecutableMarkerLength() const;
  bool ForLaterServer(std::size_t marker) const;
  Token LexToken();
  Token LexQuoted(TokenKind kind, bool backslash_escapes);
  LexMode mode_;
  Token LexNumber();
  Token Make(TokenKind kind, std::size_t begin, bool unterminated = false);

  std::string_view sql_;
  bool keep_comments_;
  std::size_t pos_ = 0;
  bool in_executable_comment_ = false;
  TokenKind previous_kind_ = TokenKind::kEnd;  // last non-comment token, for ".5" vs "t.5"
};

// All tokens of `sql` in order, without the final kEnd.
std::vector<Token> Tokenize(std::string_view sql, bool keep_comments = false, LexMode mode = {});

// Whether `token` is the unquoted word `upper_keyword` (given in upper case),
// compared case-insensitively.
bool IsKeyword(const Token& token, std::string_view upper_keyword);

// Whether `token` is the operator `op` ("(", ".", "@@", ...).
bool IsOperator(const Token& token, std::string_view op);

// Whether `token` can name an object: a word or a quoted identifier.
bool IsName(const Token& token);

// The value a token stands for: a string without its quotes and with escapes
// resolved, a quoted identifier without backticks; other tokens as written.
std::string TokenValue(const Token& token);

// Whether `sql` contains `upper_keyword` (given in upper case) in any letter
// case: a test without lexing that no token can be that keyword when it
// fails.
bool MayContainKeyword(std::string_view sql, std::string_view upper_keyword);

// ASCII upper-casing, as SQL keywords are ASCII.
std::string AsciiUpper(std::string_view text);

// The bytes MySQL's parser skips between tokens: space, tab, newline, CR,
// form feed, vertical tab.
bool IsSqlSpace(char c);

// `text` without the IsSqlSpace bytes at either end.
std::string_view TrimSqlSpace(std::string_view text);

}  // namespace ddb
