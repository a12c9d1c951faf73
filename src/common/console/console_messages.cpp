#include "ddb/console/console_messages.h"

#include <string>
#include <utility>

#include "ddb/base/wire.h"
#include "ddb/protocol/message_decoding.h"
#include "ddb/protocol/query_reply.h"

namespace ddb {

std::vector<uint8_t> Encode(const ConsoleWelcome& m) {
  ByteWriter w;
  w.Bytes(m.node_name);
  std::vector<std::string> flat;
  for (const auto& [name, description] : m.commands) {
    flat.push_back(name);
    flat.push_back(description);
  }
  PutStrings(w, flat);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ConsoleWelcome* out) {
  ByteReader r(payload);
  ConsoleWelcome m;
  std::vector<std::string> flat;
  if (!r.Bytes(&m.node_name)) return Truncated("console_welcome", "node_name");
  if (Status s = GetStrings(r, "console_welcome", "commands", &flat); !s.ok()) return s;
  // Names and descriptions alternate: an odd count would not re-encode.
  if (flat.size() % 2 != 0) return Status::Corruption("console_welcome: a command without its description");
  for (size_t i = 0; i < flat.size(); i += 2)
    m.commands.emplace_back(std::move(flat[i]), std::move(flat[i + 1]));
  Status s = FinishMessage(r, "console_welcome");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const ConsoleStatement& m) {
  ByteWriter w;
  w.Bytes(m.sql);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ConsoleStatement* out) {
  ByteReader r(payload);
  ConsoleStatement m;
  if (!r.Bytes(&m.sql)) return Truncated("console_statement", "sql");
  Status s = FinishMessage(r, "console_statement");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const ConsoleOutcome& m) {
  ByteWriter w;
  // The QueryReply nested with its length, so its own decoder checks it.
  const std::vector<uint8_t> result = Encode(m.result);
  w.U32(static_cast<uint32_t>(result.size()));
  w.Raw(result);
  w.U64(m.affected_rows);
  w.U64(m.insert_id);
  w.Bytes(m.server_info);
  w.Bytes(m.answered_by);
  w.Bytes(m.info);
  PutStrings(w, m.warnings);
  w.Bytes(m.database);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ConsoleOutcome* out) {
  ByteReader r(payload);
  ConsoleOutcome m;
  uint32_t result_size = 0;
  std::span<const uint8_t> result;
  if (!r.U32(&result_size) || !r.Raw(result_size, &result)) return Truncated("console_outcome", "result");
  if (Status s = Decode(result, &m.result); !s.ok()) return s;
  if (!r.U64(&m.affected_rows)) return Truncated("console_outcome", "affected_rows");
  if (!r.U64(&m.insert_id)) return Truncated("console_outcome", "insert_id");
  if (!r.Bytes(&m.server_info)) return Truncated("console_outcome", "server_info");
  if (!r.Bytes(&m.answered_by)) return Truncated("console_outcome", "answered_by");
  if (!r.Bytes(&m.info)) return Truncated("console_outcome", "info");
  if (Status s = GetStrings(r, "console_outcome", "warnings", &m.warnings); !s.ok()) return s;
  if (!r.Bytes(&m.database)) return Truncated("console_outcome", "database");
  Status s = FinishMessage(r, "console_outcome");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const ConsoleCommand& m) {
  ByteWriter w;
  w.Bytes(m.name);
  w.Bytes(m.argument);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ConsoleCommand* out) {
  ByteReader r(payload);
  ConsoleCommand m;
  if (!r.Bytes(&m.name)) return Truncated("console_command", "name");
  if (!r.Bytes(&m.argument)) return Truncated("console_command", "argument");
  Status s = FinishMessage(r, "console_command");
  if (s.ok()) *out = std::move(m);
  return s;
}

std::vector<uint8_t> Encode(const ConsoleCommandOutput& m) {
  ByteWriter w;
  w.U8(m.result);
  w.Bytes(m.output);
  return w.Take();
}

Status Decode(std::span<const uint8_t> payload, ConsoleCommandOutput* out) {
  ByteReader r(payload);
  ConsoleCommandOutput m;
  if (!r.U8(&m.result)) return Truncated("console_command_output", "result");
  if (!r.Bytes(&m.output)) return Truncated("console_command_output", "output");
  Status s = FinishMessage(r, "console_command_output");
  if (s.ok()) *out = std::move(m);
  return s;
}

ConsoleOutcome MakeConsoleOutcome(ExecutionResult outcome, std::string database) {
  ConsoleOutcome m;
  m.affected_rows = outcome.result.affected_rows;
  m.insert_id = outcome.result.insert_id;
  m.server_info = std::move(outcome.result.server_info);
  m.result = MakeQueryReply(0, outcome.status, std::move(outcome.result));
  m.answered_by = std::move(outcome.answered_by);
  m.info = std::move(outcome.info);
  m.warnings = std::move(outcome.warnings);
  m.database = std::move(database);
  return m;
}

ExecutionResult OutcomeResult(ConsoleOutcome m) {
  ExecutionResult outcome;
  outcome.status = ReplyStatus(m.result);
  outcome.result = ReplyResult(std::move(m.result));
  outcome.result.affected_rows = m.affected_rows;
  outcome.result.insert_id = m.insert_id;
  outcome.result.server_info = std::move(m.server_info);
  outcome.answered_by = std::move(m.answered_by);
  outcome.info = std::move(m.info);
  outcome.warnings = std::move(m.warnings);
  return outcome;
}

uint8_t CommandResultByte(CommandResult result) {
  switch (result) {
    case CommandResult::kUnknown: return 0;
    case CommandResult::kDone: return 1;
    case CommandResult::kFailed: return 2;
  }
  return 2;
}

CommandResult CommandResultFromByte(uint8_t value) {
  switch (value) {
    case 0: return CommandResult::kUnknown;
    case 1: return CommandResult::kDone;
    default: return CommandResult::kFailed;
  }
}

}  // namespace ddb
