#include "ddb/sql/secret_redaction.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "ddb/sql/password_hash.h"

namespace ddb {
namespace {

// Plugin names compare case-insensitively in the server.
constexpr std::string_view kNativePluginUpper = "MYSQL_NATIVE_PASSWORD";

// The bytes [begin, end) of the statement and what is logged in their place.
struct Replacement {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

// A hash holds only '*', digits and A-F: no sql_mode reads it otherwise.
std::string QuotedHash(std::string_view password) { return "'" + NativePasswordHash(password) + "'"; }

// Walks the tokens of one statement, finds where the grammar
// (sql/sql_yacc.yy: grant_user, opt_auth_str, text_or_password) puts a
// plain-text password, and collects the replacements.
class Redactor {
 public:
  Redactor(std::string_view sql, const std::vector<Token>& tokens) : sql_(sql), tokens_(tokens) {}

  Status Run(SecretRedaction* redaction) {
    for (const Token& token : tokens_) {
      // An unclosed string may be a password the server would read further
      // than the lexer did; such a statement cannot succeed anyway.
      if (token.unterminated) {
        return Status::Refused("the statement ends inside a string, quoted name or comment");
      }
    }
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (IsWord(i, "IDENTIFIED")) {
        if (Status s = RedactIdentified(i); !s.ok()) return s;
      }
    }
    const std::size_t start = StatementStart();
    for (std::size_t i = start; i < tokens_.size(); ++i) {
      if (!IsWord(i, "SET") || (i != start && !BeginsProgramStatement(i))) continue;
      if (Status s = RedactSetItems(i + 1); !s.ok()) return s;
    }
    redaction->found_secret = !replacements_.empty();
    redaction->set_password_accounts = std::move(set_password_accounts_);
    redaction->text = Apply();
    return Status::Ok();
  }

 private:
  bool IsWord(std::size_t i, std::string_view upper_keyword) const {
    return i < tokens_.size() && IsKeyword(tokens_[i], upper_keyword);
  }
  bool IsOperator(std::size_t i, std::string_view op) const {
    return i < tokens_.size() && tokens_[i].kind == TokenKind::kOperator && tokens_[i].text == op;
  }
  bool IsString(std::size_t i) const { return i < tokens_.size() && tokens_[i].kind == TokenKind::kString; }
  bool IsEqualSign(std::size_t i) const { return IsOperator(i, "=") || IsOperator(i, ":="); }
  bool IsStatementEnd(std::size_t i) const {
    return i >= tokens_.size() || tokens_[i].kind == TokenKind::kSemicolon;
  }

  // FUNCTION ( 'string' ) at i: the grammar takes exactly one string literal
  // there (TEXT_STRING), so anything else is a syntax error on the server.
  bool IsPasswordCall(std::size_t i, std::string_view upper_function) const {
    return IsWord(i, upper_function) && IsOperator(i + 1, "(") && IsString(i + 2) && IsOperator(i + 3, ")");
  }

  // The first token of the statement proper: after SET STATEMENT ... FOR.
  std::size_t StatementStart() const {
    if (!IsWord(0, "SET") || !IsWord(1, "STATEMENT")) return 0;
    int depth = 0;
    for (std::size_t i = 2; !IsStatementEnd(i); ++i) {
      if (IsOperator(i, "(")) ++depth;
      if (IsOperator(i, ")")) --depth;
      if (depth == 0 && IsWord(i, "FOR")) return i + 1;
    }
    return tokens_.size();
  }

  // IDENTIFIED at i. Anything but the auth forms is left alone: IDENTIFIED is
  // not reserved, so it may be a column ("GROUP BY identified WITH ROLLUP").
  Status RedactIdentified(std::size_t i) {
    if (IsWord(i + 1, "BY")) {
      // BY PASSWORD '<hash>' is a hash already.
      if (!IsString(i + 2)) return Status::Ok();
      const std::string password = TokenValue(tokens_[i + 2]);
      if (!password.empty()) Replace(i + 2, i + 2, "PASSWORD " + QuotedHash(password));
      return Status::Ok();
    }
    if (IsWord(i + 1, "VIA") || IsWord(i + 1, "WITH")) return RedactAuthChain(i + 2);
    return Status::Ok();
  }

  // plugin [{USING|AS} {'auth string'|PASSWORD('pw')}] [OR plugin ...] at i.
  Status RedactAuthChain(std::size_t i) {
    for (;;) {
      if (i >= tokens_.size()) return Status::Ok();
      const Token& plugin = tokens_[i];
      if (plugin.kind != TokenKind::kWord && plugin.kind != TokenKind::kQuotedIdentifier &&
          plugin.kind != TokenKind::kString) {
        return Status::Ok();
      }
      std::size_t next = i + 1;
      if (IsWord(next, "USING") || IsWord(next, "AS")) {
        if (IsPasswordCall(next + 1, "PASSWORD")) {
          const std::string plugin_name = TokenValue(plugin);
          if (AsciiUpper(plugin_name) != kNativePluginUpper) {
            return Status::Refused("IDENTIFIED VIA " + plugin_name +
                                   " USING PASSWORD(...) cannot be logged without its plain-text password "
                                   "(ddb logs the hash the server stores instead, and computes it for "
                                   "mysql_native_password only); create the user with IDENTIFIED BY "
                                   "(mysql_native_password) or give the hash: IDENTIFIED VIA " +
                                   plugin_name + " USING '<hash>'");
          }
          if (Status s = ReplacePasswordCall(next + 1); !s.ok()) return s;
          next += 5;  // USING PASSWORD ( 'pw' )
        } else {
          next += 2;  // USING 'auth string': the plugin's own hash or setting
        }
      }
      if (!IsWord(next, "OR")) return Status::Ok();
      i = next + 1;
    }
  }

