#include "ddb/base/log_record.h"

#include "ddb/base/wire.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/endian/conversion.hpp>

namespace ddb {
namespace {

LogRecord SampleRecord() {
  LogRecord record;
  record.seq = 42;
  record.committed_at_micros = 1'700'000'000'123'456;
  record.kind = RecordKind::kTransaction;

  LoggedStatement insert;
  insert.sql = "INSERT INTO t VALUES (1, 'héllo wörld ✓ 日本語')";
  insert.default_database = "shop";
  insert.timestamp_micros = 1'700'000'000'000'001;
  insert.settings = {{"sql_mode", "'STRICT_TRANS_TABLES'"}, {"time_zone", "'+00:00'"}};
  record.statements.push_back(insert);

  LoggedStatement binary;
  static constexpr char kBinarySql[] = "INSERT INTO b VALUES (_binary'\0\x01\xff\xfe')";
  binary.sql = std::string(kBinarySql, sizeof(kBinarySql) - 1);
  binary.timestamp_micros = -1;
  record.statements.push_back(binary);
  return record;
}

TEST(LogRecordTest, BodyRoundTripsKindAndStatements) {
  const LogRecord original = SampleRecord();
  const std::vector<uint8_t> body = EncodeRecordBody(original);
  LogRecord decoded;
  ASSERT_TRUE(DecodeRecordBody(body, &decoded).ok());
  EXPECT_EQ(decoded.kind, original.kind);
  EXPECT_EQ(decoded.statements, original.statements);
  EXPECT_EQ(decoded.statements[1].sql.size(), 36u);  // embedded NUL survived
  EXPECT_EQ(decoded.seq, 0u);                        // not part of the body
}

TEST(LogRecordTest, PayloadRoundTripsWholeRecord) {
  const LogRecord original = SampleRecord();
  const std::vector<uint8_t> body = EncodeRecordBody(original);
  const std::vector<uint8_t> payload = EncodeRecordPayload(original.seq, original.committed_at_micros, body);
  EXPECT_EQ(payload.size(), 16 + body.size());
  LogRecord decoded;
  ASSERT_TRUE(DecodeRecordPayload(payload, &decoded).ok());
  EXPECT_EQ(decoded, original);
}

TEST(LogRecordTest, DdlWithNoSettingsRoundTrips) {
  LogRecord original;
  original.seq = 1;
  original.kind = RecordKind::kDdl;
  original.statements.push_back({"CREATE TABLE t (id INT PRIMARY KEY)", "shop", 5, {}});
  LogRecord decoded;
  ASSERT_TRUE(DecodeRecordPayload(EncodeRecordPayload(1, 0, EncodeRecordBody(original)), &decoded).ok());
  EXPECT_EQ(decoded, original);
}

TEST(LogRecordTest, TruncatedAtEveryLengthFailsCleanly) {
  const LogRecord original = SampleRecord();
  const std::vector<uint8_t> payload =
      EncodeRecordPayload(original.seq, original.committed_at_micros, EncodeRecordBody(original));
  for (size_t n = 0; n < payload.size(); ++n) {
    LogRecord decoded;
    Status s = DecodeRecordPayload(std::span<const uint8_t>(payload.data(), n), &decoded);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "prefix of " << n << " bytes";
  }
}

TEST(LogRecordTest, TrailingBytesAreRejected) {
  std::vector<uint8_t> body = EncodeRecordBody(SampleRecord());
  body.push_back(0);
  LogRecord decoded;
  Status s = DecodeRecordBody(body, &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("trailing"), std::string::npos) << s.message();
}

TEST(LogRecordTest, UnknownKindIsRejected) {
  for (uint8_t kind : {0, 4, 0xff}) {
    std::vector<uint8_t> body = EncodeRecordBody(SampleRecord());
    body[0] = kind;
    LogRecord decoded;
    Status s = DecodeRecordBody(body, &decoded);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << int{kind};
    EXPECT_NE(s.message().find("unknown kind"), std::string::npos) << s.message();
  }
}

TEST(LogRecordTest, GapRoundTripsWithoutStatements) {
  LogRecord gap;
  gap.kind = RecordKind::kGap;
  LogRecord decoded;
  ASSERT_TRUE(DecodeRecordBody(EncodeRecordBody(gap), &decoded).ok());
  EXPECT_EQ(decoded.kind, RecordKind::kGap);
  EXPECT_TRUE(decoded.statements.empty());
}

TEST(LogRecordTest, GapWithStatementsIsRejected) {
  LogRecord record = SampleRecord();
  std::vector<uint8_t> body = EncodeRecordBody(record);
  body[0] = static_cast<uint8_t>(RecordKind::kGap);
  LogRecord decoded;
  const Status s = DecodeRecordBody(body, &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("gap record claims 2 statements"), std::string::npos) << s.ToString();
}

TEST(LogRecordTest, HugeStatementCountIsRejectedWithoutAllocating) {
  // kind, count = 4 billion, then nothing: reserving that many statements
  // would throw or exhaust memory, so the count must be checked first.
  const std::vector<uint8_t> body = {1, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
  LogRecord decoded;
  Status s = DecodeRecordBody(body, &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("claims 4294967295 statements"), std::string::npos) << s.message();
}

TEST(LogRecordTest, HugeSettingCountIsRejectedWithoutAllocating) {
  LogRecord record;
  record.statements.push_back({"DO 1", "", 0, {}});
  std::vector<uint8_t> body = EncodeRecordBody(record);
  // The setting count is the statement's last four bytes.
  boost::endian::store_big_u32(&body[body.size() - 4], 0xfffffff0u);
  LogRecord decoded;
  Status s = DecodeRecordBody(body, &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("settings"), std::string::npos) << s.message();
}

// A transaction of three statements in one session: the same session
// settings each time, the INSERT with an insert_id of its own.
LogRecord TransactionOfThree() {
  const std::vector<SessionSetting> session = {{"sql_mode", "'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'"},
                                               {"time_zone", "'SYSTEM'"},
                                               {"character_set_client", "'utf8mb4'"}};
  LogRecord record;
  record.statements.push_back({"UPDATE t SET k = k + 1 WHERE id = 7", "shop", 10, session});
  LoggedStatement insert{"INSERT INTO t (v) VALUES ('x')", "shop", 11, session};
  insert.settings.push_back({"insert_id", "42"});
  record.statements.push_back(insert);
  record.statements.push_back({"DELETE FROM t WHERE id = 3", "shop", 12, session});
  return record;
}

// The same record in format 1, byte for byte as versions before protocol 3
// wrote it: logs written then are still read.
std::vector<uint8_t> FormatOneBody(const LogRecord& record) {
  ByteWriter writer;
  writer.U8(static_cast<uint8_t>(record.kind));
  writer.U32(static_cast<uint32_t>(record.statements.size()));
  for (const LoggedStatement& statement : record.statements) {
    writer.Bytes(statement.sql);
    writer.Bytes(statement.default_database);
    writer.I64(statement.timestamp_micros);
    writer.U32(static_cast<uint32_t>(statement.settings.size()));
    for (const SessionSetting& setting : statement.settings) {
      writer.Bytes(setting.name);
      writer.Bytes(setting.value);
    }
  }
  return writer.Take();
}

TEST(LogRecordTest, StatementsShareTheSettingsTheyHaveInCommon) {
  const LogRecord original = TransactionOfThree();
  const std::vector<uint8_t> body = EncodeRecordBody(original);
  LogRecord decoded;
  ASSERT_TRUE(DecodeRecordBody(body, &decoded).ok());
  EXPECT_EQ(decoded.statements, original.statements);
  // The session's settings are written once: the second and third
  // statements add 8 bytes of counts, not ~110 of settings, each (the
  // INSERT adds its insert_id).
  const std::vector<uint8_t> unshared = FormatOneBody(original);
  EXPECT_LT(body.size() + 150, unshared.size()) << body.size() << " vs " << unshared.size();
}

TEST(LogRecordTest, FormatOneBodiesStillDecode) {
  for (const LogRecord& original : {SampleRecord(), TransactionOfThree()}) {
    LogRecord decoded;
    ASSERT_TRUE(DecodeRecordBody(FormatOneBody(original), &decoded).ok());
    EXPECT_EQ(decoded.statements, original.statements);
  }
  LogRecord gap;
  gap.kind = RecordKind::kGap;
  LogRecord decoded;
  ASSERT_TRUE(DecodeRecordBody(FormatOneBody(gap), &decoded).ok());
  EXPECT_EQ(decoded.kind, RecordKind::kGap);
}

TEST(LogRecordTest, SharingMoreSettingsThanThePreviousStatementHasIsRejected) {
  LogRecord record;
  record.statements.push_back({"DO 1", "", 0, {{"a", "1"}}});
  record.statements.push_back({"DO 2", "", 0, {{"a", "1"}}});
  std::vector<uint8_t> body = EncodeRecordBody(record);
  // The last statement: ..., shared_count u32 (= 1), setting_count u32 (= 0).
  boost::endian::store_big_u32(&body[body.size() - 8], 2);
  LogRecord decoded;
  Status s = DecodeRecordBody(body, &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("statement 1 shares 2 settings with a statement that has 1"), std::string::npos)
      << s.message();
  // The first statement has none before it to share with.
  body = EncodeRecordBody(record);
  const size_t first_shared = 1 + 1 + 4 + (4 + 4) + 4 + 8;  // kind, format, count, "DO 1", "", timestamp
  boost::endian::store_big_u32(&body[first_shared], 1);
  s = DecodeRecordBody(body, &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("statement 0 shares 1 settings with a statement that has 0"), std::string::npos)
      << s.message();
}

TEST(LogRecordTest, SharingFewerSettingsThanItCouldIsRejected) {
  // Two byte strings must not mean the same record: a statement that lists
  // a setting it could have taken from the one before is not canonical.
  LogRecord record;
  record.statements.push_back({"DO 1", "", 0, {{"a", "1"}}});
  record.statements.push_back({"DO 2", "", 0, {{"a", "1"}}});
  ByteWriter writer;
  writer.U8(static_cast<uint8_t>(RecordKind::kTransaction));
  writer.U8(kRecordBodyFormat);
  writer.U32(2);
  for (const LoggedStatement& statement : record.statements) {
    writer.Bytes(statement.sql);
    writer.Bytes(statement.default_database);
    writer.I64(statement.timestamp_micros);
    writer.U32(0);  // shares nothing, though the second could share "a"
    writer.U32(1);
    writer.U8(0);  // a name of no number: spelled out
    writer.Bytes("a");
    writer.Bytes("1");
  }
  LogRecord decoded;
  const Status s = DecodeRecordBody(writer.Take(), &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("statement 1 repeats a setting it shares"), std::string::npos) << s.message();
}

// A one-statement record with `setting` as its only setting, in format 2,
// the setting written by `write_setting`.
template <typename WriteSetting>
std::vector<uint8_t> OneSettingBody(WriteSetting write_setting) {
  ByteWriter writer;
  writer.U8(static_cast<uint8_t>(RecordKind::kTransaction));
  writer.U8(kRecordBodyFormat);
  writer.U32(1);
  writer.Bytes("DO 1");
  writer.Bytes("");
  writer.I64(0);
  writer.U32(0);
  writer.U32(1);
  write_setting(writer);
  return writer.Take();
}

TEST(LogRecordTest, WellKnownSettingNamesTakeOneByte) {
  LogRecord record;
  record.statements.push_back({"DO 1", "", 0, {{"sql_mode", "''"}, {"insert_id", "7"}, {"@x", "1"}}});
  const std::vector<uint8_t> body = EncodeRecordBody(record);
  // kind, format, count; sql, database, timestamp, shared and setting
  // counts; sql_mode and insert_id by number, @x spelled out.
  EXPECT_EQ(body.size(),
            1 + 1 + 4 + (4 + 4) + 4 + 8 + 4 + 4 + (1 + 4 + 2) + (1 + 4 + 1) + (1 + 4 + 2 + 4 + 1));
  LogRecord decoded;
  ASSERT_TRUE(DecodeRecordBody(body, &decoded).ok());
  EXPECT_EQ(decoded.statements, record.statements);
}

TEST(LogRecordTest, UnknownSettingNumbersAndSpelledOutWellKnownNamesAreRejected) {
  LogRecord decoded;
  Status s = DecodeRecordBody(OneSettingBody([](ByteWriter& w) {
                                w.U8(200);
                                w.Bytes("1");
                              }),
                              &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("statement 0 setting 0 has unknown name number 200"), std::string::npos)
      << s.message();
  s = DecodeRecordBody(OneSettingBody([](ByteWriter& w) {
                         w.U8(0);
                         w.Bytes("sql_mode");
                         w.Bytes("''");
                       }),
                       &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("spells out sql_mode, which has a number"), std::string::npos) << s.message();
  // The same setting by its number decodes.
  ASSERT_TRUE(DecodeRecordBody(OneSettingBody([](ByteWriter& w) {
                                 w.U8(1);
                                 w.Bytes("''");
                               }),
                               &decoded)
                  .ok());
  EXPECT_EQ(decoded.statements.at(0).settings, (std::vector<SessionSetting>{{"sql_mode", "''"}}));
}

TEST(LogRecordTest, FailedDecodeLeavesRecordUntouched) {
  LogRecord decoded = SampleRecord();
  const LogRecord before = decoded;
  const std::vector<uint8_t> garbage = {9, 9, 9};
  EXPECT_FALSE(DecodeRecordPayload(garbage, &decoded).ok());
  EXPECT_EQ(decoded, before);
}

// A LOAD DATA LOCAL's file travels in format 3; a record without one stays
// in format 2, which a slave that predates files reads.
TEST(LogRecordTest, ALocalFileRoundTripsInFormatThreeAndOnlyThere) {
  LogRecord original = SampleRecord();
  EXPECT_EQ(EncodeRecordBody(original)[1], kRecordBodyFormat);
  LoggedStatement load;
  load.sql = "LOAD DATA LOCAL INFILE 'rows.csv' INTO TABLE t";
  load.local_file = std::string("1,a\n2,\0b\n", 9);
  original.statements.insert(original.statements.begin() + 1, load);
  LoggedStatement empty_file = load;
  empty_file.local_file = "";
  original.statements.push_back(empty_file);
  const std::vector<uint8_t> body = EncodeRecordBody(original);
  EXPECT_EQ(body[1], kRecordBodyFormatWithFiles);
  LogRecord decoded;
  ASSERT_TRUE(DecodeRecordBody(body, &decoded).ok());
  EXPECT_EQ(decoded.statements, original.statements);
  EXPECT_FALSE(decoded.statements[0].local_file.has_value());
  EXPECT_EQ(decoded.statements[1].local_file->size(), 9u);
  EXPECT_EQ(decoded.statements[3].local_file, "");
  for (size_t n = 0; n < body.size(); ++n) {
    Status s = DecodeRecordBody(std::span<const uint8_t>(body.data(), n), &decoded);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << "prefix of " << n << " bytes";
  }
}

TEST(LogRecordTest, FormatThreeWithoutAFileOrWithABadFlagIsRejected) {
  LogRecord record;
  record.statements.push_back({"INSERT INTO t VALUES (1)", "", 5, {}});
  std::vector<uint8_t> body = EncodeRecordBody(record);
  // Format 3 is format 2 with a file flag after each timestamp.
  const size_t after_timestamp = 1 + 1 + 4 + (4 + record.statements[0].sql.size()) + 4 + 8;
  body[1] = kRecordBodyFormatWithFiles;
  body.insert(body.begin() + static_cast<std::ptrdiff_t>(after_timestamp), 0);
  LogRecord decoded;
  Status s = DecodeRecordBody(body, &decoded);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("carries no file"), std::string::npos) << s.ToString();
  body[after_timestamp] = 2;
  s = DecodeRecordBody(body, &decoded);
  EXPECT_NE(s.message().find("file flag 2"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace ddb
