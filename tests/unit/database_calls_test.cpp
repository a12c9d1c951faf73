#include "database_calls.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(DatabaseCallsTest, EachCallBecomesNullWhateverItsCaseAndSpacing) {
  EXPECT_EQ(DatabaseCallsAsNull("INSERT INTO s.t (v, w) VALUES (DATABASE(), schema ( ))", {}),
            "INSERT INTO s.t (v, w) VALUES (NULL, NULL)");
  EXPECT_EQ(DatabaseCallsAsNull("UPDATE s.t SET v = IFNULL(Database(), 'none')", {}),
            "UPDATE s.t SET v = IFNULL(NULL, 'none')");
}

TEST(DatabaseCallsTest, NamesStringsAndCommentsStay) {
  for (const char* sql :
       {"INSERT INTO s.t VALUES ('DATABASE()')", "INSERT INTO s.t VALUES (1) /* DATABASE() */",
        "UPDATE s.t SET v = 1 WHERE `database` = 2",
        "INSERT INTO s.t SELECT table_name FROM information_schema.tables", "INSERT INTO s.t VALUES (1)"}) {
    EXPECT_EQ(DatabaseCallsAsNull(sql, {}), sql);
  }
}

TEST(DatabaseCallsTest, CallsAreFoundOnlyAsCalls) {
  EXPECT_TRUE(CallsDatabase(Tokenize("SELECT DATABASE() AS d")));
  EXPECT_TRUE(CallsDatabase(Tokenize("SELECT schema ( ) AS d")));
  EXPECT_FALSE(CallsDatabase(Tokenize("SELECT 'DATABASE()' AS d")));
  EXPECT_FALSE(CallsDatabase(Tokenize("SELECT `database` FROM t")));
}

}  // namespace
}  // namespace ddb
