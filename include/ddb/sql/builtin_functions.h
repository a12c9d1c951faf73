// Which function names MariaDB 10.11 resolves to its own built-in functions.
//
// A call name(...) that is not built in runs a stored function of the default
// database (sql/sql_yacc.yy, function_call_generic: native functions first,
// then UDFs, then type constructors, then stored functions), and a stored
// function may write. The classifier must tell the two apart to log or refuse
// such a call instead of running it unlogged, so the list is the server's
// own, taken from its 10.11 sources and checked against a live 10.11 server
// (tests/e2e/builtin_functions_test.cpp).
//
// Names are compared in ASCII upper case, as typed without quotes: a quoted
// `name`( is always a stored function. A reserved word followed by '('
// (NOT (, IN (, AND (, SELECT (...) is an operator or a clause, not a call:
// the caller skips those itself; they are not listed here.
#pragma once

#include <string_view>
#include <vector>

namespace ddb {

// Whether an unqualified upper_name( calls a built-in function of MariaDB
// 10.11 in every sql_mode (Oracle mode adds no names of its own; its
// overrides, such as DECODE and LTRIM, are built in under the same names).
//
// The geometry constructors (IsGeometryConstructor) are included, although
// with an argument count their type does not take (POINT(), POINT(1, 2, 3))
// the server falls through to a stored function of that name.
bool IsBuiltinFunction(std::string_view upper_name);

// POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON,
// GEOMETRYCOLLECTION: built in with 2 arguments (POINT) or 1 or more (the
// others) only; a caller that counts arguments can close the gap above.
bool IsGeometryConstructor(std::string_view upper_name);

// Whether schema.name( calls a built-in whatever the name: the qualifiers
// mariadb_schema, oracle_schema and maxdb_schema pick the native functions of
// that sql_mode (an unknown name is an error, never a stored function). The
// server compares them case-sensitively (lower_case_table_names = 0), so only
// the lower-case spelling counts; `schema` is the unquoted value.
bool IsBuiltinFunctionSchema(std::string_view schema);

// Every name IsBuiltinFunction accepts, sorted, for checks against a live
// server.
std::vector<std::string_view> BuiltinFunctionNames();

}  // namespace ddb
