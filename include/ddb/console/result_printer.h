// Prints query results the way the mariadb client does, so a database
// engineer reads ddb's console output without thinking about it.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "ddb/mysql/mysql_connection.h"

namespace ddb {

enum class ResultLayout { kTable, kVertical, kBatch };

// Prints rows (if any) and the summary line, e.g. "2 rows in set (0.001 sec)"
// or "Query OK, 1 row affected (0.004 sec)". `answered_by`, when not empty, is
// added to the summary: "2 rows in set (slave1, 0.001 sec)".
void PrintResult(const QueryResult& result, ResultLayout layout, std::chrono::nanoseconds elapsed,
                 const std::string& answered_by, std::ostream& out);

// "0.001 sec" with the precision the mariadb client uses.
std::string FormatElapsed(std::chrono::nanoseconds elapsed);

// Display width of UTF-8 text in code points (what the table borders align on).
size_t DisplayWidth(const std::string& text);

}  // namespace ddb
