// Which tables a stored program's body inserts into, and the schema its
// unqualified names resolve to (src/master/sql/program_ids.h). The catalog half
// (which of those tables have an AUTO_INCREMENT column) is covered by the
// replay matrix (tests/e2e/replay_matrix_cases.h).
#include "program_ids.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

std::vector<TableName> Targets(std::string_view sql) { return InsertTargets(Tokenize(sql)); }

TEST(InsertTargetsTest, FindsEveryInsertAndReplaceWithTheirSchema) {
  EXPECT_EQ(
      Targets("CREATE TRIGGER tg AFTER INSERT ON t FOR EACH ROW BEGIN INSERT INTO audit (n) VALUES (1); "
              "REPLACE LOW_PRIORITY wl.`log` SET n = 2; INSERT IGNORE other SELECT * FROM t; END"),
      (std::vector<TableName>{{"", "audit"}, {"wl", "log"}, {"", "other"}}));
}

TEST(InsertTargetsTest, IgnoresTriggerEventsPrivilegesAndStringFunctions) {
  EXPECT_TRUE(
      Targets("CREATE TRIGGER tg BEFORE INSERT ON t FOR EACH ROW SET NEW.v = REPLACE(NEW.v, 'a', 'b')")
          .empty());
  EXPECT_TRUE(Targets("GRANT SELECT, INSERT, UPDATE ON db.* TO u").empty());
  EXPECT_TRUE(Targets("GRANT INSERT ON db.t TO u").empty());
  EXPECT_TRUE(Targets("UPDATE t SET v = INSERT(v, 1, 2, 'xy')").empty());
}

TEST(InsertTargetsTest, NamesEachTableOnce) {
  EXPECT_EQ(Targets("BEGIN NOT ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END"),
            (std::vector<TableName>{{"", "t"}}));
}

TEST(ProgramSchemaTest, QualifiedNameWins) {
  EXPECT_EQ(ProgramSchema(Tokenize("CREATE PROCEDURE IF NOT EXISTS wl.p() INSERT INTO t VALUES (1)"), "cur"),
            "wl");
  EXPECT_EQ(
      ProgramSchema(Tokenize("CREATE DEFINER = `u`@`%` FUNCTION `x`.`f`() RETURNS INT RETURN 1"), "cur"),
      "x");
}

TEST(ProgramSchemaTest, TriggerTakesItsTablesSchema) {
  EXPECT_EQ(
      ProgramSchema(Tokenize("CREATE TRIGGER tg AFTER UPDATE ON wl.t FOR EACH ROW INSERT INTO a VALUES (1)"),
                    "cur"),
      "wl");
  EXPECT_EQ(ProgramSchema(
                Tokenize("CREATE TRIGGER tg AFTER UPDATE ON t FOR EACH ROW INSERT INTO a VALUES (1)"), "cur"),
            "cur");
}

TEST(ProgramSchemaTest, UnqualifiedRoutineUsesTheCurrentDatabase) {
  EXPECT_EQ(ProgramSchema(Tokenize("CREATE OR REPLACE PROCEDURE p() SELECT 1"), "cur"), "cur");
  EXPECT_EQ(ProgramSchema(Tokenize("CREATE PROCEDURE p() SELECT 1"), ""), "");
}

}  // namespace
}  // namespace ddb
