#include "full_text_reads.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

LogRecord Record(std::vector<std::string> statements) {
  LogRecord record;
  for (std::string& sql : statements) {
    LoggedStatement statement;
    statement.sql = std::move(sql);
    record.statements.push_back(std::move(statement));
  }
  return record;
}

TEST(FullTextReadsTest, AnyStatementCallingMatchInAnyCaseAndSpacingCounts) {
  EXPECT_TRUE(SearchesFullTextIndex(Record({"DELETE FROM t WHERE MATCH(body) AGAINST ('x')"})));
  EXPECT_TRUE(SearchesFullTextIndex(
      Record({"INSERT INTO t VALUES (1)", "update t set n = 1 where match \n (b) against ('y')"})));
  EXPECT_TRUE(SearchesFullTextIndex(
      Record({"UPDATE t SET n = 1 WHERE id IN (SELECT id FROM f WHERE Match(b) AGAINST('z'))"})));
}

TEST(FullTextReadsTest, TheWordWithoutACallDoesNot) {
  EXPECT_FALSE(SearchesFullTextIndex(Record({"INSERT INTO matches (match_id) VALUES (1)"})));
  EXPECT_FALSE(SearchesFullTextIndex(Record({"UPDATE t SET v = 'no match' WHERE id = 2"})));
  EXPECT_FALSE(SearchesFullTextIndex(Record({})));
}

}  // namespace
}  // namespace ddb
