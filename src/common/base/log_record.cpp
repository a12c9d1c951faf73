#include "ddb/base/log_record.h"

#include <string>

#include "ddb/base/wire.h"

namespace ddb {
namespace {

// Format 2 puts its number right after the kind. A format 1 body has the
// high byte of its statement count there, which is 0 for any body a frame
// can carry (kMaxFramePayload is 64 MiB; a statement takes at least 20 bytes).
constexpr uint8_t kFormatShared = kRecordBodyFormat;

// The fewest bytes one encoded element can take: used to reject a count the
// remaining bytes could never hold, before reserving memory for it.
constexpr size_t kMinStatementSize = 4 + 4 + 8 + 4;  // sql, database, timestamp, setting count
constexpr size_t kMinSettingSize = 4 + 4;            // name, value

Status RecordTruncated(const std::string& what) {
  return Status::Corruption("log record truncated in " + what);
}

// How many leading settings `settings` has in common with `previous`: a
// transaction's statements share their session's settings, only the
// per-statement ones (insert_id...) at the end differ.
size_t SharedPrefix(const std::vector<SessionSetting>& previous,
                    const std::vector<SessionSetting>& settings) {
  size_t shared = 0;
  while (shared < previous.size() && shared < settings.size() && previous[shared] == settings[shared]) {
    ++shared;
  }
  return shared;
}

// `previous` is the statement before this one in the record (nullptr for
// the first); format 2 takes its first `shared` settings from it.
Status DecodeStatement(ByteReader* reader, size_t index, bool format_shared, const LoggedStatement* previous,
                       LoggedStatement* statement) {
  const std::string where = "statement " + std::to_string(index);
  if (!reader->Bytes(&statement->sql)) return RecordTruncated(where + " sql");
  if (!reader->Bytes(&statement->default_database)) return RecordTruncated(where + " database");
  if (!reader->I64(&statement->timestamp_micros)) return RecordTruncated(where + " timestamp");
  uint32_t shared = 0;
  if (format_shared && !reader->U32(&shared)) return RecordTruncated(where + " shared setting count");
  const size_t available = previous == nullptr ? 0 : previous->settings.size();
  if (shared > available) {
    return Status::Corruption("log record " + where + " shares " + std::to_string(shared) +
                              " settings with a statement that has " + std::to_string(available));
  }
  uint32_t setting_count = 0;
  if (!reader->U32(&setting_count)) return RecordTruncated(where + " setting count");
  if (setting_count > reader->remaining() / kMinSettingSize) {
    return Status::Corruption("log record " + where + " claims " + std::to_string(setting_count) +
                              " settings in " + std::to_string(reader->remaining()) + " bytes");
  }
  statement->settings.clear();
  statement->settings.reserve(shared + setting_count);
  if (shared != 0) {
    statement->settings.assign(previous->settings.begin(),
                               previous->settings.begin() + static_cast<std::ptrdiff_t>(shared));
  }
  for (uint32_t i = 0; i < setting_count; ++i) {
    SessionSetting setting;
    if (!reader->Bytes(&setting.name) || !reader->Bytes(&setting.value)) {
      return RecordTruncated(where + " setting " + std::to_string(i));
    }
    statement->settings.push_back(std::move(setting));
  }
  // The encoder shares as many as it can: one meaning, one encoding.
  if (format_shared && setting_count != 0 && shared < available &&
      previous->settings[shared] == statement->settings[shared]) {
    return Status::Corruption("log record " + where +
                              " repeats a setting it shares with the statement before it");
  }
  return Status::Ok();
}

}  // namespace

std::vector<uint8_t> EncodeRecordBody(const LogRecord& record) {
  ByteWriter writer;
  writer.U8(static_cast<uint8_t>(record.kind));
  writer.U8(kFormatShared);
  writer.U32(static_cast<uint32_t>(record.statements.size()));
  const std::vector<SessionSetting>* previous = nullptr;
  for (const LoggedStatement& statement : record.statements) {
    writer.Bytes(statement.sql);
    writer.Bytes(statement.default_database);
    writer.I64(statement.timestamp_micros);
    const size_t shared = previous == nullptr ? 0 : SharedPrefix(*previous, statement.settings);
    writer.U32(static_cast<uint32_t>(shared));
    writer.U32(static_cast<uint32_t>(statement.settings.size() - shared));
    for (size_t i = shared; i < statement.settings.size(); ++i) {
      writer.Bytes(statement.settings[i].name);
      writer.Bytes(statement.settings[i].value);
    }
    previous = &statement.settings;
  }
  return writer.Take();
}

Status DecodeRecordBody(std::span<const uint8_t> body, LogRecord* record) {
  ByteReader reader(body);
  uint8_t kind = 0;
  if (!reader.U8(&kind)) return RecordTruncated("kind");
  if (kind != static_cast<uint8_t>(RecordKind::kTransaction) &&
      kind != static_cast<uint8_t>(RecordKind::kDdl) && kind != static_cast<uint8_t>(RecordKind::kGap)) {
    return Status::Corruption("log record has unknown kind " + std::to_string(kind));
  }
  const bool format_shared = body.size() > 1 && body[1] == kFormatShared;
  uint8_t format = 0;
  if (format_shared) reader.U8(&format);
  uint32_t count = 0;
  if (!reader.U32(&count)) return RecordTruncated("statement count");
  if (kind == static_cast<uint8_t>(RecordKind::kGap) && count != 0) {
    return Status::Corruption("gap record claims " + std::to_string(count) + " statements");
  }
  if (count > reader.remaining() / kMinStatementSize) {
    return Status::Corruption("log record claims " + std::to_string(count) + " statements in " +
                              std::to_string(reader.remaining()) + " bytes");
  }
  std::vector<LoggedStatement> statements;
  statements.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    LoggedStatement statement;
    Status s = DecodeStatement(&reader, i, format_shared, statements.empty() ? nullptr : &statements.back(),
                               &statement);
    if (!s.ok()) return s;
    statements.push_back(std::move(statement));
  }
  if (!reader.AtEnd()) {
    return Status::Corruption("log record has " + std::to_string(reader.remaining()) + " trailing bytes");
  }
  // Assigned only on success so a failed decode leaves the record untouched.
  record->kind = static_cast<RecordKind>(kind);
  record->statements = std::move(statements);
  return Status::Ok();
}

std::vector<uint8_t> EncodeRecordPayload(uint64_t seq, int64_t committed_at_micros,
                                         std::span<const uint8_t> body) {
  ByteWriter writer;
  writer.U64(seq);
  writer.I64(committed_at_micros);
  writer.Raw(body);
  return writer.Take();
}

Status DecodeRecordPayload(std::span<const uint8_t> payload, LogRecord* record) {
  ByteReader reader(payload);
  uint64_t seq = 0;
  int64_t committed_at = 0;
  if (!reader.U64(&seq)) return RecordTruncated("seq");
  if (!reader.I64(&committed_at)) return RecordTruncated("commit time");
  std::span<const uint8_t> body;
  reader.Raw(reader.remaining(), &body);
  Status s = DecodeRecordBody(body, record);
  if (!s.ok()) return Status::Corruption("record " + std::to_string(seq) + ": " + s.message());
  record->seq = seq;
  record->committed_at_micros = committed_at;
  return Status::Ok();
}

}  // namespace ddb
