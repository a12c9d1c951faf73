#include "ddb/sql/statement_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ddb {
namespace {

// Feeds `lines` the way the console does (each line, then "\n") and returns
// every statement popped, "\G"-ended ones marked with a trailing " [G]".
std::vector<std::string> SplitLines(StatementSplitter& splitter, const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const std::string& line : lines) {
    splitter.Feed(line);
    splitter.Feed("\n");
    SplitStatement statement;
    while (splitter.Next(&statement)) out.push_back(statement.sql + (statement.vertical ? " [G]" : ""));
  }
  return out;
}

std::vector<std::string> SplitLines(const std::vector<std::string>& lines) {
  StatementSplitter splitter;
  return SplitLines(splitter, lines);
}

using V = std::vector<std::string>;

TEST(StatementSplitterTest, OneStatementOnOneLine) { EXPECT_EQ(SplitLines({"SELECT 1;"}), (V{"SELECT 1"})); }

TEST(StatementSplitterTest, StatementSpanningLinesWaitsForTheTerminator) {
  StatementSplitter splitter;
  EXPECT_TRUE(SplitLines(splitter, {"SELECT a,", "  b"}).empty());
  EXPECT_TRUE(splitter.HasPending());
  EXPECT_EQ(SplitLines(splitter, {"FROM t;"}), (V{"SELECT a,\n  b\nFROM t"}));
  EXPECT_FALSE(splitter.HasPending());
}

TEST(StatementSplitterTest, SeveralStatementsOnOneLine) {
  EXPECT_EQ(SplitLines({"SELECT 1; SELECT 2;SELECT 3 ;"}), (V{"SELECT 1", "SELECT 2", "SELECT 3"}));
}

TEST(StatementSplitterTest, TextAfterTheLastTerminatorStaysPending) {
  StatementSplitter splitter;
  EXPECT_EQ(SplitLines(splitter, {"SELECT 1; SELECT"}), (V{"SELECT 1"}));
  EXPECT_TRUE(splitter.HasPending());
  EXPECT_EQ(SplitLines(splitter, {"2;"}), (V{"SELECT\n2"}));
}

TEST(StatementSplitterTest, EmptyStatementsAreSkipped) {
  EXPECT_EQ(SplitLines({";;", " ; SELECT 1;;;", ";"}), (V{"SELECT 1"}));
}

TEST(StatementSplitterTest, CommentOnlyStatementsAreSkipped) {
  EXPECT_EQ(SplitLines({"-- nothing here", ";", "/* nor here */;", "# nor;"}), V{});
}

TEST(StatementSplitterTest, SemicolonInsideStringsDoesNotEndTheStatement) {
  EXPECT_EQ(SplitLines({"SELECT 'a;b', \"c;d\", 'it''s;', 'x\\';y';"}),
            (V{"SELECT 'a;b', \"c;d\", 'it''s;', 'x\\';y'"}));
}

TEST(StatementSplitterTest, SemicolonInsideBackticksDoesNotEndTheStatement) {
  EXPECT_EQ(SplitLines({"SELECT `a;b` FROM `t``;`;"}), (V{"SELECT `a;b` FROM `t``;`"}));
}

TEST(StatementSplitterTest, SemicolonInsideCommentsDoesNotEndTheStatement) {
  EXPECT_EQ(SplitLines({"SELECT 1 /* ; */ + 1 -- ;", "# ;", ";"}), (V{"SELECT 1 /* ; */ + 1 -- ;\n# ;"}));
}

TEST(StatementSplitterTest, DashDashWithoutSpaceIsNotAComment) {
  EXPECT_EQ(SplitLines({"SELECT 1--1;"}), (V{"SELECT 1--1"}));
}

TEST(StatementSplitterTest, QuoteSpanningLines) {
  StatementSplitter splitter;
  EXPECT_TRUE(SplitLines(splitter, {"INSERT INTO t VALUES ('line one;", "line two;"}).empty());
  EXPECT_TRUE(splitter.HasPending());
  EXPECT_EQ(SplitLines(splitter, {"end');"}), (V{"INSERT INTO t VALUES ('line one;\nline two;\nend')"}));
}

