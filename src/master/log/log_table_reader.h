// LogTableReader: reads committed records from ddb_meta.replication_log by
// sequence range, for slaves behind the in-memory window.
//
// Blocking (mysql-connector); the slave link runs it on a worker thread. One
// reader per link, so links never share a MySQL session.
#pragma once

#include <memory>
#include <vector>

#include "ddb/mysql/mysql_connection.h"
#include "recent_records.h"

namespace ddb {

class LogTableReader {
 public:
  explicit LogTableReader(MySqlEndpoint endpoint);

  // The records after `after_seq` up to `horizon` (every number up to it is
  // resolved), at most about `limit` rows, oldest first and contiguous:
  // a number missing from the table is a gap and comes back as a kGap
  // record. Fails with kNotFound when records after `after_seq` were purged
  // (read in the same snapshot as the rows, so a purge racing the read can
  // never pass for gaps).
  Status ReadAfter(uint64_t after_seq, uint64_t horizon, size_t limit, std::vector<EncodedRecordPtr>* out);

  // Everything up to here was purged: a slave positioned before it can no
  // longer be fed and must be re-seeded.
  Status PurgedThrough(uint64_t* purged_through);

 private:
  Status Connect();

  MySqlEndpoint endpoint_;
  std::unique_ptr<MySqlConnection> connection_;
};

}  // namespace ddb
