// Secret redaction: the text ddb logs in place of a statement that carries a
// plain-text password.
//
// Whatever is logged is shown by the log table, the wire, /api/log and the
// dashboard, so a password typed in CREATE USER must never reach the log.
// Replacing it with the hash mysql_native_password stores gives a statement
// that does the same thing: every slave creates the same account, and the
// user logs in there with the same password. The rewrites are MySQL's binary
// log forms (MariaDB 10.11 itself rewrites only SET PASSWORD in its binlog and
// logs the others in plain text):
//
//   IDENTIFIED BY 'pw'                      -> IDENTIFIED BY PASSWORD '*HASH'
//   IDENTIFIED {VIA|WITH} mysql_native_password {USING|AS} PASSWORD('pw')
//                                           -> ... {USING|AS} '*HASH'
//   SET PASSWORD [FOR user] = PASSWORD('pw') -> SET PASSWORD [FOR user] = '*HASH'
//
// in CREATE [OR REPLACE] USER [IF NOT EXISTS], ALTER USER and GRANT (every
// account of the statement), inside executable comments too. Strings and
// comments are told apart by the SQL lexer, so 'IDENTIFIED BY' inside a
// string or a comment is left alone. A hash given by the user (IDENTIFIED BY
// PASSWORD '*...', USING '<hash>', SET PASSWORD = '<hash>') and the empty
// password are not secrets and stay as written.
//
// Refused, because ddb cannot compute what the server stores: PASSWORD('pw')
// for any other authentication plugin (ed25519, ...) and OLD_PASSWORD('pw').
// A refused statement must not be executed: once the master has run it, it
// could not be logged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/sql/sql_lexer.h"

namespace ddb {

struct SecretRedaction {
  // The statement to log: the input with every plain-text password replaced
  // by its hash, byte for byte the input when there was none.
  std::string text;
  // At least one plain-text password was replaced.
  bool found_secret = false;
  // SET PASSWORD hashes with the account's own plugin, which the text does
  // not say: '*HASH' is right only for a mysql_native_password account (an
  // ed25519 account refuses it with error 1372). One entry per rewritten SET
  // PASSWORD, the account as written after FOR ("'u'@'%'", "CURRENT_USER()"),
  // "" for the session's own account; the caller checks their plugins before
  // it executes the statement.
  std::vector<std::string> set_password_accounts;
};

// Fills `redaction` for one statement as typed. Returns Refused, with the
// reason and what to write instead (never the password), when the statement
// carries a password that cannot be logged as a hash; `redaction` is then
// left empty, so nothing of the statement can be logged by mistake.
[[nodiscard]] Status RedactSecrets(std::string_view sql, SecretRedaction* redaction);

// The same for a statement already lexed: `tokens` are Tokenize(sql) without
// comments, so their offsets index `sql`.
[[nodiscard]] Status RedactSecrets(std::string_view sql, const std::vector<Token>& tokens,
                                   SecretRedaction* redaction);

}  // namespace ddb