  // Whether the token at i starts a statement of a program body (a
  // procedure, function, trigger, event or compound statement): it follows
  // a ';', a label or a keyword after which the grammar wants a statement.
  // Not UPDATE's SET, which follows a table name or alias.
  bool BeginsProgramStatement(std::size_t i) const {
    if (i == 0) return false;
    const std::size_t before = i - 1;
    if (tokens_[before].kind == TokenKind::kSemicolon || IsOperator(before, ":")) return true;
    for (std::string_view keyword : {"BEGIN", "ATOMIC", "THEN", "ELSE", "DO", "LOOP", "REPEAT", "ROW"}) {
      if (IsWord(before, keyword)) return true;
    }
    return false;
  }

  // The items of SET ..., from `first`: PASSWORD [FOR user] = ... is one kind
  // of item (sql_yacc.yy: option_value_no_option_type), so it may follow
  // others ("SET @a = 1, PASSWORD = PASSWORD('pw')"). Only a SET that starts
  // a statement (the whole one, or one in a program body) is looked at: in
  // "UPDATE t SET password = PASSWORD('pw')" password is a column.
  Status RedactSetItems(std::size_t first) {
    int depth = 0;
    bool item_start = true;
    for (std::size_t i = first; !IsStatementEnd(i); ++i) {
      if (IsOperator(i, "(")) ++depth;
      if (IsOperator(i, ")")) --depth;
      if (depth == 0 && IsOperator(i, ",")) {
        item_start = true;
        continue;
      }
      if (item_start && IsWord(i, "PASSWORD") && !IsOperator(i + 1, "(")) {
        if (Status s = RedactSetPassword(i); !s.ok()) return s;
      }
      item_start = false;
    }
    return Status::Ok();
  }

  // PASSWORD [FOR user] {=|:=} {'hash'|PASSWORD('pw')|OLD_PASSWORD('pw')} at i.
  Status RedactSetPassword(std::size_t i) {
    std::size_t equal_sign = i + 1;
    std::string account;
    if (IsWord(i + 1, "FOR")) {
      // A user is a name, name@host or CURRENT_USER[()]: no '=' in it.
      while (!IsStatementEnd(equal_sign) && !IsEqualSign(equal_sign)) ++equal_sign;
      if (IsStatementEnd(equal_sign) || equal_sign == i + 2) return Status::Ok();
      const std::size_t begin = tokens_[i + 2].offset;
      account = std::string(TrimSqlSpace(sql_.substr(begin, tokens_[equal_sign - 1].end() - begin)));
    }
    if (!IsEqualSign(equal_sign)) return Status::Ok();
    const std::size_t value = equal_sign + 1;
    if (IsPasswordCall(value, "OLD_PASSWORD")) {
      return Status::Refused(
          "SET PASSWORD = OLD_PASSWORD(...) cannot be logged without its plain-text password (ddb logs the "
          "hash the server stores instead, and computes it for mysql_native_password only); write "
          "PASSWORD(...), or give the hash: SET PASSWORD = '<hash>'");
    }
    if (!IsPasswordCall(value, "PASSWORD") || TokenValue(tokens_[value + 2]).empty()) return Status::Ok();
    if (Status s = ReplacePasswordCall(value); !s.ok()) return s;
    set_password_accounts_.push_back(std::move(account));
    return Status::Ok();
  }

  // PASSWORD ( 'pw' ) at i becomes '*HASH'.
  Status ReplacePasswordCall(std::size_t i) {
    // Removing a span that starts inside an executable comment and ends
    // outside it (or the reverse) would drop one of the comment's markers.
    if (tokens_[i].in_executable_comment != tokens_[i + 3].in_executable_comment) {
      return Status::Refused(
          "PASSWORD(...) is split by an executable comment (/*! ... */); write it in one piece");
    }
    const std::string password = TokenValue(tokens_[i + 2]);
    if (!password.empty()) Replace(i, i + 3, QuotedHash(password));
    return Status::Ok();
  }

  void Replace(std::size_t first_token, std::size_t last_token, std::string text) {
    replacements_.push_back({tokens_[first_token].offset, tokens_[last_token].end(), std::move(text)});
  }

  std::string Apply() {
    std::sort(replacements_.begin(), replacements_.end(),
              [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
    std::string text;
    std::size_t copied = 0;
    for (const Replacement& replacement : replacements_) {
      text.append(sql_.substr(copied, replacement.begin - copied));
      text.append(replacement.text);
      copied = replacement.end;
    }
    text.append(sql_.substr(copied));
    return text;
  }

  std::string_view sql_;
  const std::vector<Token>& tokens_;
  std::vector<Replacement> replacements_;
  std::vector<std::string> set_password_accounts_;
};

}  // namespace

Status RedactSecrets(std::string_view sql, SecretRedaction* redaction) {
  return RedactSecrets(sql, Tokenize(sql), redaction);
}

Status RedactSecrets(std::string_view sql, const std::vector<Token>& tokens, SecretRedaction* redaction) {
  *redaction = SecretRedaction{};
  return Redactor(sql, tokens).Run(redaction);
}

}  // namespace ddb
