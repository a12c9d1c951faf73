// Which statements mark a session as one that may hold user variables (every
// later write of such a session carries them, at two round trips a write).

#include "session_user_variables.h"

#include <gtest/gtest.h>

#include <string>

#include "ddb/sql/parsed_statement.h"

namespace ddb {
namespace {

bool Marks(const std::string& sql) { return MaySetUserVariables(ParseStatement(sql)); }

TEST(SessionUserVariablesTest, NamingAVariableOrRunningAProgramMarksTheSession) {
  EXPECT_TRUE(Marks("SET @a = 1"));
  EXPECT_TRUE(Marks("SELECT a INTO @a FROM t"));
  EXPECT_TRUE(Marks("CALL p()"));
  EXPECT_TRUE(Marks("INSERT INTO t VALUES (f(1))"));
  EXPECT_TRUE(Marks("CREATE TABLE t AS SELECT f(1) AS a"));
}

TEST(SessionUserVariablesTest, ADefinitionsColumnTypesAndTableNamesDoNot) {
  EXPECT_FALSE(Marks("CREATE TABLE t (a VARCHAR(10), b DECIMAL(10, 2), c ENUM('x', 'y'))"));
  EXPECT_FALSE(Marks("CREATE TABLE IF NOT EXISTS t (a INT)"));
  EXPECT_FALSE(Marks("ALTER TABLE t MODIFY a VARCHAR(20)"));
  EXPECT_FALSE(Marks("INSERT INTO shop.t (a) VALUES (1)"));
  EXPECT_FALSE(Marks("INSERT t (a) VALUES (1)"));
}

}  // namespace
}  // namespace ddb
