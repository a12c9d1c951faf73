#include "ddb/sql/sql_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ddb {
namespace {

// "kind:text" for each token, which reads well in failure messages.
std::vector<std::string> Describe(std::string_view sql, bool keep_comments = false) {
  std::vector<std::string> out;
  for (const Token& token : Tokenize(sql, keep_comments)) {
    out.push_back(std::string(TokenKindName(token.kind)) + ":" + std::string(token.text) +
                  (token.unterminated ? "!" : "") + (token.in_executable_comment ? "@" : ""));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(SqlLexerTest, WordsNumbersOperatorsAndSemicolon) {
  EXPECT_EQ(Describe("SELECT a1, 42 FROM t WHERE x>=1.5;"),
            (V{"word:SELECT", "word:a1", "operator:,", "number:42", "word:FROM", "word:t", "word:WHERE",
               "word:x", "operator:>=", "number:1.5", "semicolon:;"}));
}

TEST(SqlLexerTest, AnExecutableCommentForALaterServerIsAPlainComment) {
  // As MariaDB 10.11.19 reads them: mariadb-dump's first line, and a text
  // that would read as a SELECT where the server runs a DELETE.
  const LexMode mariadb_10_11{.server_version = 101119};
  auto words = [&](std::string_view sql, LexMode mode) {
    std::vector<std::string> out;
    for (const Token& token : Tokenize(sql, false, mode)) out.emplace_back(token.text);
    return out;
  };
  EXPECT_EQ(words("/*M!999999\\- enable the sandbox mode */ SET @a = 1", mariadb_10_11),
            (V{"SET", "@", "a", "=", "1"}));
  EXPECT_EQ(words("/*M!999999 SELECT */ DELETE FROM t", mariadb_10_11), (V{"DELETE", "FROM", "t"}));
  EXPECT_EQ(words("/*!99999 SELECT */ DELETE", mariadb_10_11), (V{"SELECT", "DELETE"})) << "99999 < 101119";
  EXPECT_EQ(words("/*M!101120 SELECT */ DELETE", mariadb_10_11), (V{"DELETE"}));
  EXPECT_EQ(words("/*M!101119 SELECT */ DELETE", mariadb_10_11), (V{"SELECT", "DELETE"}));
  EXPECT_EQ(words("/*!40101 SET x=1 */", mariadb_10_11), (V{"SET", "x", "=", "1"}));
  EXPECT_EQ(words("/*M!999999 SELECT */ DELETE", LexMode{}), (V{"SELECT", "DELETE"})) << "version unknown";
  const std::vector<Token> kept = Tokenize("/*M!999999 a; */ b", true, mariadb_10_11);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].kind, TokenKind::kComment) << "its ';' ends nothing";
  EXPECT_EQ(kept[1].text, "b");
}

TEST(SqlLexerTest, MultiCharacterOperators) {
  EXPECT_EQ(Describe("a<=>b @x:=1 @@global.y c->>'$.k' d<>e"),
            (V{"word:a", "operator:<=>", "word:b", "operator:@", "word:x", "operator::=", "number:1",
               "operator:@@", "word:global", "operator:.", "word:y", "word:c", "operator:->>", "string:'$.k'",
               "word:d", "operator:<>", "word:e"}));
}

TEST(SqlLexerTest, NumberForms) {
  EXPECT_EQ(Describe("1e10 1.5E-3 .5 0x1F 0b101 7."),
            (V{"number:1e10", "number:1.5E-3", "number:.5", "number:0x1F", "number:0b101", "number:7."}));
}

TEST(SqlLexerTest, NamesMayStartWithDigits) {
  EXPECT_EQ(Describe("SELECT * FROM 1abc, db.5t, 0xg"),
            (V{"word:SELECT", "operator:*", "word:FROM", "word:1abc", "operator:,", "word:db", "operator:.",
               "word:5t", "operator:,", "word:0xg"}));
}

TEST(SqlLexerTest, IdentifiersMayHoldDollarAndUtf8) {
  EXPECT_EQ(Describe("$x caf\xc3\xa9 _y"), (V{"word:$x", "word:caf\xc3\xa9", "word:_y"}));
}

TEST(SqlLexerTest, SingleAndDoubleQuotedStringsWithEscapes) {
  EXPECT_EQ(Describe(R"(SELECT 'it''s', "say \"hi\"", 'a\'b;c')"),
            (V{"word:SELECT", R"(string:'it''s')", "operator:,", R"(string:"say \"hi\"")", "operator:,",
               R"(string:'a\'b;c')"}));
}

