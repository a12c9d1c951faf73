#include "ddb/protocol/messages.h"

#include <string>
#include <utility>

#include "ddb/base/wire.h"
#include "ddb/protocol/message_decoding.h"

namespace ddb {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kProtocol: return "protocol";
    case ErrorCode::kVersionUnsupported: return "version_unsupported";
    case ErrorCode::kAuthFailed: return "auth_failed";
    case ErrorCode::kUnknownNode: return "unknown_node";
    case ErrorCode::kClusterMismatch: return "cluster_mismatch";
    case ErrorCode::kPositionPurged: return "position_purged";
    case ErrorCode::kPositionAhead: return "position_ahead";
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kTlsRequired: return "tls_required";
    case ErrorCode::kFenced: return "fenced";
  }
  return "unknown";
}

namespace {

void PutEpochStart(ByteWriter& w, const EpochStart& start) {
  w.U32(start.epoch);
  w.U64(start.first_seq);
  w.Bytes(start.node);
}

bool GetEpochStart(ByteReader& r, EpochStart* start) {
  return r.U32(&start->epoch) && r.U64(&start->first_seq) && r.Bytes(&start->node);
}

}  // namespace

std::vector<uint8_t> Encode(const Hello& m) {
  ByteWriter w;
  w.U16(m.min_version);
  w.U16(m.max_version);
  w.Bytes(m.node_name);
  w.Bytes(m.cluster_id);
  w.Bytes(m.client_nonce);
  PutEpochStart(w, m.epoch);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, Hello* out) {
  ByteReader r(payload);
  Hello m;
  if (!r.U16(&m.min_version)) return Truncated("hello", "min_version");
  if (!r.U16(&m.max_version)) return Truncated("hello", "max_version");
  if (!r.Bytes(&m.node_name)) return Truncated("hello", "node_name");
  if (!r.Bytes(&m.cluster_id)) return Truncated("hello", "cluster_id");
  if (!r.Bytes(&m.client_nonce)) return Truncated("hello", "client_nonce");
  if (!GetEpochStart(r, &m.epoch)) return Truncated("hello", "epoch");
  Status s = FinishMessage(r, "hello");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const Challenge& m) {
  ByteWriter w;
  w.U16(m.version);
  w.Bytes(m.master_name);
  w.Bytes(m.cluster_id);
  w.Bytes(m.server_nonce);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, Challenge* out) {
  ByteReader r(payload);
  Challenge m;
  if (!r.U16(&m.version)) return Truncated("challenge", "version");
  if (!r.Bytes(&m.master_name)) return Truncated("challenge", "master_name");
  if (!r.Bytes(&m.cluster_id)) return Truncated("challenge", "cluster_id");
  if (!r.Bytes(&m.server_nonce)) return Truncated("challenge", "server_nonce");
  Status s = FinishMessage(r, "challenge");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const AuthResponse& m) {
  ByteWriter w;
  w.Bytes(m.proof);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, AuthResponse* out) {
  ByteReader r(payload);
  AuthResponse m;
  if (!r.Bytes(&m.proof)) return Truncated("auth_response", "proof");
  Status s = FinishMessage(r, "auth_response");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const AuthResult& m) {
  ByteWriter w;
  w.U8(m.accepted ? 1 : 0);
  w.Bytes(m.reason);
  w.Bytes(m.master_proof);
  w.U32(static_cast<uint32_t>(m.epochs.size()));
  for (const EpochStart& start : m.epochs) PutEpochStart(w, start);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, AuthResult* out) {
  ByteReader r(payload);
  AuthResult m;
  uint8_t accepted = 0;
  if (!r.U8(&accepted)) return Truncated("auth_result", "accepted");
  // Anything but 0 or 1 is corruption, not "true": an auth decision must not
  // rest on a flipped bit.
  if (accepted > 1) {
    return Status::Corruption("auth_result message has accepted flag " + std::to_string(accepted));
  }
  m.accepted = accepted == 1;
  if (!r.Bytes(&m.reason)) return Truncated("auth_result", "reason");
  if (!r.Bytes(&m.master_proof)) return Truncated("auth_result", "master_proof");
  uint32_t epochs = 0;
  if (!r.U32(&epochs)) return Truncated("auth_result", "epoch count");
  // Each takes at least 16 bytes (epoch, first_seq, node length): the count
  // is bounded by what is left before anything is reserved.
  if (epochs > r.remaining() / 16) return Truncated("auth_result", "epochs");
  m.epochs.resize(epochs);
  for (EpochStart& start : m.epochs) {
    if (!GetEpochStart(r, &start)) return Truncated("auth_result", "epochs");
  }
  Status s = FinishMessage(r, "auth_result");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const Subscribe& m) {
  ByteWriter w;
  w.U64(m.after_seq);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, Subscribe* out) {
  ByteReader r(payload);
  Subscribe m;
  if (!r.U64(&m.after_seq)) return Truncated("subscribe", "after_seq");
  Status s = FinishMessage(r, "subscribe");
  if (s.ok()) *out = m;
  return s;
}

