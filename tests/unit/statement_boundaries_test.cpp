// Where one statement ends: quotes, program bodies and comments that hold
// semicolons, a second statement in one text, and text that is incomplete.
#include <gtest/gtest.h>

#include <string>

#include "ddb/sql/multi_statements.h"
#include "ddb/sql/statement_classifier.h"

namespace ddb {
namespace {

TEST(StatementClassifierTest, SemicolonsInQuotesDoNotSeparateStatements) {
  for (const char* sql :
       {"SELECT ';DROP TABLE t'", "SELECT \";DROP TABLE t\"", "SELECT `a;DROP TABLE t` FROM t",
        "SELECT 'it''s; DROP'", "SELECT 'a\\'; DROP TABLE t'"}) {
    const StatementInfo info = ClassifyStatement(sql);
    EXPECT_EQ(info.kind, StatementKind::kRead) << sql;
    EXPECT_FALSE(info.has_multiple_statements) << sql;
    EXPECT_FALSE(info.incomplete) << sql;
  }
}

TEST(StatementClassifierTest, SecondStatementIsDetected) {
  const StatementInfo info = ClassifyStatement("SELECT 1; DROP TABLE t");
  EXPECT_EQ(info.kind, StatementKind::kRead);
  EXPECT_TRUE(info.has_multiple_statements);
  EXPECT_FALSE(IsAllowedOnReadOnlyConsole(info));
}

TEST(StatementClassifierTest, TrailingSemicolonsAndCommentsAreOneStatement) {
  EXPECT_FALSE(ClassifyStatement("SELECT 1;").has_multiple_statements);
  EXPECT_FALSE(ClassifyStatement("SELECT 1;;  ").has_multiple_statements);
  EXPECT_FALSE(ClassifyStatement("SELECT 1; -- done\n/* really */ #yes").has_multiple_statements);
}

TEST(StatementClassifierTest, LeadingEmptyStatementsAreSkipped) {
  const StatementInfo info = ClassifyStatement(";; DROP TABLE t");
  EXPECT_EQ(info.kind, StatementKind::kDdl);
  EXPECT_FALSE(info.has_multiple_statements);
}

TEST(StatementClassifierTest, RoutineBodyKeepsItsSemicolons) {
  const StatementInfo info = ClassifyStatement(
      "CREATE PROCEDURE p() BEGIN DECLARE x INT; IF x THEN SELECT 1; END IF; "
      "SELECT CASE WHEN x THEN 1 ELSE 2 END; lbl: LOOP LEAVE lbl; END LOOP; END");
  EXPECT_EQ(info.kind, StatementKind::kDdl);
  EXPECT_EQ(info.object, "PROCEDURE");
  EXPECT_FALSE(info.has_multiple_statements);
  EXPECT_TRUE(
      ClassifyStatement("CREATE PROCEDURE p() BEGIN SELECT 1; END; DROP TABLE t").has_multiple_statements);
  EXPECT_FALSE(
      ClassifyStatement("BEGIN NOT ATOMIC SELECT 1; BEGIN SELECT 2; END; END").has_multiple_statements);
}

TEST(StatementClassifierTest, EndCaseClosesACaseStatement) {
  EXPECT_TRUE(ClassifyStatement("CREATE PROCEDURE p(x INT) BEGIN CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; "
                                "END CASE; END; DROP TABLE t")
                  .has_multiple_statements);
}

TEST(StatementClassifierTest, SplitStatementsCutsWhereMariaDbEndsEach) {
  using Pieces = std::vector<std::string_view>;
  EXPECT_EQ(SplitStatements("SELECT 1; SELECT 'a;b' ;; INSERT INTO t VALUES (1);"),
            (Pieces{"SELECT 1", "SELECT 'a;b'", "INSERT INTO t VALUES (1)"}));
  // A program's body keeps its ';', CASE statements included; the CALL after
  // it is a statement of its own.
  EXPECT_EQ(SplitStatements("CREATE PROCEDURE p(x INT) BEGIN CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; "
                            "END CASE; SELECT CASE WHEN x THEN 3 END; END; CALL p(1)"),
            (Pieces{"CREATE PROCEDURE p(x INT) BEGIN CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; "
                    "SELECT CASE WHEN x THEN 3 END; END",
                    "CALL p(1)"}));
  EXPECT_EQ(SplitStatements("BEGIN NOT ATOMIC SELECT 1; END; SELECT 2"),
            (Pieces{"BEGIN NOT ATOMIC SELECT 1; END", "SELECT 2"}));
  // A hint stays with its statement; comments after the last ';' are none.
  EXPECT_EQ(SplitStatements("/* ddb:master */ SELECT 1;\n-- why\nSELECT 2; -- done"),
            (Pieces{"/* ddb:master */ SELECT 1", "-- why\nSELECT 2"}));
  // Quotes as the session's sql_mode reads them.
  EXPECT_EQ(SplitStatements(R"(SELECT "a;b"; SELECT 2)", LexMode{.ansi_quotes = true}),
            (Pieces{R"(SELECT "a;b")", "SELECT 2"}));
  // An unterminated quote swallows the rest, for the session to refuse.
  EXPECT_EQ(SplitStatements("SELECT 1; SELECT 'open; SELECT 2"),
            (Pieces{"SELECT 1", "SELECT 'open; SELECT 2"}));
  EXPECT_TRUE(SplitStatements(" ; ;").empty());
}

TEST(StatementClassifierTest, ABodyMayBeOneBlockWithoutBegin) {
  using Pieces = std::vector<std::string_view>;
  EXPECT_EQ(
      SplitStatements("CREATE PROCEDURE p(x INT) IF x > 0 THEN INSERT INTO t VALUES (IF(x, 1, 2)); "
                      "ELSEIF x < 0 THEN DROP TABLE IF EXISTS u; ELSE SET @y = REPEAT('a', 2); END IF; "
                      "CALL p(1)"),
      (Pieces{"CREATE PROCEDURE p(x INT) IF x > 0 THEN INSERT INTO t VALUES (IF(x, 1, 2)); ELSEIF x < 0 "
              "THEN DROP TABLE IF EXISTS u; ELSE SET @y = REPEAT('a', 2); END IF",
              "CALL p(1)"}));
  EXPECT_EQ(
      SplitStatements("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW WHILE NEW.a > 10 DO SET "
                      "NEW.a = NEW.a - 10; END WHILE; SELECT 1"),
      (Pieces{"CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW WHILE NEW.a > 10 DO SET NEW.a = NEW.a - "
              "10; END WHILE",
              "SELECT 1"}));
  EXPECT_EQ(
      SplitStatements("IF (SELECT COUNT(*) FROM t) = 0 THEN INSERT INTO t VALUES (1); END IF; SELECT 2"),
      (Pieces{"IF (SELECT COUNT(*) FROM t) = 0 THEN INSERT INTO t VALUES (1); END IF", "SELECT 2"}));
  EXPECT_EQ(
      SplitStatements(
          "CREATE PROCEDURE p() FOR i IN 1..3 DO INSERT INTO t VALUES (i); END FOR; "
          "CREATE PROCEDURE q() lbl: REPEAT SELECT 1 FOR UPDATE; UNTIL 1 END REPEAT lbl; SELECT 3"),
      (Pieces{"CREATE PROCEDURE p() FOR i IN 1..3 DO INSERT INTO t VALUES (i); END FOR",
              "CREATE PROCEDURE q() lbl: REPEAT SELECT 1 FOR UPDATE; UNTIL 1 END REPEAT lbl", "SELECT 3"}));
  EXPECT_FALSE(
      ClassifyStatement("CREATE PROCEDURE p(x INT) IF x THEN SELECT 1; END IF").has_multiple_statements);
  EXPECT_TRUE(ClassifyStatement("CREATE PROCEDURE p(x INT) IF x THEN SELECT 1; END IF; DROP TABLE t")
                  .has_multiple_statements);
}

TEST(StatementClassifierTest, BeginEndNestingDoesNotHideStatementsAfterARead) {
  // Only routine definitions and compound blocks get BEGIN...END treatment.
  EXPECT_TRUE(ClassifyStatement("SELECT CASE WHEN 1 THEN 1; DROP TABLE t; END").has_multiple_statements);
}

}  // namespace
}  // namespace ddb
