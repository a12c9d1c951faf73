#include "query.h"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <memory>
#include <stdexcept>

#include "wait.h"

namespace ddb::bench {

uint64_t QueryInteger(sql::Connection& connection, const std::string& sql) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> result(statement->executeQuery(sql));
  if (!result->next() || result->isNull(1)) return 0;
  return result->getUInt64(1);
}

void PollUntil(sql::Connection& connection, const std::string& sql, const std::function<bool(uint64_t)>& done,
               std::chrono::milliseconds deadline, const std::string& what) {
  const bool reached = testing::WaitFor([&] { return done(QueryInteger(connection, sql)); }, deadline,
                                        std::chrono::milliseconds(2));
  if (!reached)
    throw std::runtime_error(what + " did not happen within " + std::to_string(deadline.count()) + " ms");
}

}  // namespace ddb::bench