std::vector<uint8_t> Encode(const Ack& m) {
  ByteWriter w;
  w.U64(m.applied_seq);
  w.I64(m.applied_committed_at_micros);
  w.U8(static_cast<uint8_t>(m.applier));
  w.U64(m.error_seq);
  w.Bytes(m.error);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, Ack* out) {
  ByteReader r(payload);
  Ack m;
  uint8_t applier = 0;
  if (!r.U64(&m.applied_seq)) return Truncated("ack", "applied_seq");
  if (!r.I64(&m.applied_committed_at_micros)) return Truncated("ack", "applied_committed_at_micros");
  if (!r.U8(&applier)) return Truncated("ack", "applier");
  if (applier > static_cast<uint8_t>(ApplierReport::kStopped)) {
    return Status::Corruption("ack: unknown applier state " + std::to_string(applier));
  }
  m.applier = static_cast<ApplierReport>(applier);
  if (!r.U64(&m.error_seq)) return Truncated("ack", "error_seq");
  if (!r.Bytes(&m.error)) return Truncated("ack", "error");
  Status s = FinishMessage(r, "ack");
  if (s.ok()) *out = m;
  return s;
}

std::vector<uint8_t> Encode(const Heartbeat& m) {
  ByteWriter w;
  w.U64(m.last_seq);
  w.I64(m.sent_at_micros);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, Heartbeat* out) {
  ByteReader r(payload);
  Heartbeat m;
  if (!r.U64(&m.last_seq)) return Truncated("heartbeat", "last_seq");
  if (!r.I64(&m.sent_at_micros)) return Truncated("heartbeat", "sent_at_micros");
  Status s = FinishMessage(r, "heartbeat");
  if (s.ok()) *out = m;
  return s;
}

std::vector<uint8_t> Encode(const ErrorMessage& m) {
  ByteWriter w;
  w.U16(static_cast<uint16_t>(m.code));
  w.Bytes(m.message);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ErrorMessage* out) {
  ByteReader r(payload);
  ErrorMessage m;
  uint16_t code = 0;
  if (!r.U16(&code)) return Truncated("error", "code");
  m.code = static_cast<ErrorCode>(code);
  if (!r.Bytes(&m.message)) return Truncated("error", "message");
  Status s = FinishMessage(r, "error");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const QueryRequest& m) {
  ByteWriter w;
  w.U64(m.request_id);
  w.Bytes(m.sql);
  w.Bytes(m.database);
  w.U32(static_cast<uint32_t>(m.settings.size()));
  for (const SessionSetting& setting : m.settings) {
    w.Bytes(setting.name);
    w.Bytes(setting.value);
  }
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, QueryRequest* out) {
  ByteReader r(payload);
  QueryRequest m;
  if (!r.U64(&m.request_id)) return Truncated("query", "request_id");
  if (!r.Bytes(&m.sql)) return Truncated("query", "sql");
  if (!r.Bytes(&m.database)) return Truncated("query", "database");
  uint32_t settings = 0;
  if (!r.U32(&settings)) return Truncated("query", "settings count");
  if (settings > r.remaining() / 8) return Status::Corruption("query: settings count exceeds the payload");
  for (uint32_t i = 0; i < settings; ++i) {
    SessionSetting setting;
    if (!r.Bytes(&setting.name) || !r.Bytes(&setting.value)) return Truncated("query", "setting");
    m.settings.push_back(std::move(setting));
  }
  Status s = FinishMessage(r, "query");
  if (s.ok()) *out = std::move(m);
  return s;
}

