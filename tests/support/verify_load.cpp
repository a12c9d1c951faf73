#include "verify_load.h"

#include <random>

namespace ddb::testing {

std::vector<std::string> VerifyLoad::Setup() const {
  std::vector<std::string> setup = {"CREATE DATABASE w", "USE w"};
  for (int t = 1; t <= tables; ++t) {
    setup.push_back("CREATE TABLE " + Table(t) +
                    " (id BIGINT PRIMARY KEY, n INT NOT NULL, s VARCHAR(40), ts TIMESTAMP(6) NULL)");
    setup.push_back("INSERT INTO " + Table(t) +
                    " SELECT seq, seq % 97, CONCAT('row ', seq), NULL FROM seq_1_to_" + std::to_string(rows));
  }
  return setup;
}

void VerifyLoad::Write(Cluster& cluster, int client, const std::atomic<bool>& stop,
                       ClientTally* tally) const {
  std::mt19937 random(9100 + client);
  Status error;
  std::unique_ptr<MySqlConnection> connection =
      ConnectWithin(ClientEndpoint(cluster, "w"), std::chrono::seconds(30), &error);
  if (!connection) return tally->Count(error, "connect");
  int64_t next_id = 1000000 * (client + 1);
  std::vector<int64_t> mine;
  while (!stop) {
    const std::string table = Table(std::uniform_int_distribution<int>(1, tables)(random));
    const std::string id = std::to_string(std::uniform_int_distribution<int>(1, rows)(random));
    std::vector<std::string> statements;
    switch (std::uniform_int_distribution<int>(0, 3)(random)) {
      case 0: statements = {"UPDATE " + table + " SET n = n + 1, ts = NOW(6) WHERE id = " + id}; break;
      case 1:
        mine.push_back(next_id);
        statements = {"INSERT INTO " + table + " (id, n, s) VALUES (" + std::to_string(next_id++) + ", " +
                      id + ", 'new')"};
        break;
      case 2:
        if (mine.empty()) continue;
        statements = {"DELETE FROM " + table + " WHERE id = " + std::to_string(mine.back())};
        mine.pop_back();
        break;
      default:
        statements = {
            "BEGIN", "UPDATE " + table + " SET n = n - 1 WHERE id = " + id,
            "UPDATE " + table + " SET n = n + 2 WHERE id = " + std::to_string(rows + 1 - std::stoi(id)),
            "COMMIT"};
        break;
    }
    if (Status s = ExecuteEach(*connection, statements); s.ok()) {
      ++tally->commits;
    } else {
      tally->Count(s, statements.back());
      static_cast<void>(connection->Execute("ROLLBACK"));  // ends whatever the failure left open
    }
  }
}

}  // namespace ddb::testing
