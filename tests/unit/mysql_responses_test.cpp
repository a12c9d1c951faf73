#include "mysql_responses.h"

#include <gtest/gtest.h>

#include "mysql_handshake.h"
#include "mysql_packet.h"

namespace ddb::mysql {
namespace {

TEST(MySqlResponsesTest, ErrCarriesCodeSqlStateAndMessage) {
  const std::vector<uint8_t> err = EncodeErr(1146, "42S02", "Table 'd.nope' doesn't exist");
  PayloadReader r(err);
  uint8_t marker = 0, hash = 0;
  uint16_t code = 0;
  std::string state;
  ASSERT_TRUE(r.U8(&marker) && r.U16(&code) && r.U8(&hash) && r.Bytes(5, &state));
  EXPECT_EQ(marker, 0xFF);
  EXPECT_EQ(code, 1146);
  EXPECT_EQ(hash, '#');
  EXPECT_EQ(state, "42S02");
  EXPECT_EQ(r.Rest(), "Table 'd.nope' doesn't exist");

  const std::vector<uint8_t> bad_state = EncodeErr(1105, "", "x");
  EXPECT_EQ(std::string(bad_state.begin() + 4, bad_state.begin() + 9), "HY000");
}

TEST(MySqlResponsesTest, OkCarriesCountersStatusAndLengthEncodedInfo) {
  OkInfo ok;
  ok.affected_rows = 300;
  ok.insert_id = 7;
  ok.status = kStatusAutocommit | kStatusInTransaction;
  ok.info = "Records: 3  Duplicates: 0  Warnings: 0";
  const std::vector<uint8_t> bytes = EncodeOk(ok);
  PayloadReader r(bytes);
  uint8_t marker = 1;
  uint64_t affected = 0, insert_id = 0;
  uint16_t status = 0, warnings = 9;
  std::string info;
  ASSERT_TRUE(r.U8(&marker) && r.LengthEncodedInt(&affected) && r.LengthEncodedInt(&insert_id) &&
              r.U16(&status) && r.U16(&warnings) && r.LengthEncodedString(&info));
  EXPECT_EQ(marker, 0x00);
  EXPECT_EQ(affected, 300u);
  EXPECT_EQ(insert_id, 7u);
  EXPECT_EQ(status, 3);
  EXPECT_EQ(warnings, 0);
  EXPECT_EQ(info, ok.info);
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(EncodeOk(OkInfo()).size(), 7u) << "no info: nothing after the warnings";
}

TEST(MySqlResponsesTest, ResultSetIsCountColumnsEofRowsEof) {
  QueryResult result;
  result.has_result_set = true;
  result.columns = {"id", "name"};
  result.column_types = {ColumnType{3, false, false, 0, 11}, ColumnType{253, false, false, 0, 160}};
  result.rows = {{std::string("1"), std::string("apple")}, {std::string("2"), std::nullopt}};
  const auto payloads = EncodeResultSet(result, 45, kStatusAutocommit);
  ASSERT_EQ(payloads.size(), 1u + 2 + 1 + 2 + 1);
  EXPECT_EQ(payloads[0], std::vector<uint8_t>{2});

  PayloadReader column(payloads[1]);
  std::string catalog, schema, table, org_table, name, org_name;
  uint64_t fixed = 0;
  uint16_t charset = 0, flags = 0;
  uint32_t length = 0;
  uint8_t type = 0;
  ASSERT_TRUE(column.LengthEncodedString(&catalog) && column.LengthEncodedString(&schema) &&
              column.LengthEncodedString(&table) && column.LengthEncodedString(&org_table) &&
              column.LengthEncodedString(&name) && column.LengthEncodedString(&org_name) &&
              column.LengthEncodedInt(&fixed) && column.U16(&charset) && column.U32(&length) &&
              column.U8(&type) && column.U16(&flags));
  EXPECT_EQ(catalog, "def");
  EXPECT_EQ(name, "id");
  EXPECT_EQ(fixed, 0x0Cu);
  EXPECT_EQ(charset, 63) << "numbers are reported in the binary character set";
  EXPECT_EQ(length, 11u);
  EXPECT_EQ(type, 3);

  PayloadReader text_column(payloads[2]);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(text_column.LengthEncodedString(&name));
  ASSERT_TRUE(text_column.LengthEncodedInt(&fixed) && text_column.U16(&charset));
  EXPECT_EQ(name, "name");
  EXPECT_EQ(charset, 45) << "text in the client's character set";

  EXPECT_EQ(payloads[3], EncodeEof(kStatusAutocommit));
  EXPECT_EQ(payloads[4], (std::vector<uint8_t>{1, '1', 5, 'a', 'p', 'p', 'l', 'e'}));
  EXPECT_EQ(payloads[5], (std::vector<uint8_t>{1, '2', kNullCell}));
  EXPECT_EQ(payloads[6], EncodeEof(kStatusAutocommit));
}

TEST(MySqlResponsesTest, ColumnsWithoutTypesAreTextOrExactNumbers) {
  QueryResult result;
  result.has_result_set = true;
  result.columns = {"slave", "lag"};
  result.numeric = {false, true};
  const auto payloads = EncodeResultSet(result, 33, 0);
  auto type_of = [](const std::vector<uint8_t>& definition) {
    PayloadReader r(definition);
    std::string s;
    for (int i = 0; i < 6; ++i) r.LengthEncodedString(&s);
    uint64_t fixed = 0;
    uint16_t charset = 0;
    uint32_t length = 0;
    uint8_t type = 0;
    r.LengthEncodedInt(&fixed);
    r.U16(&charset);
    r.U32(&length);
    r.U8(&type);
    return type;
  };
  EXPECT_EQ(type_of(payloads[1]), 253);  // VAR_STRING
  EXPECT_EQ(type_of(payloads[2]), 246);  // NEWDECIMAL
}

}  // namespace
}  // namespace ddb::mysql