// Rows travel as: column count, names, row count, then per cell a null flag
// and the value. Counts are checked against the bytes left before anything
// is reserved, so a hostile count cannot allocate.
namespace {

void Put(ByteWriter& w, const QueryReply& m) {
  w.U64(m.request_id);
  w.U8(m.ok ? 1 : 0);
  w.U32(m.error_code);
  w.Bytes(m.sql_state);
  w.Bytes(m.message);
  w.U32(static_cast<uint32_t>(m.columns.size()));
  for (size_t i = 0; i < m.columns.size(); ++i) {
    w.Bytes(m.columns[i]);
    w.U8(i < m.numeric.size() && m.numeric[i] ? 1 : 0);
  }
  w.U32(static_cast<uint32_t>(m.rows.size()));
  for (const auto& row : m.rows) {
    for (size_t i = 0; i < m.columns.size(); ++i) {
      const bool present = i < row.size() && row[i].has_value();
      w.U8(present ? 1 : 0);
      if (present) w.Bytes(*row[i]);
    }
  }
}

Status Get(ByteReader& r, const char* name, QueryReply* out) {
  QueryReply m;
  uint32_t column_count = 0;
  uint32_t row_count = 0;
  if (!r.U64(&m.request_id)) return Truncated(name, "request_id");
  if (Status s = GetFlag(r, name, "ok", &m.ok); !s.ok()) return s;
  if (!r.U32(&m.error_code)) return Truncated(name, "error_code");
  if (!r.Bytes(&m.sql_state)) return Truncated(name, "sql_state");
  if (!r.Bytes(&m.message)) return Truncated(name, "message");
  if (!r.U32(&column_count)) return Truncated(name, "column count");
  if (column_count > r.remaining() / 5)
    return Status::Corruption(std::string(name) + ": column count exceeds the payload");
  for (uint32_t i = 0; i < column_count; ++i) {
    std::string column;
    bool numeric = false;
    if (!r.Bytes(&column)) return Truncated(name, "column name");
    if (Status s = GetFlag(r, name, "column type", &numeric); !s.ok()) return s;
    m.columns.push_back(std::move(column));
    m.numeric.push_back(numeric);
  }
  if (!r.U32(&row_count)) return Truncated(name, "row count");
  // Every cell takes at least its one-byte null flag. Rows without columns
  // would take no bytes at all, so a count of them could be anything: there
  // are none.
  if (column_count == 0 && row_count > 0) {
    return Status::Corruption(std::string(name) + ": " + std::to_string(row_count) + " rows without columns");
  }
  if (column_count > 0 && row_count > r.remaining() / column_count) {
    return Status::Corruption(std::string(name) + ": row count exceeds the payload");
  }
  for (uint32_t row_index = 0; row_index < row_count; ++row_index) {
    std::vector<std::optional<std::string>> row;
    for (uint32_t i = 0; i < column_count; ++i) {
      bool present = false;
      if (Status s = GetFlag(r, name, "cell", &present); !s.ok()) return s;
      if (present) {
        std::string value;
        if (!r.Bytes(&value)) return Truncated(name, "cell");
        row.emplace_back(std::move(value));
      } else {
        row.emplace_back(std::nullopt);
      }
    }
    m.rows.push_back(std::move(row));
  }
  *out = std::move(m);
  return Status::Ok();
}

}  // namespace

std::vector<uint8_t> Encode(const QueryReply& m) {
  ByteWriter w;
  Put(w, m);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, QueryReply* out) {
  ByteReader r(payload);
  QueryReply m;
  if (Status s = Get(r, "query_result", &m); !s.ok()) return s;
  Status s = FinishMessage(r, "query_result");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const ForwardRequest& m) {
  ByteWriter w;
  w.U64(m.request_id);
  w.U64(m.session_id);
  w.Bytes(m.sql);
  w.Bytes(m.database);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ForwardRequest* out) {
  ByteReader r(payload);
  ForwardRequest m;
  if (!r.U64(&m.request_id)) return Truncated("forward", "request_id");
  if (!r.U64(&m.session_id)) return Truncated("forward", "session_id");
  if (!r.Bytes(&m.sql)) return Truncated("forward", "sql");
  if (!r.Bytes(&m.database)) return Truncated("forward", "database");
  Status s = FinishMessage(r, "forward");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const ForwardReply& m) {
  ByteWriter w;
  Put(w, m.result);
  w.U64(m.affected_rows);
  w.U64(m.committed_seq);
  w.U8(m.in_transaction ? 1 : 0);
  w.Bytes(m.info);
  PutStrings(w, m.warnings);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ForwardReply* out) {
  ByteReader r(payload);
  ForwardReply m;
  if (Status s = Get(r, "forward_result", &m.result); !s.ok()) return s;
  if (!r.U64(&m.affected_rows)) return Truncated("forward_result", "affected_rows");
  if (!r.U64(&m.committed_seq)) return Truncated("forward_result", "committed_seq");
  if (Status s = GetFlag(r, "forward_result", "in_transaction", &m.in_transaction); !s.ok()) return s;
  if (!r.Bytes(&m.info)) return Truncated("forward_result", "info");
  if (Status s = GetStrings(r, "forward_result", "warning", &m.warnings); !s.ok()) return s;
  Status s = FinishMessage(r, "forward_result");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const ForwardEnd& m) {
  ByteWriter w;
  w.U64(m.session_id);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ForwardEnd* out) {
  ByteReader r(payload);
  ForwardEnd m;
  if (!r.U64(&m.session_id)) return Truncated("forward_end", "session_id");
  Status s = FinishMessage(r, "forward_end");
  if (s.ok()) *out = m;
  return s;
}

std::vector<uint8_t> Encode(const HandOver& m) {
  ByteWriter w;
  w.U64(m.last_seq);
  w.U64(m.epoch);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, HandOver* out) {
  ByteReader r(payload);
  HandOver m;
  if (!r.U64(&m.last_seq)) return Truncated("hand_over", "last_seq");
  if (!r.U64(&m.epoch)) return Truncated("hand_over", "epoch");
  Status s = FinishMessage(r, "hand_over");
  if (s.ok()) *out = m;
  return s;
}

std::vector<uint8_t> Encode(const HandOverRefused& m) {
  ByteWriter w;
  w.Bytes(m.reason);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, HandOverRefused* out) {
  ByteReader r(payload);
  HandOverRefused m;
  if (!r.Bytes(&m.reason)) return Truncated("hand_over_refused", "reason");
  Status s = FinishMessage(r, "hand_over_refused");
  if (s.ok()) *out = std::move(m);
  return s;
}

}  // namespace ddb
