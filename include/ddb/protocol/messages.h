// Payloads of every frame type except kRecord (see log_record.h).
//
// Each message has an Encode/Decode pair. Decode checks every length against
// the bytes left, rejects trailing bytes, and fills `out` only on success; it
// checks syntax only; what a field's value means (a version range the master
// cannot serve, an unknown node) is the caller's decision. Field order on the
// wire is the declaration order; docs/protocol.md gives the grammar.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ddb/base/epochs.h"
#include "ddb/base/log_record.h"
#include "ddb/base/status.h"
#include "ddb/protocol/frame.h"

namespace ddb {

// slave -> master, first frame on a link.
struct Hello {
  uint16_t min_version = kProtocolVersion;
  uint16_t max_version = kProtocolVersion;
  std::string node_name;
  std::string cluster_id;  // empty if the slave has never joined
  std::string client_nonce;
  // The newest epoch the slave knows (epoch 0: none yet). A master in an
  // older epoch learns from it that it was replaced (fencing).
  EpochStart epoch;
};

// master -> slave: the version chosen and the master's half of the challenge.
struct Challenge {
  uint16_t version = kProtocolVersion;
  std::string master_name;
  std::string cluster_id;
  std::string server_nonce;
};

// slave -> master: SlaveProof(...) from auth.h.
struct AuthResponse {
  std::string proof;
};

// master -> slave. master_proof (MasterProof(...)) lets the slave check that
// the master knows the secret too, so a fake master cannot feed it records.
struct AuthResult {
  bool accepted = false;
  std::string reason;
  std::string master_proof;
  // The master's epoch history (accepted only): the slave checks that its
  // own log is a prefix of the master's before it subscribes.
  std::vector<EpochStart> epochs;
};

// slave -> master: "send everything after this seq".
struct Subscribe {
  uint64_t after_seq = 0;
};

// What a slave's applier is doing, reported in every Ack.
enum class ApplierReport : uint8_t {
  kRunning = 0,
  kMySqlDown = 1,  // retrying its MySQL connection
  kStopped = 2,    // stopped on a record that failed; error_seq/error say which and why
};

// slave -> master, asynchronous, cumulative: everything up to applied_seq is
// committed on the slave. Sent when the position or the applier's state
// moves, and every heartbeat interval otherwise, so it doubles as the slave's
// heartbeat.
struct Ack {
  uint64_t applied_seq = 0;
  int64_t applied_committed_at_micros = 0;  // master commit time of applied_seq
  ApplierReport applier = ApplierReport::kRunning;
  uint64_t error_seq = 0;
  std::string error;  // statement and MySQL error, when stopped
};

// Both directions: keeps idle links alive and carries positions for lag.
struct Heartbeat {
  uint64_t last_seq = 0;
  int64_t sent_at_micros = 0;
};

enum class ErrorCode : uint16_t {
  kProtocol = 1,
  kVersionUnsupported = 2,
  kAuthFailed = 3,
  kUnknownNode = 4,
  kClusterMismatch = 5,
  kPositionPurged = 6,
  kPositionAhead = 7,
  kInternal = 8,
  kTlsRequired = 9,  // sent in plain text to a plain peer on a port that speaks TLS only
  kFenced = 10,      // the slave knows a newer epoch: this master was replaced
};

// "protocol", "version_unsupported", ...; "unknown" otherwise.
const char* ErrorCodeName(ErrorCode code);

// Either direction, just before the sender closes the link. Decode accepts
// codes it does not know (a newer peer may send them) so the message text
// still reaches the log.
struct ErrorMessage {
  ErrorCode code = ErrorCode::kProtocol;
  std::string message;
};

// master -> slave: run one read-only statement on the slave's MySQL.
struct QueryRequest {
  uint64_t request_id = 0;
  std::string sql;
  std::string database;                  // USE'd first when not empty
  std::vector<SessionSetting> settings;  // the asking session's variables (sql_mode, time_zone...)
};

// slave -> master: the answer to QueryRequest `request_id`.
struct QueryReply {
  uint64_t request_id = 0;
  bool ok = false;
  uint32_t error_code = 0;  // MySQL error code when !ok (0: not a MySQL error)
  std::string sql_state;
  std::string message;
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column, for right-aligned display
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// slave -> master: a statement typed at the slave's console that the master
// runs, logs and replicates as any of its own writes (forward_writes).
// Statements of one console session share one session on the master.
struct ForwardRequest {
  uint64_t request_id = 0;
  uint64_t session_id = 0;  // the slave console's session
  std::string sql;
  std::string database;  // the console's current database, USE'd first when it differs
};

// master -> slave: the answer to ForwardRequest `request_id`.
struct ForwardReply {
  QueryReply result;  // request_id, outcome, and rows for reads inside a forwarded transaction
  uint64_t affected_rows = 0;
  uint64_t committed_seq = 0;   // record the statement committed (0: none); the slave waits to apply it
  bool in_transaction = false;  // the master session has a transaction open
  std::string info;
  std::vector<std::string> warnings;
};

// slave -> master: the slave console session `session_id` ended (an attached
// console left): the master ends its session, rolling back what is open.
struct ForwardEnd {
  uint64_t session_id = 0;
};

// master -> slave, planned switchover (docs/failover.md): this master takes
// no more writes, and `last_seq` is its last record, which this slave has
// applied; the slave becomes the master of the epoch after `epoch`, whose
// first record is last_seq + 1. The master waits to hear it answer as the
// master (its /health) and then follows it.
struct HandOver {
  uint64_t last_seq = 0;
  uint64_t epoch = 0;  // the master's current epoch
};

// slave -> master: the slave will not take over (it lacks a master config,
// or has not applied last_seq); the master takes writes again.
struct HandOverRefused {
  std::string reason;
};

std::vector<uint8_t> Encode(const HandOver& m);
Status Decode(std::span<const uint8_t> payload, HandOver* out);
std::vector<uint8_t> Encode(const HandOverRefused& m);
Status Decode(std::span<const uint8_t> payload, HandOverRefused* out);
std::vector<uint8_t> Encode(const ForwardEnd& m);
Status Decode(std::span<const uint8_t> payload, ForwardEnd* out);
std::vector<uint8_t> Encode(const QueryRequest& m);
std::vector<uint8_t> Encode(const QueryReply& m);
std::vector<uint8_t> Encode(const ForwardRequest& m);
std::vector<uint8_t> Encode(const ForwardReply& m);
Status Decode(std::span<const uint8_t> payload, ForwardRequest* out);
Status Decode(std::span<const uint8_t> payload, ForwardReply* out);
Status Decode(std::span<const uint8_t> payload, QueryRequest* out);
Status Decode(std::span<const uint8_t> payload, QueryReply* out);

std::vector<uint8_t> Encode(const Hello& m);
std::vector<uint8_t> Encode(const Challenge& m);
std::vector<uint8_t> Encode(const AuthResponse& m);
std::vector<uint8_t> Encode(const AuthResult& m);
std::vector<uint8_t> Encode(const Subscribe& m);
std::vector<uint8_t> Encode(const Ack& m);
std::vector<uint8_t> Encode(const Heartbeat& m);
std::vector<uint8_t> Encode(const ErrorMessage& m);

Status Decode(std::span<const uint8_t> payload, Hello* out);
Status Decode(std::span<const uint8_t> payload, Challenge* out);
Status Decode(std::span<const uint8_t> payload, AuthResponse* out);
Status Decode(std::span<const uint8_t> payload, AuthResult* out);
Status Decode(std::span<const uint8_t> payload, Subscribe* out);
Status Decode(std::span<const uint8_t> payload, Ack* out);
Status Decode(std::span<const uint8_t> payload, Heartbeat* out);
Status Decode(std::span<const uint8_t> payload, ErrorMessage* out);

}  // namespace ddb
