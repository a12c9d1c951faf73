// Checks src/common/sql/builtin_functions.cpp against a live MariaDB: every name
// it lists must be resolved by the server itself, never as a stored function
// (errors 1305 and 1630, "FUNCTION db.x does not exist"), in the default
// sql_mode and in Oracle mode; and no keyword the server knows may be a
// function the list is missing.

#include "ddb/sql/builtin_functions.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>

#include "ddb/sql/sql_lexer.h"
#include "mariadb_instance.h"
#include "wait.h"

namespace ddb::testing {
namespace {

constexpr int kNoSuchFunction = 1305;               // ER_SP_DOES_NOT_EXIST
constexpr int kNoSuchFunctionNameCollision = 1630;  // the same, for a name that is also a keyword
constexpr int kSyntaxError = 1064;

// How to call the names that `SELECT NAME()` cannot: the grammar wants other
// arguments, or a constructor falls through to a stored function with a
// count its type does not take. t(a INT PRIMARY KEY), s (a sequence) and
// ft(b TEXT, FULLTEXT) exist in the test's database.
const std::map<std::string, std::string>& Probes() {
  static const std::map<std::string, std::string> probes = {
      {"ADDDATE", "SELECT ADDDATE('2020-01-01', 1)"},
      {"ASCII", "SELECT ASCII('a')"},
      {"AVG", "SELECT AVG(a) FROM t"},
      {"BIT_AND", "SELECT BIT_AND(a) FROM t"},
      {"BIT_OR", "SELECT BIT_OR(a) FROM t"},
      {"BIT_XOR", "SELECT BIT_XOR(a) FROM t"},
      {"CAST", "SELECT CAST(1 AS CHAR)"},
      {"CHAR", "SELECT CHAR(65)"},
      {"CHARACTER", "SELECT CHARACTER(65)"},
      {"CHARSET", "SELECT CHARSET('a')"},
      {"COLUMN_ADD", "SELECT COLUMN_ADD(COLUMN_CREATE('a', 1), 'b', 2)"},
      {"COLUMN_CREATE", "SELECT COLUMN_CREATE('a', 1)"},
      {"COLUMN_DELETE", "SELECT COLUMN_DELETE(COLUMN_CREATE('a', 1), 'a')"},
      {"COLUMN_GET", "SELECT COLUMN_GET(COLUMN_CREATE('a', 1), 'a' AS INT)"},
      {"CONVERT", "SELECT CONVERT('a', CHAR)"},
      {"COUNT", "SELECT COUNT(*) FROM t"},
      {"CUME_DIST", "SELECT CUME_DIST() OVER (ORDER BY a) FROM t"},
      {"DATE", "SELECT DATE('2020-01-01 10:00:00')"},
      {"DATE_ADD", "SELECT DATE_ADD('2020-01-01', INTERVAL 1 DAY)"},
      {"DATE_SUB", "SELECT DATE_SUB('2020-01-01', INTERVAL 1 DAY)"},
      {"DAY", "SELECT DAY('2020-01-02')"},
      {"DEFAULT", "SELECT DEFAULT(a) FROM t"},
      {"DENSE_RANK", "SELECT DENSE_RANK() OVER (ORDER BY a) FROM t"},
      {"EXISTS", "SELECT EXISTS(SELECT 1)"},
      {"EXTRACT", "SELECT EXTRACT(YEAR FROM '2020-01-01')"},
      {"FIRST_VALUE", "SELECT FIRST_VALUE(a) OVER (ORDER BY a) FROM t"},
      {"GET_FORMAT", "SELECT GET_FORMAT(DATE, 'ISO')"},
      {"GROUP_CONCAT", "SELECT GROUP_CONCAT(a) FROM t"},
      {"HOUR", "SELECT HOUR('10:11:12')"},
      {"IF", "SELECT IF(1, 2, 3)"},
      {"INSERT", "SELECT INSERT('abc', 1, 1, 'x')"},
      {"INTERVAL", "SELECT INTERVAL(5, 1, 10)"},
      {"JSON_ARRAYAGG", "SELECT JSON_ARRAYAGG(a) FROM t"},
      {"JSON_OBJECTAGG", "SELECT JSON_OBJECTAGG(a, a) FROM t"},
      {"LAG", "SELECT LAG(a) OVER (ORDER BY a) FROM t"},
      {"LASTVAL", "SELECT LASTVAL(s)"},
      {"LAST_VALUE", "SELECT LAST_VALUE(a) OVER (ORDER BY a) FROM t"},
      {"LEAD", "SELECT LEAD(a) OVER (ORDER BY a) FROM t"},
      {"LEFT", "SELECT LEFT('abc', 1)"},
      {"MATCH", "SELECT MATCH(b) AGAINST ('x') FROM ft"},
      {"MAX", "SELECT MAX(a) FROM t"},
      {"MEDIAN", "SELECT MEDIAN(a) OVER () FROM t"},
      {"MID", "SELECT MID('abc', 2, 1)"},
      {"MIN", "SELECT MIN(a) FROM t"},
      {"MINUTE", "SELECT MINUTE('10:11:12')"},
      {"MOD", "SELECT MOD(7, 3)"},
      {"MONTH", "SELECT MONTH('2020-03-01')"},
      {"NEXTVAL", "SELECT NEXTVAL(s)"},
      {"NTH_VALUE", "SELECT NTH_VALUE(a, 1) OVER (ORDER BY a) FROM t"},
      {"NTILE", "SELECT NTILE(2) OVER (ORDER BY a) FROM t"},
      {"PASSWORD", "SELECT PASSWORD('x')"},
      {"PERCENTILE_CONT", "SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY a) OVER () FROM t"},
      {"PERCENTILE_DISC", "SELECT PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY a) OVER () FROM t"},
      {"PERCENT_RANK", "SELECT PERCENT_RANK() OVER (ORDER BY a) FROM t"},
      {"POSITION", "SELECT POSITION('b' IN 'abc')"},
      {"RANK", "SELECT RANK() OVER (ORDER BY a) FROM t"},
      {"REPEAT", "SELECT REPEAT('a', 3)"},
      {"REPLACE", "SELECT REPLACE('abc', 'b', 'x')"},
      {"RIGHT", "SELECT RIGHT('abc', 1)"},
      {"ROW", "SELECT ROW(1, 2) = ROW(1, 2)"},
      {"ROW_NUMBER", "SELECT ROW_NUMBER() OVER (ORDER BY a) FROM t"},
      {"SECOND", "SELECT SECOND('10:11:12')"},
      {"SETVAL", "SELECT SETVAL(s, 10)"},
      {"SCHEMAS", "SELECT mariadb_schema.SCHEMAS()"},
      {"SQL_TSI_DAY", "SELECT SQL_TSI_DAY('2020-01-02')"},
      {"SQL_TSI_HOUR", "SELECT SQL_TSI_HOUR('10:11:12')"},
      {"SQL_TSI_MINUTE", "SELECT SQL_TSI_MINUTE('10:11:12')"},
      {"SQL_TSI_MONTH", "SELECT SQL_TSI_MONTH('2020-03-01')"},
      {"SQL_TSI_SECOND", "SELECT SQL_TSI_SECOND('10:11:12')"},
      {"SQL_TSI_YEAR", "SELECT SQL_TSI_YEAR('2020-03-01')"},
      {"STD", "SELECT STD(a) FROM t"},
      {"STDDEV", "SELECT STDDEV(a) FROM t"},
      {"STDDEV_POP", "SELECT STDDEV_POP(a) FROM t"},
      {"STDDEV_SAMP", "SELECT STDDEV_SAMP(a) FROM t"},
      {"SUBDATE", "SELECT SUBDATE('2020-01-01', 1)"},
      {"SUBSTR", "SELECT SUBSTR('abc', 2)"},
      {"SUBSTRING", "SELECT SUBSTRING('abc' FROM 2 FOR 1)"},
      {"SUM", "SELECT SUM(a) FROM t"},
      {"TIME", "SELECT TIME('2020-01-01 10:11:12')"},
      {"TIMESTAMP", "SELECT TIMESTAMP('2020-01-01')"},
      {"TIMESTAMPADD", "SELECT TIMESTAMPADD(DAY, 1, '2020-01-01')"},
      {"TIMESTAMPDIFF", "SELECT TIMESTAMPDIFF(DAY, '2020-01-01', '2020-01-03')"},
      {"TRIM", "SELECT TRIM(LEADING 'x' FROM 'xxa')"},
      {"TRIM_ORACLE", "SELECT TRIM_ORACLE(' a ')"},
      {"TRUNCATE", "SELECT TRUNCATE(1.25, 1)"},
      {"VALUE", "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUE(a) + 0"},
      {"VALUES", "INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a) + 0"},
      {"VARIANCE", "SELECT VARIANCE(a) FROM t"},
      {"VAR_POP", "SELECT VAR_POP(a) FROM t"},
      {"VAR_SAMP", "SELECT VAR_SAMP(a) FROM t"},
      {"WEIGHT_STRING", "SELECT WEIGHT_STRING('a')"},
      {"YEAR", "SELECT YEAR('2020-01-01')"},
      {"POINT", "SELECT POINT(1, 2)"},
      {"LINESTRING", "SELECT LINESTRING(POINT(1, 2), POINT(3, 4))"},
      {"POLYGON", "SELECT POLYGON(LINESTRING(POINT(0, 0), POINT(0, 1), POINT(1, 1), POINT(0, 0)))"},
      {"MULTIPOINT", "SELECT MULTIPOINT(POINT(1, 2))"},
      {"MULTILINESTRING", "SELECT MULTILINESTRING(LINESTRING(POINT(1, 2), POINT(3, 4)))"},
      {"MULTIPOLYGON",
       "SELECT MULTIPOLYGON(POLYGON(LINESTRING(POINT(0, 0), POINT(0, 1), POINT(1, 1), POINT(0, 0))))"},
      {"GEOMETRYCOLLECTION", "SELECT GEOMETRYCOLLECTION(POINT(1, 2))"},
  };
  return probes;
}

// Keywords that take a parenthesized operand without being a call: select
// options and operators ("SELECT DISTINCT (a)", "SELECT NOT (1)").
const std::set<std::string> kOperandKeywords = {
    "ALL",          "BINARY",           "DISTINCT",          "DISTINCTROW", "HIGH_PRIORITY",
    "NOT",          "SQL_BIG_RESULT",   "SQL_BUFFER_RESULT", "SQL_CACHE",   "SQL_CALC_FOUND_ROWS",
    "SQL_NO_CACHE", "SQL_SMALL_RESULT", "STRAIGHT_JOIN",     "UNIQUE"};

class BuiltinFunctionsLiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = MariaDbInstance::Start(dir_.path() / "server");
    server_->Execute("CREATE DATABASE probe");
    connection_ = server_->Connect("probe");
    Run("CREATE TABLE t (a INT PRIMARY KEY)");
    Run("INSERT INTO t VALUES (1), (2)");
    Run("CREATE SEQUENCE s");
    Run("CREATE TABLE ft (b TEXT, FULLTEXT (b)) ENGINE=InnoDB");
  }

