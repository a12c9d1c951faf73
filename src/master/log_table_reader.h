// LogTableReader: reads committed records from ddb_meta.replication_log by
// sequence range, for slaves behind the in-memory window.
//
// Blocking (mysql-connector); the slave link runs it on a worker thread. One
// reader per link, so links never share a MySQL session.
#pragma once

#include <memory>
#include <vector>

#include "ddb/mysql_connection.h"
#include "recent_records.h"

namespace ddb {

class LogTableReader {
 public:
  explicit LogTableReader(MySqlEndpoint endpoint);

  // Up to `limit` 'done' records with seq > after_seq, oldest first.
  Status ReadAfter(uint64_t after_seq, size_t limit, std::vector<EncodedRecordPtr>* out);

  // Oldest seq still in the table (0 when empty): a slave positioned before
  // it can no longer be fed and must be re-seeded.
  Status OldestSeq(uint64_t* oldest);

 private:
  Status Connect();

  MySqlEndpoint endpoint_;
  std::unique_ptr<MySqlConnection> connection_;
};

}  // namespace ddb
