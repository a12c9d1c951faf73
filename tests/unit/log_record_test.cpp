#include "ddb/base/log_record.h"

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

TEST(LogRecordTest, FailedDecodeLeavesRecordUntouched) {
  LogRecord decoded = SampleRecord();
  const LogRecord before = decoded;
  const std::vector<uint8_t> garbage = {9, 9, 9};
  EXPECT_FALSE(DecodeRecordPayload(garbage, &decoded).ok());
  EXPECT_EQ(decoded, before);
}

}  // namespace
}  // namespace ddb
