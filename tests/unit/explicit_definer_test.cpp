#include "ddb/sql/explicit_definer.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

std::string Defined(const std::string& sql) { return WithExplicitDefiner(sql, Tokenize(sql), "`app`@`%`"); }

TEST(ExplicitDefinerTest, ProgramsAndViewsGetTheirCreatorAsDefiner) {
  EXPECT_EQ(Defined("CREATE VIEW v AS SELECT 1"), "CREATE DEFINER = `app`@`%` VIEW v AS SELECT 1");
  EXPECT_EQ(Defined("create or replace procedure p() select 1"),
            "create or replace DEFINER = `app`@`%` procedure p() select 1");
  EXPECT_EQ(Defined("CREATE ALGORITHM = MERGE SQL SECURITY INVOKER VIEW v AS SELECT 1"),
            "CREATE ALGORITHM = MERGE DEFINER = `app`@`%` SQL SECURITY INVOKER VIEW v AS SELECT 1");
  EXPECT_EQ(Defined("CREATE AGGREGATE FUNCTION f(x INT) RETURNS INT BEGIN RETURN 1; END"),
            "CREATE DEFINER = `app`@`%` AGGREGATE FUNCTION f(x INT) RETURNS INT BEGIN RETURN 1; END");
  EXPECT_EQ(Defined("CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1"),
            "CREATE DEFINER = `app`@`%` TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET NEW.a = 1");
  EXPECT_EQ(Defined("CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM x"),
            "CREATE DEFINER = `app`@`%` EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM x");
  EXPECT_EQ(Defined("ALTER VIEW v AS SELECT 2"), "ALTER DEFINER = `app`@`%` VIEW v AS SELECT 2");
}

TEST(ExplicitDefinerTest, OtherStatementsAndNamedDefinersAreLeftAsTheyAre) {
  for (const char* sql :
       {"CREATE TABLE t (id INT)", "CREATE DEFINER = CURRENT_USER VIEW v AS SELECT 1",
        "CREATE DEFINER=`b`@`h` PROCEDURE p() SELECT 1", "CREATE FUNCTION f RETURNS STRING SONAME 'f.so'",
        "ALTER TABLE t ADD c INT", "ALTER EVENT e DISABLE", "DROP VIEW v", "CREATE OR REPLACE"}) {
    EXPECT_EQ(Defined(sql), sql);
  }
  const std::string view = "CREATE VIEW v AS SELECT 1";
  EXPECT_EQ(WithExplicitDefiner(view, Tokenize(view), ""), view);
}

TEST(ExplicitDefinerTest, AccountsAreQuotedAsIdentifiers) {
  EXPECT_EQ(QuotedAccount("app@%"), "`app`@`%`");
  EXPECT_EQ(QuotedAccount("we@ird@localhost"), "`we@ird`@`localhost`");
  EXPECT_EQ(QuotedAccount("b`q@h"), "`b``q`@`h`");
}

}  // namespace
}  // namespace ddb
