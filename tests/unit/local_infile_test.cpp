// Which loads ddb replicates (LOCAL: the client's file travels with the
// log) and the name it asks the client for.
#include "local_infile.h"

#include <gtest/gtest.h>

#include "ddb/sql/sql_lexer.h"

namespace ddb {
namespace {

std::optional<std::string> NameIn(const std::string& sql) { return LocalInfileName(Tokenize(sql)); }

TEST(LocalInfileTest, TheFileNameOfEachFormOfLocalLoad) {
  EXPECT_EQ(NameIn("LOAD DATA LOCAL INFILE '/tmp/a.csv' INTO TABLE t"), "/tmp/a.csv");
  EXPECT_EQ(NameIn("load data low_priority local infile 'it''s.csv' replace into table t"), "it's.csv");
  EXPECT_EQ(NameIn("LOAD DATA CONCURRENT LOCAL INFILE 'C:\\\\data\\\\x.csv' INTO TABLE t"),
            "C:\\data\\x.csv");
  EXPECT_EQ(NameIn("LOAD XML LOCAL INFILE \"rows.xml\" INTO TABLE t ROWS IDENTIFIED BY '<r>'"), "rows.xml");
  EXPECT_EQ(NameIn("SET STATEMENT unique_checks = 0 FOR LOAD DATA LOCAL INFILE 'f' INTO TABLE t"), "f");
}

TEST(LocalInfileTest, LoadsOfTheServersFilesAndOtherStatementsHaveNone) {
  EXPECT_EQ(NameIn("LOAD DATA INFILE '/tmp/a.csv' INTO TABLE t"), std::nullopt);
  EXPECT_EQ(NameIn("LOAD XML INFILE 'x' INTO TABLE t"), std::nullopt);
  EXPECT_EQ(NameIn("LOAD DATA LOCAL INFILE"), std::nullopt);
  EXPECT_EQ(NameIn("LOAD INDEX INTO CACHE t"), std::nullopt);
  EXPECT_EQ(NameIn("INSERT INTO t VALUES ('LOAD DATA LOCAL INFILE')"), std::nullopt);
  EXPECT_EQ(NameIn("SELECT 1 FROM t WHERE x = 'LOAD' AND DATA LOCAL INFILE 'f'"), std::nullopt);
}

TEST(LocalInfileTest, ASessionWithoutFilesGetsMariaDbsOwnError) {
  const Status s = LocalFilesNotAllowed();
  EXPECT_EQ(s.mysql_error_code(), 4166);
  EXPECT_EQ(s.sql_state(), "HY000");
}

}  // namespace
}  // namespace ddb
