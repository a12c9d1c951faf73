#include "ddb/sql/builtin_functions.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace ddb {
namespace {

// Each list is sorted (checked at compile time below) and searched with
// std::binary_search. A name may be in more than one list: each list is its
// source's, so that it can be compared with that source again.

// The lists keep their names packed, as their sources list them.
// clang-format off
// sql/item_create.cc, func_array: the native function registry, looked up
// for every unqualified name( before anything else. LIKE_RANGE_MIN/MAX exist
// in debug builds only and are left out; the WSREP_* functions are in every
// build with Galera support, which Debian's is.
constexpr std::array kNativeFunctions = std::to_array<std::string_view>({
    "ABS", "ACOS", "ADDTIME", "ADD_MONTHS", "AES_DECRYPT", "AES_ENCRYPT", "ASIN", "ATAN", "ATAN2", "BENCHMARK",
    "BIN", "BINLOG_GTID_POS", "BIT_COUNT", "BIT_LENGTH", "CEIL", "CEILING", "CHARACTER_LENGTH", "CHAR_LENGTH",
    "CHR", "COALESCE", "COERCIBILITY", "COLLATION", "COLUMN_CHECK", "COLUMN_EXISTS", "COLUMN_JSON", "COLUMN_LIST",
    "COMPRESS", "CONCAT", "CONCAT_OPERATOR_ORACLE", "CONCAT_WS", "CONNECTION_ID", "CONV", "CONVERT_TZ", "COS",
    "COT", "CRC32", "CRC32C", "DATABASE", "DATEDIFF", "DATE_FORMAT", "DAYNAME", "DAYOFMONTH", "DAYOFWEEK",
    "DAYOFYEAR", "DECODE", "DECODE_HISTOGRAM", "DECODE_ORACLE", "DEGREES", "DES_DECRYPT", "DES_ENCRYPT", "ELT",
    "ENCODE", "ENCRYPT", "EXP", "EXPORT_SET", "EXTRACTVALUE", "FIELD", "FIND_IN_SET", "FLOOR", "FORMAT",
    "FOUND_ROWS", "FROM_BASE64", "FROM_DAYS", "FROM_UNIXTIME", "GET_LOCK", "GREATEST", "HEX", "IFNULL", "INSTR",
    "ISNULL", "IS_FREE_LOCK", "IS_USED_LOCK", "JSON_ARRAY", "JSON_ARRAY_APPEND", "JSON_ARRAY_INSERT",
    "JSON_COMPACT", "JSON_CONTAINS", "JSON_CONTAINS_PATH", "JSON_DEPTH", "JSON_DETAILED", "JSON_EQUALS",
    "JSON_EXISTS", "JSON_EXTRACT", "JSON_INSERT", "JSON_KEYS", "JSON_LENGTH", "JSON_LOOSE", "JSON_MERGE",
    "JSON_MERGE_PATCH", "JSON_MERGE_PRESERVE", "JSON_NORMALIZE", "JSON_OBJECT", "JSON_OVERLAPS", "JSON_PRETTY",
    "JSON_QUERY", "JSON_QUOTE", "JSON_REMOVE", "JSON_REPLACE", "JSON_SEARCH", "JSON_SET", "JSON_TYPE",
    "JSON_UNQUOTE", "JSON_VALID", "JSON_VALUE", "LAST_DAY", "LAST_INSERT_ID", "LCASE", "LEAST", "LENGTH", "LENGTHB",
    "LN", "LOAD_FILE", "LOCATE", "LOG", "LOG10", "LOG2", "LOWER", "LPAD", "LPAD_ORACLE", "LTRIM", "LTRIM_ORACLE",
    "MAKEDATE", "MAKETIME", "MAKE_SET", "MASTER_GTID_WAIT", "MASTER_POS_WAIT", "MD5", "MICROSECOND", "MOD",
    "MONTHNAME", "NAME_CONST", "NATURAL_SORT_KEY", "NULLIF", "NVL", "NVL2", "OCT", "OCTET_LENGTH", "OLD_PASSWORD",
    "ORD", "PASSWORD", "PERIOD_ADD", "PERIOD_DIFF", "PI", "POW", "POWER", "QUARTER", "QUOTE", "RADIANS", "RAND",
    "RANDOM_BYTES", "REGEXP_INSTR", "REGEXP_REPLACE", "REGEXP_SUBSTR", "RELEASE_ALL_LOCKS", "RELEASE_LOCK",
    "REPLACE_ORACLE", "REVERSE", "ROUND", "ROW_COUNT", "RPAD", "RPAD_ORACLE", "RTRIM", "RTRIM_ORACLE", "SCHEMA",
    "SCHEMAS", "SEC_TO_TIME", "SFORMAT", "SHA", "SHA1", "SHA2", "SIGN", "SIN", "SLEEP", "SOUNDEX", "SPACE", "SQRT",
    "STRCMP", "STR_TO_DATE", "SUBSTRING_INDEX", "SUBSTR_ORACLE", "SUBTIME", "TAN", "TIMEDIFF", "TIME_FORMAT",
    "TIME_TO_SEC", "TO_BASE64", "TO_CHAR", "TO_DAYS", "TO_SECONDS", "UCASE", "UNCOMPRESS", "UNCOMPRESSED_LENGTH",
    "UNHEX", "UNIX_TIMESTAMP", "UPDATEXML", "UPPER", "UUID_SHORT", "VERSION", "WEEK", "WEEKDAY", "WEEKOFYEAR",
    "WSREP_LAST_SEEN_GTID", "WSREP_LAST_WRITTEN_GTID", "WSREP_SYNC_WAIT_UPTO_GTID", "YEARWEEK"
});

// sql/item_geofunc.cc, func_array_geom: the spatial functions, in the same
// registry (ST_GIS_DEBUG is debug-only and left out).
constexpr std::array kSpatialFunctions = std::to_array<std::string_view>({
    "AREA", "ASBINARY", "ASTEXT", "ASWKB", "ASWKT", "BOUNDARY", "BUFFER", "CENTROID", "CONTAINS", "CONVEXHULL",
    "CROSSES", "DIMENSION", "DISJOINT", "ENDPOINT", "ENVELOPE", "EQUALS", "EXTERIORRING", "GEOMCOLLFROMTEXT",
    "GEOMCOLLFROMWKB", "GEOMETRYCOLLECTIONFROMTEXT", "GEOMETRYCOLLECTIONFROMWKB", "GEOMETRYFROMTEXT",
    "GEOMETRYFROMWKB", "GEOMETRYN", "GEOMETRYTYPE", "GEOMFROMTEXT", "GEOMFROMWKB", "GLENGTH", "INTERIORRINGN",
    "INTERSECTS", "ISCLOSED", "ISEMPTY", "ISRING", "ISSIMPLE", "LINEFROMTEXT", "LINEFROMWKB", "LINESTRINGFROMTEXT",
    "LINESTRINGFROMWKB", "MBRCONTAINS", "MBRDISJOINT", "MBREQUAL", "MBREQUALS", "MBRINTERSECTS", "MBROVERLAPS",
    "MBRTOUCHES", "MBRWITHIN", "MLINEFROMTEXT", "MLINEFROMWKB", "MPOINTFROMTEXT", "MPOINTFROMWKB", "MPOLYFROMTEXT",
    "MPOLYFROMWKB", "MULTILINESTRINGFROMTEXT", "MULTILINESTRINGFROMWKB", "MULTIPOINTFROMTEXT", "MULTIPOINTFROMWKB",
    "MULTIPOLYGONFROMTEXT", "MULTIPOLYGONFROMWKB", "NUMGEOMETRIES", "NUMINTERIORRINGS", "NUMPOINTS", "OVERLAPS",
    "POINTFROMTEXT", "POINTFROMWKB", "POINTN", "POINTONSURFACE", "POLYFROMTEXT", "POLYFROMWKB", "POLYGONFROMTEXT",
    "POLYGONFROMWKB", "SRID", "STARTPOINT", "ST_AREA", "ST_ASBINARY", "ST_ASGEOJSON", "ST_ASTEXT", "ST_ASWKB",
    "ST_ASWKT", "ST_BOUNDARY", "ST_BUFFER", "ST_CENTROID", "ST_CONTAINS", "ST_CONVEXHULL", "ST_CROSSES",
    "ST_DIFFERENCE", "ST_DIMENSION", "ST_DISJOINT", "ST_DISTANCE", "ST_DISTANCE_SPHERE", "ST_ENDPOINT",
    "ST_ENVELOPE", "ST_EQUALS", "ST_EXTERIORRING", "ST_GEOMCOLLFROMTEXT", "ST_GEOMCOLLFROMWKB",
    "ST_GEOMETRYCOLLECTIONFROMTEXT", "ST_GEOMETRYCOLLECTIONFROMWKB", "ST_GEOMETRYFROMTEXT", "ST_GEOMETRYFROMWKB",
    "ST_GEOMETRYN", "ST_GEOMETRYTYPE", "ST_GEOMFROMGEOJSON", "ST_GEOMFROMTEXT", "ST_GEOMFROMWKB",
    "ST_INTERIORRINGN", "ST_INTERSECTION", "ST_INTERSECTS", "ST_ISCLOSED", "ST_ISEMPTY", "ST_ISRING", "ST_ISSIMPLE",
    "ST_LENGTH", "ST_LINEFROMTEXT", "ST_LINEFROMWKB", "ST_LINESTRINGFROMTEXT", "ST_LINESTRINGFROMWKB",
    "ST_MLINEFROMTEXT", "ST_MLINEFROMWKB", "ST_MPOINTFROMTEXT", "ST_MPOINTFROMWKB", "ST_MPOLYFROMTEXT",
    "ST_MPOLYFROMWKB", "ST_MULTILINESTRINGFROMTEXT", "ST_MULTILINESTRINGFROMWKB", "ST_MULTIPOINTFROMTEXT",
    "ST_MULTIPOINTFROMWKB", "ST_MULTIPOLYGONFROMTEXT", "ST_MULTIPOLYGONFROMWKB", "ST_NUMGEOMETRIES",
    "ST_NUMINTERIORRINGS", "ST_NUMPOINTS", "ST_OVERLAPS", "ST_POINTFROMTEXT", "ST_POINTFROMWKB", "ST_POINTN",
    "ST_POINTONSURFACE", "ST_POLYFROMTEXT", "ST_POLYFROMWKB", "ST_POLYGONFROMTEXT", "ST_POLYGONFROMWKB",
    "ST_RELATE", "ST_SRID", "ST_STARTPOINT", "ST_SYMDIFFERENCE", "ST_TOUCHES", "ST_UNION", "ST_WITHIN", "ST_X",
    "ST_Y", "TOUCHES", "WITHIN", "X", "Y"
});

// plugin/type_inet/plugin.cc and plugin/type_uuid/plugin.cc: function
// plugins compiled into the server, found by the same lookup. (The TRT_*
// functions of plugin/versioning exist only when test_versioning is loaded.)
constexpr std::array kPluginFunctions = std::to_array<std::string_view>({
    "INET6_ATON", "INET6_NTOA", "INET_ATON", "INET_NTOA", "IS_IPV4", "IS_IPV4_COMPAT", "IS_IPV4_MAPPED", "IS_IPV6",
    "SYS_GUID", "UUID"
});

// sql/sql_type_geom.cc, make_constructor_item: the geometry types' names as
// constructors, tried after the registry.
constexpr std::array kGeometryConstructors = std::to_array<std::string_view>({
    "GEOMETRYCOLLECTION", "LINESTRING", "MULTILINESTRING", "MULTIPOINT", "MULTIPOLYGON", "POINT", "POLYGON"
});

// sql/sql_yacc.yy (function_call_keyword, function_call_nonkeyword,
// function_call_conflict, function_call_generic, column_default_non_
// parenthesized_expr) with their spellings from sql/lex.h (symbols[] and
// sql_functions[]): calls the grammar parses itself, because their name is a
// keyword or their arguments are not an expression list (CAST(x AS t),
// TRIM(LEADING x FROM y), EXTRACT(YEAR FROM d), NEXTVAL(seq)). Also the
// constructs that read like calls: EXISTS(subquery), ROW(...), MATCH(...)
// AGAINST, DEFAULT(col), VALUE(col)/VALUES(col), INTERVAL(n, ...). The
// SQL_TSI_* units are lexed as DAY, HOUR, ... and so work as those functions.
// Not JSON_TABLE: it is a table function of FROM, and json_table( in an
// expression calls a stored function of that name.
constexpr std::array kGrammarFunctions = std::to_array<std::string_view>({
    "ADDDATE", "ASCII", "CAST", "CHAR", "CHARACTER", "CHARSET", "COLUMN_ADD", "COLUMN_CREATE", "COLUMN_DELETE",
    "COLUMN_GET", "CONTAINS", "CONVERT", "CURDATE", "CURRENT_DATE", "CURRENT_ROLE", "CURRENT_TIME",
    "CURRENT_TIMESTAMP", "CURRENT_USER", "CURTIME", "DATE", "DATE_ADD", "DATE_SUB", "DAY", "DEFAULT", "EXISTS",
    "EXTRACT", "GET_FORMAT", "HOUR", "IF", "INSERT", "INTERVAL", "LASTVAL", "LEFT", "LOCALTIME", "LOCALTIMESTAMP",
    "MATCH", "MID", "MINUTE", "MOD", "MONTH", "NEXTVAL", "NOW", "OVERLAPS", "PASSWORD", "POSITION", "REPEAT",
    "REPLACE", "RIGHT", "ROW", "ROWNUM", "SECOND", "SESSION_USER", "SETVAL", "SQL_TSI_DAY", "SQL_TSI_HOUR",
    "SQL_TSI_MINUTE", "SQL_TSI_MONTH", "SQL_TSI_SECOND", "SQL_TSI_YEAR", "SUBDATE", "SUBSTR", "SUBSTRING",
    "SYSDATE", "SYSTEM_USER", "TIME", "TIMESTAMP", "TIMESTAMPADD", "TIMESTAMPDIFF", "TRIM", "TRIM_ORACLE",
    "TRUNCATE", "USER", "UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP", "VALUE", "VALUES", "WEIGHT_STRING", "WITHIN",
    "YEAR"
});

// sql/sql_yacc.yy (sum_expr, window_func, simple_window_func,
// inverse_distribution_function) with sql/lex.h's spellings: aggregate and
// window functions.
constexpr std::array kGrammarAggregateAndWindowFunctions = std::to_array<std::string_view>({
    "AVG", "BIT_AND", "BIT_OR", "BIT_XOR", "COUNT", "CUME_DIST", "DENSE_RANK", "FIRST_VALUE", "GROUP_CONCAT",
    "JSON_ARRAYAGG", "JSON_OBJECTAGG", "LAG", "LAST_VALUE", "LEAD", "MAX", "MEDIAN", "MIN", "NTH_VALUE", "NTILE",
    "PERCENTILE_CONT", "PERCENTILE_DISC", "PERCENT_RANK", "RANK", "ROW_NUMBER", "STD", "STDDEV", "STDDEV_POP",
    "STDDEV_SAMP", "SUM", "VARIANCE", "VAR_POP", "VAR_SAMP"
});

// clang-format on

template <std::size_t N>
constexpr bool IsSortedList(const std::array<std::string_view, N>& names) {
  return std::is_sorted(names.begin(), names.end());
}
static_assert(IsSortedList(kNativeFunctions));
static_assert(IsSortedList(kSpatialFunctions));
static_assert(IsSortedList(kPluginFunctions));
static_assert(IsSortedList(kGeometryConstructors));
static_assert(IsSortedList(kGrammarFunctions));
static_assert(IsSortedList(kGrammarAggregateAndWindowFunctions));

template <std::size_t N>
bool SortedListHolds(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::binary_search(names.begin(), names.end(), name);
}

// sql/sql_schema.cc: Schema::find_by_name.
constexpr std::string_view kFunctionSchemas[] = {"mariadb_schema", "maxdb_schema", "oracle_schema"};

}  // namespace

bool IsGeometryConstructor(std::string_view upper_name) {
  return SortedListHolds(kGeometryConstructors, upper_name);
}

bool IsBuiltinFunction(std::string_view upper_name) {
  return SortedListHolds(kNativeFunctions, upper_name) || SortedListHolds(kSpatialFunctions, upper_name) ||
         SortedListHolds(kPluginFunctions, upper_name) ||
         SortedListHolds(kGeometryConstructors, upper_name) ||
         SortedListHolds(kGrammarFunctions, upper_name) ||
         SortedListHolds(kGrammarAggregateAndWindowFunctions, upper_name);
}

bool IsBuiltinFunctionSchema(std::string_view schema) {
  return std::find(std::begin(kFunctionSchemas), std::end(kFunctionSchemas), schema) !=
         std::end(kFunctionSchemas);
}

std::vector<std::string_view> BuiltinFunctionNames() {
  std::vector<std::string_view> names;
  const auto append = [&names](const auto& list) { names.insert(names.end(), list.begin(), list.end()); };
  append(kNativeFunctions);
  append(kSpatialFunctions);
  append(kPluginFunctions);
  append(kGeometryConstructors);
  append(kGrammarFunctions);
  append(kGrammarAggregateAndWindowFunctions);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace ddb
