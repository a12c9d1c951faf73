#include "insert_select.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

InsertSelect Split(const std::string& sql) {
  InsertSelect parts;
  EXPECT_TRUE(SplitInsertSelect(sql, Tokenize(sql), &parts)) << sql;
  return parts;
}

TEST(InsertSelectTest, TheQueryIsWhatFollowsTheTableAndItsColumnsUpToReturning) {
  InsertSelect parts = Split("INSERT IGNORE INTO s.t PARTITION (p1) (a, b) SELECT x, y FROM tmp ORDER BY x");
  EXPECT_EQ(parts.head, "INSERT IGNORE INTO s.t PARTITION (p1) (a, b) ");
  EXPECT_EQ(parts.query, "SELECT x, y FROM tmp ORDER BY x");
  EXPECT_EQ(parts.tail, "");
  parts = Split("REPLACE t (SELECT * FROM tmp) RETURNING id");
  EXPECT_EQ(parts.head, "REPLACE t ");
  EXPECT_EQ(parts.query, "(SELECT * FROM tmp)");
  EXPECT_EQ(parts.tail, " RETURNING id");
  EXPECT_EQ(Split("INSERT INTO t WITH c AS (SELECT 1) SELECT * FROM c").query,
            "WITH c AS (SELECT 1) SELECT * FROM c");
}

TEST(InsertSelectTest, ValuesAndOnDuplicateKeyUpdateHaveNoSuchForm) {
  InsertSelect parts;
  for (const std::string sql :
       {"INSERT INTO t VALUES ((SELECT MAX(id) FROM tmp))", "INSERT INTO t SET a = 1",
        "INSERT INTO t SELECT a FROM tmp ON DUPLICATE KEY UPDATE a = tmp.a", "UPDATE t SET a = 1"}) {
    EXPECT_FALSE(SplitInsertSelect(sql, Tokenize(sql), &parts)) << sql;
  }
}

TEST(InsertSelectTest, ValuesAreLiteralsOfTheirColumnsTypes) {
  QueryResult rows;
  rows.column_types = {ColumnType{.mysql_type = 8}, ColumnType{.mysql_type = 246},
                       ColumnType{.mysql_type = 253}, ColumnType{.mysql_type = 252, .is_binary = true},
                       ColumnType{.mysql_type = 16}};
  rows.rows = {{std::string("-42"), std::string("1.50"), std::string("a'\\b"), std::string("\x00\xFF", 2),
                std::nullopt}};
  const InsertSelect parts{"INSERT INTO t ", "SELECT * FROM tmp", " RETURNING id"};
  EXPECT_EQ(InsertWithValues(parts, rows, "latin1"),
            "INSERT INTO t VALUES (-42, 1.50, _latin1 X'61275C62', X'00FF', NULL) RETURNING id");
}

}  // namespace
}  // namespace ddb