TEST(StatementSplitterTest, BlockCommentSpanningLines) {
  StatementSplitter splitter;
  EXPECT_TRUE(SplitLines(splitter, {"/* a comment;", "still; comment"}).empty());
  EXPECT_TRUE(splitter.HasPending());  // the open comment needs more input
  EXPECT_EQ(SplitLines(splitter, {"*/ SELECT 1;"}), (V{"/* a comment;\nstill; comment\n*/ SELECT 1"}));
}

TEST(StatementSplitterTest, BacktickSpanningLines) {
  EXPECT_EQ(SplitLines({"SELECT `a", ";b`;"}), (V{"SELECT `a\n;b`"}));
}

TEST(StatementSplitterTest, VerticalTerminator) {
  EXPECT_EQ(SplitLines({"SELECT 1\\G"}), (V{"SELECT 1 [G]"}));
  EXPECT_EQ(SplitLines({"SELECT 1\\g"}), (V{"SELECT 1"}));
  EXPECT_EQ(SplitLines({"SELECT 1\\G SELECT 2;"}), (V{"SELECT 1 [G]", "SELECT 2"}));
  EXPECT_EQ(SplitLines({"SELECT 1\\GSELECT 2\\g"}), (V{"SELECT 1 [G]", "SELECT 2"}));
}

TEST(StatementSplitterTest, BackslashGInsideStringIsText) {
  EXPECT_EQ(SplitLines({"SELECT 'a\\G';"}), (V{"SELECT 'a\\G'"}));
}

TEST(StatementSplitterTest, ExecutableCommentsPassThroughWhole) {
  EXPECT_EQ(SplitLines({"/*!40101 SET NAMES utf8 */;"}), (V{"/*!40101 SET NAMES utf8 */"}));
  const std::string trigger =
      "/*!50003 CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a=1; END */";
  EXPECT_EQ(SplitLines({trigger + ";"}), (V{trigger}));
  EXPECT_EQ(SplitLines({"/*M!100100 SELECT 1; */ ;"}), (V{"/*M!100100 SELECT 1; */"}));
}

TEST(StatementSplitterTest, ExecutableCommentSpanningLines) {
  StatementSplitter splitter;
  EXPECT_TRUE(SplitLines(splitter, {"/*!50100 SELECT 1;"}).empty());
  EXPECT_TRUE(splitter.HasPending());
  EXPECT_EQ(SplitLines(splitter, {"*/;"}), (V{"/*!50100 SELECT 1;\n*/"}));
}

TEST(StatementSplitterTest, HasPendingIgnoresBlankAndCommentText) {
  StatementSplitter splitter;
  EXPECT_FALSE(splitter.HasPending());
  SplitLines(splitter, {"", "   ", "-- hello", "/* done */"});
  EXPECT_FALSE(splitter.HasPending());
  SplitLines(splitter, {"SELECT 1;", "  "});
  EXPECT_FALSE(splitter.HasPending());
}

TEST(StatementSplitterTest, TakePendingReturnsTheUnterminatedRemainder) {
  StatementSplitter splitter;
  EXPECT_EQ(SplitLines(splitter, {"SELECT 1; SELECT", "2  "}), (V{"SELECT 1"}));
  EXPECT_EQ(splitter.TakePending(), "SELECT\n2");
  EXPECT_FALSE(splitter.HasPending());
  EXPECT_EQ(splitter.TakePending(), "");
}

TEST(StatementSplitterTest, TakePendingIgnoresCommentsOnly) {
  StatementSplitter splitter;
  SplitLines(splitter, {"SELECT 1; -- trailing"});
  EXPECT_EQ(splitter.TakePending(), "");
}

