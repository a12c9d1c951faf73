// ROW_COUNT() after a write is written as the write's count: the calls are
// found by token, a select item keeps its column name, anything else stays.
#include "row_count_literal.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

std::string Rewritten(const std::string& sql, int64_t count = 2) {
  return WithRowCount(sql, LexMode(), count);
}

TEST(RowCountLiteralTest, ASelectItemKeepsItsColumnName) {
  EXPECT_EQ(Rewritten("SELECT ROW_COUNT()"), "SELECT 2 AS `ROW_COUNT()`");
  EXPECT_EQ(Rewritten("select row_count( ), 1 from dual"), "select 2 AS `row_count( )`, 1 from dual");
  EXPECT_EQ(Rewritten("SELECT 1, ROW_COUNT() INTO @a, @b", -1), "SELECT 1, -1 AS `ROW_COUNT()` INTO @a, @b");
}

TEST(RowCountLiteralTest, InsideAnExpressionOrAWriteItIsTheNumberAlone) {
  EXPECT_EQ(Rewritten("SELECT ROW_COUNT() AS n"), "SELECT 2 AS n");
  EXPECT_EQ(Rewritten("SELECT ROW_COUNT() + 1"), "SELECT 2 + 1");
  EXPECT_EQ(Rewritten("SET @n = ROW_COUNT()"), "SET @n = 2");
  EXPECT_EQ(Rewritten("INSERT INTO log (n, m) VALUES (ROW_COUNT(), ROW_COUNT())"),
            "INSERT INTO log (n, m) VALUES (2, 2)");
  EXPECT_EQ(Rewritten("SELECT IF(ROW_COUNT() = 0, 'none', 'some')"), "SELECT IF(2 = 0, 'none', 'some')");
}

TEST(RowCountLiteralTest, FoundRowsIsWrittenTheSameWay) {
  EXPECT_EQ(WithFoundRows("SELECT FOUND_ROWS()", LexMode(), 7), "SELECT 7 AS `FOUND_ROWS()`");
  EXPECT_EQ(WithFoundRows("SELECT found_rows() AS n, ROW_COUNT()", LexMode(), 0),
            "SELECT 0 AS n, ROW_COUNT()");
}

TEST(RowCountLiteralTest, TextThatIsNoCallStaysAsItIs) {
  for (const std::string sql :
       {"SELECT 'ROW_COUNT()'", "SELECT row_count FROM t", "SELECT db.ROW_COUNT()", "SELECT `ROW_COUNT`()",
        "SELECT 1 /* ROW_COUNT() */", "SELECT ROW_COUNT(1)"}) {
    EXPECT_EQ(Rewritten(sql), sql);
  }
}

}  // namespace
}  // namespace ddb
