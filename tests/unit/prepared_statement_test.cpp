// COM_STMT_EXECUTE's parameters read into SQL literals, and result values
// written as binary row cells: the byte layouts of the MySQL binary protocol.
#include "prepared_statement.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "mysql_binary_values.h"
#include "mysql_packet.h"

namespace ddb {
namespace {

using mysql::PayloadReader;
using mysql::PayloadWriter;

// The parameter block of a COM_STMT_EXECUTE: NULL bitmap, new-params-bound,
// types (when `types` is not empty), then `values`.
std::vector<uint8_t> ExecuteParams(size_t count, uint8_t nulls, const std::vector<uint16_t>& types,
                                   const std::vector<uint8_t>& values) {
  PayloadWriter w;
  for (size_t i = 0; i < (count + 7) / 8; ++i) w.U8(i == 0 ? nulls : 0);
  w.U8(types.empty() ? 0 : 1);
  for (uint16_t type : types) w.U16(type);
  std::vector<uint8_t> bytes = w.Take();
  bytes.insert(bytes.end(), values.begin(), values.end());
  return bytes;
}

std::string Bind(PreparedStatement& statement, const std::vector<uint8_t>& params,
                 mysql::LiteralStyle style = {}) {
  PayloadReader reader(params);
  std::string sql;
  const Status s = statement.Bind(&reader, style, &sql);
  return s.ok() ? sql : "error: " + s.message();
}

PreparedStatement Prepared(const std::string& sql, LexMode mode = {}) {
  return PreparedStatement(sql, FindPlaceholders(sql, mode), StatementShape());
}

TEST(PreparedStatementTest, PlaceholdersInStringsAndCommentsAreNone) {
  EXPECT_EQ(FindPlaceholders("SELECT ?, '?', \"?\", `?` /* ? */ -- ?\n, ? # ?", {}).size(), 2u);
  // Under NO_BACKSLASH_ESCAPES 'a\' ends at its second quote.
  EXPECT_EQ(FindPlaceholders(R"(SELECT 'a\', ?, 'b')", {}).size(), 0u);
  EXPECT_EQ(FindPlaceholders(R"(SELECT 'a\', ?, 'b')", {.backslash_escapes = false}).size(), 1u);
  // Prepared in one sql_mode, executed in another.
  const PreparedStatement statement = Prepared(R"(SELECT 'a\', ?, 'b', ?)");
  EXPECT_TRUE(statement.PlaceholdersStayUnder({}));
  EXPECT_FALSE(statement.PlaceholdersStayUnder({.backslash_escapes = false}));
}

TEST(PreparedStatementTest, IntegersFloatsAndNullBecomeExactLiterals) {
  PreparedStatement statement = Prepared("SELECT ?, ?, ?, ?, 1-?, ?");
  const uint16_t kUnsigned = 0x8000;
  PayloadWriter v;
  v.U8(0xFF);                    // TINY -1
  v.U8(0xFF);                    // TINY UNSIGNED 255
  v.U64(0x8000000000000000ull);  // LONGLONG min
  float f = 0.1f;
  uint32_t fbits = 0;
  std::memcpy(&fbits, &f, 4);
  v.U32(fbits);       // FLOAT
  v.U32(0xFFFFFFFB);  // LONG -5
  const std::vector<uint8_t> params =
      ExecuteParams(6, 0x20,
                    {mysql::kTypeTiny, mysql::kTypeTiny | kUnsigned, mysql::kTypeLongLong, mysql::kTypeFloat,
                     mysql::kTypeLong, mysql::kTypeDouble},
                    v.Take());
  EXPECT_EQ(Bind(statement, params),
            "SELECT -1, 255, -9223372036854775808, 0.10000000149011612e0, 1- -5, NULL");
  // Types are remembered from the execute that sent them.
  PayloadWriter again;
  for (int i = 0; i < 2; ++i) again.U8(1);
  again.U64(42);
  again.U32(fbits);
  again.U32(7);
  EXPECT_EQ(Bind(statement, ExecuteParams(6, 0x20, {}, again.Take())),
            "SELECT 1, 1, 42, 0.10000000149011612e0, 1- 7, NULL");
}

TEST(PreparedStatementTest, DatesTimesAndStringsAreQuoted) {
  PreparedStatement statement = Prepared("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)");
  PayloadWriter v;
  v.U8(4), v.U16(2024), v.U8(2), v.U8(29);                                              // DATE
  v.U8(11), v.U16(2024), v.U8(2), v.U8(29), v.U8(23), v.U8(59), v.U8(58), v.U32(1234);  // DATETIME
  v.U8(12), v.U8(1), v.U32(4), v.U8(4), v.U8(0), v.U8(1), v.U32(500000);                // TIME -100:00:01.5
  v.U8(0);                                                                              // TIMESTAMP zero
  v.LengthEncodedString("it's \\ \"x\"");                                               // VAR_STRING
  v.LengthEncodedString(std::string("\x00\x27", 2));                                    // BLOB
  v.LengthEncodedString("-12.50");                                                      // NEWDECIMAL
  const std::vector<uint8_t> params =
      ExecuteParams(7, 0,
                    {mysql::kTypeDate, mysql::kTypeDateTime, mysql::kTypeTime, mysql::kTypeTimestamp,
                     mysql::kTypeVarString, mysql::kTypeBlob, mysql::kTypeNewDecimal},
                    v.Take());
  EXPECT_EQ(Bind(statement, params),
            "INSERT INTO t VALUES ('2024-02-29', '2024-02-29 23:59:58.001234', '-100:00:01.500000', "
            "'0000-00-00 00:00:00', 'it\\'s \\\\ \"x\"', X'0027', -12.50)");
  EXPECT_EQ(mysql::QuotedLiteral("it's \\", {.backslash_escapes = false}), "'it''s \\'");
  EXPECT_EQ(mysql::BytesLiteral("\xff", {}, {}), "X'FF'");  // not UTF-8: bytes
  EXPECT_EQ(mysql::BytesLiteral("1; DROP", {.type = mysql::kTypeNewDecimal}, {}), "'1; DROP'");
}

TEST(PreparedStatementTest, LongDataServesOneExecute) {
  PreparedStatement statement = Prepared("SELECT ?");
  ASSERT_TRUE(statement.AppendLongData(0, "ab"));
  ASSERT_TRUE(statement.AppendLongData(0, "c'"));
  EXPECT_FALSE(statement.AppendLongData(1, "x"));
  EXPECT_EQ(Bind(statement, ExecuteParams(1, 0, {mysql::kTypeVarString}, {})), "SELECT 'abc\\''");
  PayloadWriter v;
  v.LengthEncodedString("d");
  EXPECT_EQ(Bind(statement, ExecuteParams(1, 0, {}, v.Take())), "SELECT 'd'");
}

// MariaDB stores no NaN or infinity: such a value is refused as out of
// range, not written as some other value.
TEST(PreparedStatementTest, NaNAndInfinityAreRefusedAsOutOfRange) {
  PreparedStatement statement = Prepared("INSERT INTO t VALUES (?, ?)");
  for (const double value : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    PayloadWriter v;
    uint64_t bits = 0;
    std::memcpy(&bits, &value, 8);
    v.U32(1);
    v.U64(bits);
    const std::vector<uint8_t> params = ExecuteParams(2, 0, {mysql::kTypeLong, mysql::kTypeDouble}, v.Take());
    PayloadReader reader(params);
    std::string sql;
    const Status s = statement.Bind(&reader, {}, &sql);
    EXPECT_EQ(s.mysql_error_code(), 1690) << s.ToString();
    EXPECT_EQ(s.sql_state(), "22003");
    EXPECT_EQ(s.message().rfind("parameter 2: DOUBLE value is out of range", 0), 0u) << s.message();
  }
}

TEST(PreparedStatementTest, TruncatedParametersAreRefused) {
  PreparedStatement statement = Prepared("SELECT ?");
  EXPECT_EQ(Bind(statement, ExecuteParams(1, 0, {}, {})).rfind("error: ", 0), 0u);  // no types yet
  EXPECT_EQ(Bind(statement, ExecuteParams(1, 0, {mysql::kTypeLongLong}, {1, 2})),
            "error: parameter 1: integer parameter of type 8 cut short");
}

TEST(PreparedStatementTest, ACallsOutArgumentsAreLonePlaceholders) {
  const std::optional<CallArguments> call =
      ReadCallArguments("CALL `app`.totals(?, 1 + ?, ? /* out */, CONCAT(?, 'x'), ?)", {});
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->schema, "app");
  EXPECT_EQ(call->name, "totals");
  // Arguments 1, 3 and 5 are a '?' alone: the statement's '?' 0, 2 and 4.
  EXPECT_EQ(call->lone_placeholders, (std::vector<std::pair<int, size_t>>{{1, 0}, {3, 2}, {5, 4}}));
  EXPECT_FALSE(ReadCallArguments("SELECT ?", {}).has_value());
  EXPECT_FALSE(ReadCallArguments("CALL p", {}).has_value());

