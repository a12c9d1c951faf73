#include "seed_data.h"

#include <algorithm>

namespace ddb::bench {
namespace {

constexpr const char* kDatabases[] = {"shop", "crm", "events"};

// At most this many rows per INSERT ... SELECT (from the SEQUENCE engine's
// seq_1_to_N): its transaction's undo log stays small.
constexpr uint64_t kRowsPerStatement = 200000;

struct Shape {
  const char* name;
  const char* columns;  // the CREATE TABLE body
  const char* insert_columns;
  // One row's values; {n} is replaced by the table's row count (the range
  // of its random secondary key).
  const char* values;
  double bytes_per_row;  // InnoDB data and indexes per row, measured
};

constexpr Shape kShapes[] = {
    {"items",
     "id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT UNSIGNED NOT NULL, c CHAR(120) NOT NULL, "
     "pad CHAR(60) NOT NULL, note VARCHAR(255), KEY k_1 (k)",
     "k, c, pad, note",
     "FLOOR(RAND() * {n}), CONCAT_WS('-', MD5(RAND()), MD5(RAND()), MD5(RAND()), LEFT(MD5(RAND()), 21)), "
     "CONCAT(MD5(RAND()), LEFT(MD5(RAND()), 28)), "
     "IF(RAND() < 0.1, NULL, LEFT(REPEAT(MD5(RAND()), 3), FLOOR(RAND() * 96)))",
     265},
    {"orders",
     "id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, customer INT UNSIGNED NOT NULL, "
     "amount DECIMAL(12,2) NOT NULL, status ENUM('new','paid','shipped','returned') NOT NULL, "
     "created DATETIME NOT NULL, comment TEXT, KEY customer_created (customer, created)",
     "customer, amount, status, created, comment",
     "FLOOR(RAND() * {n} / 10), ROUND(RAND() * 10000, 2), ELT(1 + FLOOR(RAND() * 4), 'new', 'paid', "
     "'shipped', 'returned'), TIMESTAMP('2024-01-01') + INTERVAL FLOOR(RAND() * 63072000) SECOND, "
     "IF(RAND() < 0.3, NULL, LEFT(REPEAT(MD5(RAND()), 4), FLOOR(RAND() * 128)))",
     175},
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

void Fill(testing::MariaDbInstance& server, const SeedTable& table, const Shape& shape, uint64_t rows) {
  const std::string qualified = table.database + "." + table.name;
  server.Execute("CREATE TABLE " + qualified + " (" + shape.columns + ") ENGINE=InnoDB");
  const std::string insert = "INSERT INTO " + qualified + " (" + shape.insert_columns + ") SELECT " +
                             Replace(shape.values, "{n}", std::to_string(rows)) + " FROM " + table.database +
                             ".seq_1_to_";
  for (uint64_t have = 0; have < rows;) {
    const uint64_t more = std::min(rows - have, kRowsPerStatement);
    server.Execute(insert + std::to_string(more));
    have += more;
  }
}

}  // namespace

std::vector<SeedTable> FillSeedData(testing::MariaDbInstance& server, double megabytes) {
  std::vector<SeedTable> tables;
  const double per_table = megabytes * 1e6 / static_cast<double>(std::size(kDatabases) * std::size(kShapes));
  for (const char* database : kDatabases) {
    server.Execute(std::string("CREATE DATABASE ") + database);
    for (const Shape& shape : kShapes) {
      tables.push_back({database, shape.name});
      Fill(server, tables.back(), shape,
           std::max<uint64_t>(1, static_cast<uint64_t>(per_table / shape.bytes_per_row)));
    }
  }
  return tables;
}

uint64_t StoredBytes(testing::MariaDbInstance& server, const std::vector<SeedTable>& tables) {
  std::string list;
  for (const SeedTable& table : tables) {
    server.Query("ANALYZE TABLE " + table.database + "." + table.name);
    list += (list.empty() ? "('" : ", ('") + table.database + "', '" + table.name + "')";
  }
  return std::stoull(server.QueryValue(
      "SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES WHERE "
      "(TABLE_SCHEMA, TABLE_NAME) IN (" +
      list + ")"));
}

std::vector<std::string> SeedDatabases(const std::vector<SeedTable>& tables) {
  std::vector<std::string> databases;
  for (const SeedTable& table : tables) {
    if (std::find(databases.begin(), databases.end(), table.database) == databases.end()) {
      databases.push_back(table.database);
    }
  }
  return databases;
}

}  // namespace ddb::bench
