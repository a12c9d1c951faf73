// LogWriterKey: how the log's procedures tell this ddb-master's calls from
// anyone else's.
//
// An endpoint user's own MySQL account holds EXECUTE on the log's procedures
// (log_access.h), because its session's log row must be written in its own
// transaction. Without a check, anyone who reaches the master's MySQL
// directly with such an account could call them: insert a record that every
// slave replays with its applier's rights, or delete a committed record's
// row, which a slave fed from the table would take for a gap. So every call
// carries a MAC of its arguments under a secret only ddb's own account can
// read (ddb_meta.log_key, replaced at every start of the master), and the
// procedure refuses a call whose MAC does not match (master_schema.cpp).
//
// MAC = hex(SHA-256(secret_hex || hex(SHA-256(message)))), lower-case, with
// message = "<seq>:<committed_at>:<body>" (decimal numbers, body as bytes):
// what MariaDB's SHA2() computes inside the procedure. An account sees its
// own sessions' statements (SHOW PROCESSLIST), so a call's text is not
// secret; its MAC signs that call's own arguments only, whose row exists or
// is about to, and the inner hash fixes the outer message's length, so no
// length extension reaches another body.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "ddb/mysql/sql_connection.h"

namespace ddb {

class LogWriterKey {
 public:
  // An empty secret: for log tests against fake servers, which check no MAC.
  LogWriterKey() = default;

  // Draws a new secret and stores it in ddb_meta.log_key through
  // `ddb_account` (ddb's own connection), replacing the previous run's.
  static Status Replace(SqlConnection& ddb_account, LogWriterKey* key);

  // The MAC a log procedure expects for these arguments (a procedure
  // without a body or time signs an empty body and 0).
  std::string Sign(uint64_t seq, int64_t committed_at, std::span<const uint8_t> body) const;

  // The statement a log procedure starts with: it signals unless p_mac is
  // the MAC of `message_sql` (a CONCAT of the procedure's arguments in the
  // message's form).
  static std::string RequireMacSql(std::string_view message_sql);

 private:
  explicit LogWriterKey(std::string secret_hex) : secret_hex_(std::move(secret_hex)) {}

  std::string secret_hex_;
};

}  // namespace ddb
