#include "ddb/snapshot/sql_literal.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

std::string SnapshotLiteral(const std::optional<std::string>& value, LiteralKind kind) {
  std::string out;
  AppendSqlLiteral(&out, value, kind);
  return out;
}

TEST(SqlLiteralTest, NullIsNullOfEveryKind) {
  for (LiteralKind kind : {LiteralKind::kNumber, LiteralKind::kText, LiteralKind::kBytes}) {
    EXPECT_EQ(SnapshotLiteral(std::nullopt, kind), "NULL");
  }
}

TEST(SqlLiteralTest, NumbersKeepTheServersExactText) {
  EXPECT_EQ(SnapshotLiteral("-12", LiteralKind::kNumber), "-12");
  EXPECT_EQ(SnapshotLiteral("18446744073709551615", LiteralKind::kNumber), "18446744073709551615");
  EXPECT_EQ(SnapshotLiteral("12345678901234567890.123456789", LiteralKind::kNumber),
            "12345678901234567890.123456789");
  EXPECT_EQ(SnapshotLiteral("1.5e-7", LiteralKind::kNumber), "1.5e-7");
}

TEST(SqlLiteralTest, ANumberColumnValueThatIsNotNumberSyntaxIsQuotedNeverRaw) {
  EXPECT_EQ(SnapshotLiteral("1; DROP TABLE t", LiteralKind::kNumber), "'1; DROP TABLE t'");
  EXPECT_EQ(SnapshotLiteral("", LiteralKind::kNumber), "''");
}

TEST(SqlLiteralTest, TextEscapesQuotesBackslashesAndEveryLineBreak) {
  EXPECT_EQ(SnapshotLiteral("it's", LiteralKind::kText), "'it\\'s'");
  EXPECT_EQ(SnapshotLiteral("a\\b\"c", LiteralKind::kText), "'a\\\\b\\\"c'");
  EXPECT_EQ(SnapshotLiteral(std::string("l1\nl2\r\x1a\0z", 9), LiteralKind::kText), "'l1\\nl2\\r\\Z\\0z'");
  EXPECT_EQ(SnapshotLiteral("h\xC3\xA9", LiteralKind::kText), "'h\xC3\xA9'");  // UTF-8 passes unchanged
}

TEST(SqlLiteralTest, BytesAreHexSoNoCharacterSetTouchesThem) {
  EXPECT_EQ(SnapshotLiteral(std::string("\x00\xff\x10'", 4), LiteralKind::kBytes), "X'00FF1027'");
  EXPECT_EQ(SnapshotLiteral("", LiteralKind::kBytes), "X''");
}

TEST(SqlLiteralTest, KindsFollowTheColumnType) {
  EXPECT_EQ(LiteralKindForType("BIGINT"), LiteralKind::kNumber);
  EXPECT_EQ(LiteralKindForType("decimal"), LiteralKind::kNumber);
  EXPECT_EQ(LiteralKindForType("double"), LiteralKind::kNumber);
  EXPECT_EQ(LiteralKindForType("varbinary"), LiteralKind::kBytes);
  EXPECT_EQ(LiteralKindForType("longblob"), LiteralKind::kBytes);
  EXPECT_EQ(LiteralKindForType("bit"), LiteralKind::kBytes);
  EXPECT_EQ(LiteralKindForType("point"), LiteralKind::kBytes);
  EXPECT_EQ(LiteralKindForType("varchar"), LiteralKind::kText);
  EXPECT_EQ(LiteralKindForType("datetime"), LiteralKind::kText);
  EXPECT_EQ(LiteralKindForType("enum"), LiteralKind::kText);
}

TEST(SqlLiteralTest, IdentifiersAreBackquotedWithBackquotesDoubled) {
  EXPECT_EQ(QuoteIdentifier("t"), "`t`");
  EXPECT_EQ(QuoteIdentifier("we`ird"), "`we``ird`");
}

}  // namespace
}  // namespace ddb
