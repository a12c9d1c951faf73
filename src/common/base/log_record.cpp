#include "ddb/base/log_record.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <string_view>

#include "ddb/base/wire.h"

namespace ddb {
namespace {

// Format 2 puts its number right after the kind. A format 1 body has the
// high byte of its statement count there, which is 0 for any body a frame
// can carry (kMaxFramePayload is 64 MiB; a statement takes at least 20 bytes).
constexpr uint8_t kFormatShared = kRecordBodyFormat;
constexpr uint8_t kFormatFiles = kRecordBodyFormatWithFiles;

// Format 2 writes these setting names as their 1-based index in one byte
// (0: the name follows as a string): the session's settings travel with
// every record, and their names were half of a one-statement record.
// Stored records hold these numbers: only ever append to the list.
constexpr std::string_view kSettingNames[] = {
    "sql_mode",
    "time_zone",
    "character_set_client",
    "collation_connection",
    "foreign_key_checks",
    "unique_checks",
    "auto_increment_increment",
    "auto_increment_offset",
    "div_precision_increment",
    "default_storage_engine",
    "insert_id",
    "last_insert_id",
    "rand_seed1",
    "rand_seed2",
    "lc_time_names",
    "collation_server",
    "group_concat_max_len",
    "default_week_format",
    "system_versioning_asof",
    "check_constraint_checks",
    "sql_auto_is_null",
    "explicit_defaults_for_timestamp",
    "default_regex_flags",
    "max_sort_length",
    "old_mode",
    "innodb_strict_mode",
    "max_recursive_iterations",
    "old_passwords",
};
constexpr uint8_t kNamedInline = 0;

// The fewest bytes one encoded element can take: used to reject a count the
// remaining bytes could never hold, before reserving memory for it.
constexpr size_t kMinStatementSize = 4 + 4 + 8 + 4;  // sql, database, timestamp, setting count
constexpr size_t kMinSettingSize = 4 + 4;            // name, value
constexpr size_t kMinSettingSizeShared = 1 + 4;      // name id, value

Status RecordTruncated(const std::string& what) {
  return Status::Corruption("log record truncated in " + what);
}

uint8_t SettingNameId(std::string_view name) {
  for (size_t i = 0; i < std::size(kSettingNames); ++i) {
    if (kSettingNames[i] == name) return static_cast<uint8_t>(i + 1);
  }
  return kNamedInline;
}

void EncodeSetting(const SessionSetting& setting, ByteWriter* writer) {
  const uint8_t id = SettingNameId(setting.name);
  writer->U8(id);
  if (id == kNamedInline) writer->Bytes(setting.name);
  writer->Bytes(setting.value);
}

// Format 2's setting `index` of `statement` (named in errors only: this runs
// for every setting a slave applies); a name from kSettingNames written out
// is refused, as its number is its one encoding.
Status DecodeSetting(ByteReader* reader, const std::string& statement, uint32_t index,
                     SessionSetting* setting) {
  auto where = [&] { return statement + " setting " + std::to_string(index); };
  uint8_t id = 0;
  if (!reader->U8(&id)) return RecordTruncated(where());
  if (id > std::size(kSettingNames)) {
    return Status::Corruption("log record " + where() + " has unknown name number " + std::to_string(id));
  }
  if (id != kNamedInline) {
    setting->name = kSettingNames[id - 1];
  } else if (!reader->Bytes(&setting->name)) {
    return RecordTruncated(where());
  } else if (SettingNameId(setting->name) != kNamedInline) {
    return Status::Corruption("log record " + where() + " spells out " + setting->name +
                              ", which has a number");
  }
  if (!reader->Bytes(&setting->value)) return RecordTruncated(where());
  return Status::Ok();
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
Status DecodeStatement(ByteReader* reader, size_t index, uint8_t format, const LoggedStatement* previous,
                       LoggedStatement* statement) {
  const bool format_shared = format >= kFormatShared;
  const std::string where = "statement " + std::to_string(index);
  if (!reader->Bytes(&statement->sql)) return RecordTruncated(where + " sql");
  if (!reader->Bytes(&statement->default_database)) return RecordTruncated(where + " database");
  if (!reader->I64(&statement->timestamp_micros)) return RecordTruncated(where + " timestamp");
  if (format == kFormatFiles) {
    uint8_t has_file = 0;
    if (!reader->U8(&has_file)) return RecordTruncated(where + " file flag");
    if (has_file > 1)
      return Status::Corruption("log record " + where + " has file flag " + std::to_string(has_file));
    if (has_file == 1 && !reader->Bytes(&statement->local_file.emplace()))
      return RecordTruncated(where + " file");
  }
  uint32_t shared = 0;
  if (format_shared && !reader->U32(&shared)) return RecordTruncated(where + " shared setting count");
  const size_t available = previous == nullptr ? 0 : previous->settings.size();
  if (shared > available) {
    return Status::Corruption("log record " + where + " shares " + std::to_string(shared) +
                              " settings with a statement that has " + std::to_string(available));
  }
  uint32_t setting_count = 0;
  if (!reader->U32(&setting_count)) return RecordTruncated(where + " setting count");
  if (setting_count > reader->remaining() / (format_shared ? kMinSettingSizeShared : kMinSettingSize)) {
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
    if (format_shared) {
      if (Status s = DecodeSetting(reader, where, i, &setting); !s.ok()) return s;
    } else if (!reader->Bytes(&setting.name) || !reader->Bytes(&setting.value)) {
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

bool CarriesFiles(const std::vector<LoggedStatement>& statements) {
  return std::any_of(statements.begin(), statements.end(),
                     [](const LoggedStatement& statement) { return statement.local_file.has_value(); });
}

}  // namespace

std::vector<uint8_t> EncodeRecordBody(const LogRecord& record) {
  ByteWriter writer;
  writer.U8(static_cast<uint8_t>(record.kind));
  const bool files = CarriesFiles(record.statements);
  writer.U8(files ? kFormatFiles : kFormatShared);
  writer.U32(static_cast<uint32_t>(record.statements.size()));
  const std::vector<SessionSetting>* previous = nullptr;
  for (const LoggedStatement& statement : record.statements) {
    writer.Bytes(statement.sql);
    writer.Bytes(statement.default_database);
    writer.I64(statement.timestamp_micros);
    if (files) {
      writer.U8(statement.local_file ? 1 : 0);
      if (statement.local_file) writer.Bytes(*statement.local_file);
    }
    const size_t shared = previous == nullptr ? 0 : SharedPrefix(*previous, statement.settings);
    writer.U32(static_cast<uint32_t>(shared));
    writer.U32(static_cast<uint32_t>(statement.settings.size() - shared));
    for (size_t i = shared; i < statement.settings.size(); ++i) EncodeSetting(statement.settings[i], &writer);
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
  // Format 1 has no format byte (see kFormatShared): 0 stands for it.
  uint8_t format = 0;
  if (body.size() > 1 && (body[1] == kFormatShared || body[1] == kFormatFiles)) reader.U8(&format);
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
    Status s =
        DecodeStatement(&reader, i, format, statements.empty() ? nullptr : &statements.back(), &statement);
    if (!s.ok()) return s;
    statements.push_back(std::move(statement));
  }
  if (!reader.AtEnd()) {
    return Status::Corruption("log record has " + std::to_string(reader.remaining()) + " trailing bytes");
  }
  if (format == kFormatFiles && !CarriesFiles(statements)) {
    return Status::Corruption("log record is in format 3 but carries no file");
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