  // The server's error code for `sql`, 0 when it ran.
  int Run(const std::string& sql) {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    try {
      if (statement->execute(sql)) std::unique_ptr<sql::ResultSet> rows(statement->getResultSet());
    } catch (const sql::SQLException& e) {
      return e.getErrorCode();
    }
    return 0;
  }

  static bool IsStoredFunctionLookup(int code) {
    return code == kNoSuchFunction || code == kNoSuchFunctionNameCollision;
  }

  // Every listed name is resolved by the server itself.
  void ExpectEveryNameBuiltIn(const std::string& sql_mode) {
    ASSERT_EQ(Run("SET sql_mode = '" + sql_mode + "'"), 0);
    for (std::string_view name : BuiltinFunctionNames()) {
      const auto probe = Probes().find(std::string(name));
      const std::string sql = probe != Probes().end() ? probe->second : "SELECT " + std::string(name) + "()";
      const int code = Run(sql);
      EXPECT_FALSE(IsStoredFunctionLookup(code))
          << sql << " in sql_mode '" << sql_mode << "': error " << code;
      EXPECT_NE(code, kSyntaxError) << sql << " in sql_mode '" << sql_mode << "': no probe for " << name;
    }
  }

  TempDir dir_{"ddb-builtins"};
  std::unique_ptr<MariaDbInstance> server_;
  std::unique_ptr<sql::Connection> connection_;
};

