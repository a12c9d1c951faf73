// The form a routed read is described by on the master (read_form.h): its
// values become placeholders only where they cannot change the result's
// columns, and only where a placeholder may stand.
#include "read_form.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(ReadFormTest, ValuesAfterTheFromBecomePlaceholders) {
  EXPECT_EQ(ReadForm("SELECT c FROM sbtest1 WHERE id=5017", {}), "SELECT c FROM sbtest1 WHERE id=?");
  EXPECT_EQ(ReadForm("SELECT c FROM t WHERE id BETWEEN 10 AND 109 ORDER BY c LIMIT 5, 10", {}),
            "SELECT c FROM t WHERE id BETWEEN ? AND ? ORDER BY c LIMIT ?, ?");
  EXPECT_EQ(ReadForm("select name from users where email = 'a@b.c' and age > -3", {}),
            "select name from users where email = ? and age > -?");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE b IN (1, 2, 3) AND c LIKE 'x%'", {}),
            "SELECT a FROM t WHERE b IN (?, ?, ?) AND c LIKE ?");
  // Texts that differ only in their values share one form.
  EXPECT_EQ(ReadForm("SELECT c FROM t WHERE id = 1", {}), ReadForm("SELECT c FROM t WHERE id = 99999", {}));
}

TEST(ReadFormTest, ValuesThatNameOrShapeColumnsStay) {
  // Before the FROM a value is a column of the result.
  EXPECT_EQ(ReadForm("SELECT 1, 'a' FROM t WHERE id = 2", {}), "SELECT 1, 'a' FROM t WHERE id = ?");
  EXPECT_EQ(ReadForm("SELECT EXTRACT(YEAR FROM '2020-01-01') AS y, c FROM t", {}), "");
  // ORDER BY 2 names the second column; DATE '...' and _utf8mb4'...' are
  // typed literals a placeholder cannot replace.
  EXPECT_EQ(ReadForm("SELECT a, b FROM t ORDER BY 2", {}), "");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE d = DATE '2020-01-01'", {}), "");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE s = _utf8mb4'x' AND i = 3", {}),
            "SELECT a FROM t WHERE s = _utf8mb4'x' AND i = ?");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE s LIKE 'a!%' ESCAPE '!'", {}),
            "SELECT a FROM t WHERE s LIKE ? ESCAPE '!'");
}

TEST(ReadFormTest, NoFormWhereAValueMayBeAColumn) {
  EXPECT_EQ(ReadForm("SELECT x FROM (SELECT 1 AS x) d WHERE x = 1", {}), "");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE a IN (SELECT b FROM u WHERE c = 1)", {}), "");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE a = 1 UNION SELECT 2", {}), "");
  EXPECT_EQ(ReadForm("SELECT * FROM (VALUES (1), (2)) v", {}), "");
  EXPECT_EQ(ReadForm("WITH c AS (SELECT 1) SELECT * FROM c", {}), "");
  EXPECT_EQ(ReadForm("SHOW TABLES LIKE 'a%'", {}), "");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE id = ?", {}), "");
  EXPECT_EQ(ReadForm("SELECT a FROM t /*! WHERE id = 1 */", {}), "");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE s = 'unterminated", {}), "");
  EXPECT_EQ(ReadForm("SELECT a FROM t", {}), "");
}

TEST(ReadFormTest, QuotesReadAsTheSessionReadsThem) {
  LexMode ansi;
  ansi.ansi_quotes = true;
  // Under ANSI_QUOTES "id" is a column, not a value.
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE \"id\" = 'x'", ansi), "SELECT a FROM t WHERE \"id\" = ?");
  EXPECT_EQ(ReadForm("SELECT a FROM t WHERE b = \"id\"", {}), "SELECT a FROM t WHERE b = ?");
}

TEST(ReadFormTest, PlaceholdersChangeResultTypesOnlyBeforeTheFrom) {
  EXPECT_TRUE(PlaceholdersOnlyFilter("SELECT c FROM sbtest1 WHERE id = ?", {}));
  EXPECT_TRUE(
      PlaceholdersOnlyFilter("SELECT DISTINCT c FROM t WHERE id BETWEEN ? AND ? ORDER BY c LIMIT ?", {}));
  EXPECT_FALSE(PlaceholdersOnlyFilter("SELECT ? + 1 FROM t", {}));
  EXPECT_FALSE(PlaceholdersOnlyFilter("SELECT EXTRACT(YEAR FROM ?) FROM t", {}));
  EXPECT_FALSE(PlaceholdersOnlyFilter("SELECT x FROM (SELECT ? AS x) d", {}));
  EXPECT_FALSE(PlaceholdersOnlyFilter("SELECT c FROM t WHERE id = ? UNION SELECT c FROM u", {}));
}

}  // namespace
}  // namespace ddb
