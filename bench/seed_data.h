// The data the seed benchmark copies: in each of three databases, a
// sysbench-like table (integer keys, CHAR and VARCHAR columns, a secondary
// index) and an order-like one (DECIMAL, ENUM, DATETIME, TEXT, a
// two-column index), about the same number of bytes each.
//
// Made on the source's MariaDB directly, before ddb-master starts: the
// seed ships it as pre-existing data, as it would a database ddb was put in
// front of. Rows are made by INSERT ... SELECT from the SEQUENCE engine,
// random values computed by the server; row by row would take longer than
// the copy being measured.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mariadb_instance.h"

namespace ddb::bench {

struct SeedTable {
  std::string database;
  std::string name;
};

// Creates the databases and tables and fills them with about `megabytes`
// of InnoDB data and indexes (an estimate per row; StoredBytes says what it
// came to). Throws sql::SQLException.
std::vector<SeedTable> FillSeedData(testing::MariaDbInstance& server, double megabytes);

// The tables' data_length + index_length on `server`, after ANALYZE TABLE.
uint64_t StoredBytes(testing::MariaDbInstance& server, const std::vector<SeedTable>& tables);

// Each database once, in the tables' order.
std::vector<std::string> SeedDatabases(const std::vector<SeedTable>& tables);

}  // namespace ddb::bench