TEST_F(BuiltinFunctionsLiveTest, EveryListedNameIsResolvedByTheServer) {
  ExpectEveryNameBuiltIn("STRICT_TRANS_TABLES");
  ExpectEveryNameBuiltIn("ORACLE");
}

TEST_F(BuiltinFunctionsLiveTest, TheCheckTellsStoredFunctionsApart) {
  EXPECT_EQ(Run("SELECT my_func()"), kNoSuchFunction);
  EXPECT_EQ(Run("SELECT t()"), kNoSuchFunction);
  EXPECT_EQ(Run("SELECT json_table()"), kNoSuchFunctionNameCollision);
  ASSERT_EQ(Run("CREATE FUNCTION my_func() RETURNS INT DETERMINISTIC RETURN 7"), 0);
  EXPECT_EQ(Run("SELECT my_func()"), 0);
  EXPECT_FALSE(IsBuiltinFunction("MY_FUNC"));
  EXPECT_EQ(Run("SELECT point()"), kNoSuchFunction)
      << "constructors need their argument count (see the header)";
}

TEST_F(BuiltinFunctionsLiveTest, TheServersOwnListsHoldNoFunctionTheListMisses) {
  std::unique_ptr<sql::Statement> statement(connection_->createStatement());
  std::vector<std::string> functions;
  std::vector<std::string> keywords;
  {
    std::unique_ptr<sql::ResultSet> rows(
        statement->executeQuery("SELECT FUNCTION FROM information_schema.SQL_FUNCTIONS"));
    while (rows->next()) functions.push_back(AsciiUpper(std::string(rows->getString(1))));
  }
  {
    std::unique_ptr<sql::ResultSet> rows(
        statement->executeQuery("SELECT WORD FROM information_schema.KEYWORDS"));
    while (rows->next()) keywords.push_back(AsciiUpper(std::string(rows->getString(1))));
  }
  ASSERT_GT(functions.size(), 200u);
  ASSERT_GT(keywords.size(), 500u);
  for (const std::string& name : functions) EXPECT_TRUE(IsBuiltinFunction(name)) << name;
  // A keyword outside the list is no call with any of these arguments: a
  // syntax error, or a stored function lookup.
  for (const std::string& word : keywords) {
    if (IsBuiltinFunction(word) || kOperandKeywords.count(word) > 0 || word.find_first_of("<>=!&|") == 0)
      continue;
    for (const char* arguments : {"", "1", "1, 2", "1, 2, 3", "'a'"}) {
      const int code = Run("SELECT " + word + "(" + arguments + ")");
      EXPECT_TRUE(code == kSyntaxError || IsStoredFunctionLookup(code))
          << word << "(" << arguments << ") gave error " << code << ": a function missing from the list?";
    }
  }
}

}  // namespace
}  // namespace ddb::testing