TEST(SqlLexerTest, StringValueResolvesEscapesAndDoubledQuotes) {
  const auto tokens = Tokenize(R"('it''s' 'a\nb\\c\'d' "x""y" 'p\%q')");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(TokenValue(tokens[0]), "it's");
  EXPECT_EQ(TokenValue(tokens[1]), "a\nb\\c'd");
  EXPECT_EQ(TokenValue(tokens[2]), "x\"y");
  EXPECT_EQ(TokenValue(tokens[3]), "p\\%q");
}

TEST(SqlLexerTest, BacktickIdentifierWithDoubledBacktick) {
  const auto tokens = Tokenize("`my``table`.`a;b`");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(TokenValue(tokens[0]), "my`table");
  EXPECT_EQ(TokenValue(tokens[2]), "a;b");
}

TEST(SqlLexerTest, BackslashDoesNotEscapeInsideBackticks) {
  const auto tokens = Tokenize("`a\\` x");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(TokenValue(tokens[0]), "a\\");
  EXPECT_FALSE(tokens[0].unterminated);
}

TEST(SqlLexerTest, CommentsOfAllThreeKindsAreSkipped) {
  EXPECT_EQ(Describe("# hash ; DROP\nSELECT -- dash ; DROP\n1 /* block ; DROP */ + 2"),
            (V{"word:SELECT", "number:1", "operator:+", "number:2"}));
}

TEST(SqlLexerTest, DashDashNeedsWhitespaceToStartAComment) {
  EXPECT_EQ(Describe("1--1"), (V{"number:1", "operator:-", "operator:-", "number:1"}));
  EXPECT_EQ(Describe("1 --\tx\n2"), (V{"number:1", "number:2"}));
  EXPECT_EQ(Describe("1 --"), (V{"number:1"}));  // end of input counts as a control character
}

TEST(SqlLexerTest, KeepCommentsReportsThemAsTokens) {
  EXPECT_EQ(Describe("a # x\nb -- y\nc /* z */", /*keep_comments=*/true),
            (V{"word:a", "comment:# x", "word:b", "comment:-- y", "word:c", "comment:/* z */"}));
}

TEST(SqlLexerTest, ExecutableCommentContentsAreTokenized) {
  EXPECT_EQ(Describe("/*!40101 SET x=1 */;"),
            (V{"word:SET@", "word:x@", "operator:=@", "number:1@", "semicolon:;"}));
  EXPECT_EQ(Describe("/*! DROP TABLE t */"), (V{"word:DROP@", "word:TABLE@", "word:t@"}));
}

TEST(SqlLexerTest, MariaDbExecutableCommentsAreTokenized) {
  EXPECT_EQ(Describe("/*M!100100 DROP t */ /*M! x */"), (V{"word:DROP@", "word:t@", "word:x@"}));
}

TEST(SqlLexerTest, VersionDigitsAreSkippedEvenWithoutSpace) {
  EXPECT_EQ(Describe("/*!50100SELECT*/"), (V{"word:SELECT@"}));
}

TEST(SqlLexerTest, ExecutableCommentMarkersWhenKeepingComments) {
  EXPECT_EQ(Describe("/*!50100 a */ b", true),
            (V{"executable_comment_begin:/*!50100", "word:a@", "executable_comment_end:*/", "word:b"}));
}

TEST(SqlLexerTest, StarSlashOutsideExecutableCommentIsOperators) {
  EXPECT_EQ(Describe("2*/3"), (V{"number:2", "operator:*", "operator:/", "number:3"}));
}

TEST(SqlLexerTest, StringInsideExecutableCommentMayHoldCommentClose) {
  EXPECT_EQ(Describe("/*! SELECT '*/' */ x"), (V{"word:SELECT@", "string:'*/'@", "word:x"}));
}

TEST(SqlLexerTest, OptimizerHintIsAPlainComment) {
  EXPECT_EQ(Describe("SELECT /*+ MAX_EXECUTION_TIME(1) */ 1"), (V{"word:SELECT", "number:1"}));
}