  QueryResult parameters;
  parameters.rows = {{"1", "IN", "first_id"}, {"3", "INOUT", "counted"}, {"5", "OUT", "label"}};
  const std::vector<OutParam> out = OutParamsOf(*call, parameters);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].placeholder, 2u);
  EXPECT_TRUE(out[0].in_too);
  EXPECT_EQ(out[1].name, "label");
  EXPECT_FALSE(out[1].in_too);
  EXPECT_EQ(OutValuesQuery(out), "/* ddb:master */ SELECT @ddb_out_1 AS `counted`, @ddb_out_2 AS `label`");
  EXPECT_NE(ParametersQuery(*call, [](std::string_view s) { return "'" + std::string(s) + "'"; })
                .find("SPECIFIC_SCHEMA = 'app' AND SPECIFIC_NAME = 'totals'"),
            std::string::npos);
}

TEST(PreparedStatementTest, OutArgumentsBecomeVariablesSetBeforeTheCall) {
  PreparedStatement statement = Prepared("CALL p(?, ?, ?)");
  statement.set_out_params(
      {{.placeholder = 1, .name = "b", .in_too = true}, {.placeholder = 2, .name = "c"}});
  PayloadWriter v;
  v.U32(7);
  v.U32(100);
  v.U32(5);
  const std::vector<uint8_t> params =
      ExecuteParams(3, 0, {mysql::kTypeLong, mysql::kTypeLong, mysql::kTypeLong}, v.Take());
  PayloadReader reader(params);
  std::string sql, setup;
  ASSERT_TRUE(statement.Bind(&reader, {}, &sql, &setup).ok());
  EXPECT_EQ(sql, "CALL p(7, @ddb_out_1, @ddb_out_2)");
  // OUT starts as NULL whatever was bound, as in MySQL; INOUT with its value.
  EXPECT_EQ(setup, "SET @ddb_out_1 = 100, @ddb_out_2 = NULL");
}

