// What SqlSession::RefreshSessionState reads when it connects, as a
// FakeSqlServer answers it: the replicated variables, then autocommit,
// DATABASE(), the isolation level, character_set_results, CURRENT_USER() and
// CURRENT_ROLE().
#pragma once

#include "ddb/mysql/replay_session.h"
#include "fake_sql_connection.h"

namespace ddb::testing {

inline QueryResult FakeSessionState(const std::string& autocommit = "1",
                                    std::optional<std::string> role = std::nullopt) {
  std::vector<std::string> columns;
  std::vector<std::optional<std::string>> row;
  for (const ReplicatedVariable& variable : ReplicatedVariables()) {
    columns.push_back(variable.name);
    row.push_back(std::string(variable.numeric ? "0" : "STRICT_TRANS_TABLES"));
  }
  for (const char* column : {"autocommit", "database", "isolation", "charset", "account", "role"})
    columns.push_back(column);
  row.insert(row.end(), {autocommit, "app", "REPEATABLE-READ", "utf8mb4", "app@%", std::move(role)});
  return FakeSqlServer::Rows(columns, {row});
}

// Scripts `server` with what every SqlSession asks first.
inline void AnswerSessionSetUp(FakeSqlServer& server) {
  server.Answer(SelectReplicatedVariablesSql(), FakeSessionState());
  server.Answer("SELECT @@global.max_allowed_packet", FakeSqlServer::Value("67108864"));
  server.Answer("SELECT @@session.lock_wait_timeout",
                FakeSqlServer::Rows({"lock_wait_timeout", "innodb_lock_wait_timeout"}, {{"60", "50"}}));
}

}  // namespace ddb::testing