TEST(SqlLexerTest, UnterminatedSingleQuotedString) {
  EXPECT_EQ(Describe("SELECT 'abc"), (V{"word:SELECT", "string:'abc!"}));
}

TEST(SqlLexerTest, UnterminatedDoubleQuotedStringEndingInBackslash) {
  const auto tokens = Tokenize("\"abc\\");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_TRUE(tokens[0].unterminated);
  EXPECT_EQ(tokens[0].text, "\"abc\\");  // never past the end
}

TEST(SqlLexerTest, UnterminatedBacktick) {
  EXPECT_EQ(Describe("USE `db"), (V{"word:USE", "quoted_identifier:`db!"}));
}

TEST(SqlLexerTest, UnterminatedBlockCommentIsReportedEvenWhenSkippingComments) {
  EXPECT_EQ(Describe("SELECT 1 /* no end"), (V{"word:SELECT", "number:1", "comment:/* no end!"}));
}

TEST(SqlLexerTest, UnterminatedExecutableCommentIsReported) {
  EXPECT_EQ(Describe("/*!50100 DROP TABLE t"), (V{"word:DROP@", "word:TABLE@", "word:t@", "comment:!@"}));
}

TEST(SqlLexerTest, LoneQuoteAndLoneSlashStarAtEnd) {
  EXPECT_EQ(Describe("'"), (V{"string:'!"}));
  EXPECT_EQ(Describe("/*"), (V{"comment:/*!"}));
  EXPECT_EQ(Describe("/*!"), (V{"comment:!@"}));
}

TEST(SqlLexerTest, EmptyAndBlankInputHaveNoTokens) {
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize(" \t\r\n").empty());
  SqlLexer lexer("");
  EXPECT_EQ(lexer.Next().kind, TokenKind::kEnd);
  EXPECT_EQ(lexer.Next().kind, TokenKind::kEnd);
}

TEST(SqlLexerTest, OffsetsPointIntoTheInput) {
  const std::string sql = "  SELECT `x`";
  const auto tokens = Tokenize(sql);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].offset, 2u);
  EXPECT_EQ(tokens[1].offset, 9u);
  EXPECT_EQ(tokens[1].end(), sql.size());
}

TEST(SqlLexerTest, BackslashOutsideStringsIsAnOperator) {
  EXPECT_EQ(Describe("SELECT 1\\G"), (V{"word:SELECT", "number:1", "operator:\\", "word:G"}));
}

TEST(SqlLexerTest, IsKeywordIgnoresCaseButNotQuotes) {
  const auto tokens = Tokenize("sElEcT `select` 'select'");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_TRUE(IsKeyword(tokens[0], "SELECT"));
  EXPECT_FALSE(IsKeyword(tokens[1], "SELECT"));
  EXPECT_FALSE(IsKeyword(tokens[2], "SELECT"));
  EXPECT_FALSE(IsKeyword(tokens[0], "SELECTS"));
}

TEST(SqlLexerTest, CharsetIntroducersAndHexLiterals) {
  EXPECT_EQ(Describe("_utf8mb4'x' X'0F' N'y'"),
            (V{"word:_utf8mb4", "string:'x'", "word:X", "string:'0F'", "word:N", "string:'y'"}));
}

}  // namespace
}  // namespace ddb

namespace ddb {
namespace {

TEST(SqlLexerModeTest, AnsiQuotesMakeDoubleQuotesIdentifiers) {
  const std::vector<Token> tokens =
      Tokenize("SELECT \"a\"\"b\" FROM 'x'", false, LexModeFor("REAL_AS_FLOAT,ANSI"));
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[1].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(TokenValue(tokens[1]), "a\"b");
  EXPECT_EQ(tokens[3].kind, TokenKind::kString);
}

TEST(SqlLexerModeTest, NoBackslashEscapesEndsAStringAtItsQuote) {
  const LexMode mode = LexModeFor("NO_BACKSLASH_ESCAPES");
  EXPECT_FALSE(mode.backslash_escapes);
  const std::vector<Token> tokens = Tokenize("'a\\', @x", false, mode);
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(TokenValue(tokens[0]), "a\\");
  EXPECT_EQ(tokens[2].text, "@");
  // The default reads the backslash as an escape: one unterminated string.
  EXPECT_EQ(Tokenize("'a\\', @x").size(), 1u);
}

}  // namespace
}  // namespace ddb