TEST(StatementSplitterTest, TakePendingReturnsAnUnterminatedQuote) {
  StatementSplitter splitter;
  SplitLines(splitter, {"SELECT 'abc"});
  EXPECT_EQ(splitter.TakePending(), "SELECT 'abc");
}

TEST(StatementSplitterTest, ClearDropsPendingInput) {
  StatementSplitter splitter;
  SplitLines(splitter, {"SELECT 'open"});
  splitter.Clear();
  EXPECT_FALSE(splitter.HasPending());
  EXPECT_EQ(SplitLines(splitter, {"SELECT 2;"}), (V{"SELECT 2"}));
}

TEST(StatementSplitterTest, FeedInArbitraryChunksGivesTheSameStatements) {
  const std::string input = "SELECT 'a;b' -- c;\n, `x;y` /* ; */ FROM t; /*!50100 SELECT 1; */; SELECT 2\\G";
  StatementSplitter splitter;
  std::vector<std::string> out;
  for (char c : input) {
    splitter.Feed(std::string_view(&c, 1));
    SplitStatement statement;
    while (splitter.Next(&statement)) out.push_back(statement.sql + (statement.vertical ? " [G]" : ""));
  }
  EXPECT_EQ(out, (V{"SELECT 'a;b' -- c;\n, `x;y` /* ; */ FROM t", "/*!50100 SELECT 1; */", "SELECT 2 [G]"}));
}

TEST(StatementSplitterTest, LongStatementFedLineByLine) {
  StatementSplitter splitter;
  std::vector<std::string> lines = {"INSERT INTO t VALUES"};
  for (int i = 0; i < 20000; ++i)
    lines.push_back("(" + std::to_string(i) + ", 'v;" + std::to_string(i) + "'),");
  lines.push_back("(-1, 'end');");
  const V out = SplitLines(splitter, lines);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].substr(0, 30), "INSERT INTO t VALUES\n(0, 'v;0'");
  EXPECT_EQ(out[0].substr(out[0].size() - 11), "(-1, 'end')");
}

TEST(StatementSplitterTest, DelimiterCommandChangesTheTerminator) {
  StatementSplitter splitter;
  const V out = SplitLines(splitter, {"DELIMITER //", "CREATE PROCEDURE p()", "BEGIN", "  SELECT 1;", "END//",
                                      "DELIMITER ;", "CALL p();"});
  EXPECT_EQ(out, (V{"CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\nEND", "CALL p()"}));
  EXPECT_EQ(splitter.delimiter(), ";");
}

TEST(StatementSplitterTest, DelimiterMayBeGluedToAWord) {
  StatementSplitter splitter;
  EXPECT_EQ(SplitLines(splitter, {"delimiter $$", "SELECT 1; SELECT 2$$"}), (V{"SELECT 1; SELECT 2"}));
  EXPECT_EQ(splitter.delimiter(), "$$");
}

TEST(StatementSplitterTest, DelimiterInsideStringIsText) {
  StatementSplitter splitter;
  EXPECT_EQ(SplitLines(splitter, {"DELIMITER //", "SELECT '//' //"}), (V{"SELECT '//'"}));
}

TEST(StatementSplitterTest, BackslashGStillWorksWithAnotherDelimiter) {
  StatementSplitter splitter;
  EXPECT_EQ(SplitLines(splitter, {"DELIMITER //", "SELECT 1\\G"}), (V{"SELECT 1 [G]"}));
}

TEST(StatementSplitterTest, DelimiterWordInsideAStatementIsNotACommand) {
  EXPECT_EQ(SplitLines({"SELECT 1 AS", "delimiter ;"}), (V{"SELECT 1 AS\ndelimiter"}));
}

TEST(StatementSplitterTest, EmptyDelimiterIsRefused) {
  StatementSplitter splitter;
  SplitLines(splitter, {"DELIMITER"});
  EXPECT_EQ(splitter.delimiter(), ";");
  EXPECT_EQ(SplitLines(splitter, {"SELECT 1;"}), (V{"SELECT 1"}));
}

}  // namespace
}  // namespace ddb
