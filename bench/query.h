// Small helpers for the harness's own observation queries, on connections it
// keeps open (opening a connection per poll would cost more than the query).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <cppconn/connection.h>

namespace ddb::bench {

// The first column of the first row of `sql` as an integer (0 for NULL or no
// row). Throws sql::SQLException.
uint64_t QueryInteger(sql::Connection& connection, const std::string& sql);

// Runs `sql` every 2 ms until `done(value)`; throws std::runtime_error naming
// `what` after `deadline`.
void PollUntil(sql::Connection& connection, const std::string& sql, const std::function<bool(uint64_t)>& done,
               std::chrono::milliseconds deadline, const std::string& what);

}  // namespace ddb::bench
