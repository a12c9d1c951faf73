// One replication log record: one committed transaction, or one DDL.
//
// The same body encoding is stored in the master's log table
// (ddb_meta.replication_log.body, a LONGBLOB) and shipped inside kRecord
// frames, so a record read back from the table is forwarded without
// re-encoding. seq and committed_at are table columns, hence not in the body.
//
// Body (big-endian, strings are u32 length + bytes), format 2:
//   kind u8, format u8 = 2, statement_count u32, statement*
//   statement := sql, default_database, timestamp_micros i64,
//                shared_count u32, setting_count u32, setting*
// Format 3, written only for a record that carries a LOAD DATA LOCAL file
// (so every other record stays readable by a slave that predates it), is
// format 2 with `has_file u8, [file]` after each statement's timestamp.
//   setting := name_id u8, [name when name_id is 0], value
// A statement's settings are the previous statement's first shared_count
// ones, then its own: a transaction's statements carry their session's ten
// or so settings once, not once each. Well-known names (sql_mode...) are a
// number (log_record.cpp's kSettingNames). Format 1 (written before
// protocol version 3, and still read from older log rows) has no format
// byte and no shared_count, and spells every name.
// kRecord payload:
//   seq u64, committed_at_micros i64, body
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

// One SET applied to the slave's session before a statement, e.g.
// {"sql_mode", "'STRICT_TRANS_TABLES'"}; value is an SQL literal.
struct SessionSetting {
  std::string name;
  std::string value;
  bool operator==(const SessionSetting&) const = default;
};

struct LoggedStatement {
  std::string sql;
  std::string default_database;  // USE'd before the statement on replay; empty = none
  int64_t timestamp_micros = 0;  // master's session timestamp when it ran (SET TIMESTAMP on replay)
  std::vector<SessionSetting> settings;
  // LOAD DATA LOCAL INFILE (or LOAD XML LOCAL): the file's bytes as the
  // client sent them; replay serves them when the server asks for the file.
  std::optional<std::string> local_file;
  bool operator==(const LoggedStatement&) const = default;
};

// kGap: a sequence number that was allocated but never committed (its
// transaction failed or its session died). It carries no statements; slaves
// only move their position past it, so the stream stays contiguous.
enum class RecordKind : uint8_t { kTransaction = 1, kDdl = 2, kGap = 3 };

struct LogRecord {
  uint64_t seq = 0;
  int64_t committed_at_micros = 0;  // master wall clock at commit, for lag in seconds
  RecordKind kind = RecordKind::kTransaction;
  std::vector<LoggedStatement> statements;
  bool operator==(const LogRecord&) const = default;
};

// The body format EncodeRecordBody writes (the body's second byte), and
// the one it writes when a statement carries a local file.
inline constexpr uint8_t kRecordBodyFormat = 2;
inline constexpr uint8_t kRecordBodyFormatWithFiles = 3;

// Everything except seq and committed_at: kind, format, statement count,
// statements.
std::vector<uint8_t> EncodeRecordBody(const LogRecord& record);

// Fills record->kind and record->statements (seq and committed_at are left
// alone); reads format 1 too. Rejects an unknown kind, trailing bytes,
// counts larger than the remaining bytes could hold (before reserving
// anything), and a format 2 body that shares fewer settings than it could
// (so a format 2 body re-encodes to the same bytes), and a format 3 body
// without a file (which is format 2's to write).
Status DecodeRecordBody(std::span<const uint8_t> body, LogRecord* record);

// The kRecord frame payload: seq u64, committed_at i64, then the body bytes.
std::vector<uint8_t> EncodeRecordPayload(uint64_t seq, int64_t committed_at_micros,
                                         std::span<const uint8_t> body);
Status DecodeRecordPayload(std::span<const uint8_t> payload, LogRecord* record);

}  // namespace ddb
