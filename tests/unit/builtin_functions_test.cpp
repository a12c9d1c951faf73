#include "ddb/sql/builtin_functions.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace ddb {
namespace {

struct Group {
  const char* source;
  std::vector<std::string_view> names;
};

TEST(BuiltinFunctionsTest, ASampleOfEachSourceIsBuiltIn) {
  const std::vector<Group> groups = {
      {"item_create.cc",
       {"ABS", "CONCAT", "COALESCE", "DATE_FORMAT", "IFNULL", "JSON_EXTRACT", "JSON_VALUE", "LAST_INSERT_ID",
        "NVL2", "REGEXP_REPLACE", "SFORMAT", "UUID_SHORT", "YEARWEEK", "WSREP_LAST_SEEN_GTID",
        "DECODE_ORACLE", "CHR", "TO_CHAR", "ADD_MONTHS"}},
      {"item_geofunc.cc",
       {"ST_ASTEXT", "ST_GEOMFROMTEXT", "ST_DISTANCE_SPHERE", "ST_X", "ASWKB", "MBRCONTAINS", "ST_ASGEOJSON",
        "X", "Y", "CONTAINS", "WITHIN", "OVERLAPS"}},
      {"function plugins", {"INET6_ATON", "INET_NTOA", "IS_IPV4_MAPPED", "UUID", "SYS_GUID"}},
      {"geometry constructors", {"POINT", "LINESTRING", "GEOMETRYCOLLECTION"}},
      {"grammar",
       {"CAST",
        "CONVERT",
        "SUBSTRING",
        "SUBSTR",
        "MID",
        "TRIM",
        "POSITION",
        "EXTRACT",
        "DATE_ADD",
        "CURRENT_DATE",
        "CURRENT_TIMESTAMP",
        "LOCALTIME",
        "NOW",
        "SYSDATE",
        "IF",
        "INTERVAL",
        "MOD",
        "REPLACE",
        "INSERT",
        "LEFT",
        "RIGHT",
        "CHAR",
        "NEXTVAL",
        "LASTVAL",
        "SETVAL",
        "ROWNUM",
        "USER",
        "CURRENT_USER",
        "VALUES",
        "EXISTS",
        "DEFAULT",
        "TRIM_ORACLE",
        "SQL_TSI_DAY",
        "WEIGHT_STRING"}},
      {"aggregates and windows",
       {"COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "JSON_ARRAYAGG", "JSON_OBJECTAGG", "STDDEV_SAMP",
        "BIT_XOR", "ROW_NUMBER", "RANK", "DENSE_RANK", "LAG", "LEAD", "NTILE", "FIRST_VALUE",
        "PERCENTILE_CONT", "MEDIAN"}},
  };
  for (const Group& group : groups) {
    for (std::string_view name : group.names)
      EXPECT_TRUE(IsBuiltinFunction(name)) << group.source << ": " << name;
  }
}

TEST(BuiltinFunctionsTest, OtherNamesAreNot) {
  for (std::string_view name :
       {"MY_FUNC",
        "ITEMS",
        "ACCOUNTS",
        "T1",
        "SHOP",
        "F",
        "",
        "ABSX",
        "AB",
        "ZZZ",
        "JSON_TABLE",  // a table function of FROM; json_table( in an expression is stored
        "TRT_TRX_ID",  // only with the test_versioning plugin
        "LIKE_RANGE_MIN",
        "ST_GIS_DEBUG",  // debug builds only
        "FORMAT_PICO_TIME",
        "JSON_SCHEMA_VALID",
        "KDF",  // MariaDB 11.x
        "NOT",
        "AND",
        "SELECT",
        "IN"}) {
    EXPECT_FALSE(IsBuiltinFunction(name)) << name;
  }
}

TEST(BuiltinFunctionsTest, NamesAreUpperCaseAsGiven) {
  EXPECT_TRUE(IsBuiltinFunction("CONCAT"));
  EXPECT_FALSE(IsBuiltinFunction("concat")) << "the caller upper-cases (AsciiUpper)";
}

TEST(BuiltinFunctionsTest, GeometryConstructorsAreKnownApart) {
  EXPECT_TRUE(IsGeometryConstructor("POINT"));
  EXPECT_TRUE(IsGeometryConstructor("MULTIPOLYGON"));
  EXPECT_FALSE(IsGeometryConstructor("ST_POINTFROMTEXT"));
  EXPECT_FALSE(IsGeometryConstructor("CONCAT"));
}

TEST(BuiltinFunctionsTest, OnlyTheServersOwnSchemasQualifyBuiltIns) {
  EXPECT_TRUE(IsBuiltinFunctionSchema("mariadb_schema"));
  EXPECT_TRUE(IsBuiltinFunctionSchema("oracle_schema"));
  EXPECT_TRUE(IsBuiltinFunctionSchema("maxdb_schema"));
  EXPECT_FALSE(IsBuiltinFunctionSchema("MARIADB_SCHEMA")) << "the server resolves it as a database";
  EXPECT_FALSE(IsBuiltinFunctionSchema("shop"));
  EXPECT_FALSE(IsBuiltinFunctionSchema(""));
}

TEST(BuiltinFunctionsTest, NamesListIsSortedUniqueAndAgreesWithTheLookup) {
  const std::vector<std::string_view> names = BuiltinFunctionNames();
  EXPECT_GT(names.size(), 450u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  for (std::string_view name : names) EXPECT_TRUE(IsBuiltinFunction(name)) << name;
}

}  // namespace
}  // namespace ddb