TEST(PreparedStatementTest, BinaryCellsHaveTheirTypesLayout) {
  PayloadWriter w;
  mysql::WriteBinaryCell(&w, mysql::kTypeLong, "-2");
  mysql::WriteBinaryCell(&w, mysql::kTypeLongLong, "18446744073709551615");
  mysql::WriteBinaryCell(&w, mysql::kTypeDate, "2024-02-29");
  mysql::WriteBinaryCell(&w, mysql::kTypeDateTime, "2024-02-29 23:59:58.5");
  mysql::WriteBinaryCell(&w, mysql::kTypeTime, "-100:00:01");
  mysql::WriteBinaryCell(&w, mysql::kTypeNewDecimal, "1.50");
  const std::vector<uint8_t> expected = {
      0xFE, 0xFF, 0xFF, 0xFF,                                               // LONG -2
      0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,                       // LONGLONG max unsigned
      4,    0xE8, 0x07, 2,    29,                                           // DATE
      11,   0xE8, 0x07, 2,    29,   23,   59,   58,   0x20, 0xA1, 0x07, 0,  // DATETIME, 500000 us
      8,    1,    4,    0,    0,    0,    4,    0,    1,                    // TIME: negative, 4 days 4:00:01
      4,    '1',  '.',  '5',  '0'};                                         // DECIMAL as text
  EXPECT_EQ(w.bytes(), expected);
}

}  // namespace
}  // namespace ddb
