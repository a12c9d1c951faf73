// The serving side of a snapshot: the catalog read while nothing changes
// the schema, then the stream (snapshot_format.h) made table by table from
// one consistent-snapshot transaction.
//
// A node's own rule decides when "nothing changes": the master holds its
// DDL barrier with no commit in flight, a slave holds FLUSH TABLES WITH
// READ LOCK. Under it StartSnapshot opens the transaction and reads every
// definition, and takes a shared metadata lock on every table (held until
// the transaction ends), so no later DDL can change a table before its rows
// are read: the definitions, the rows and the position all describe the
// same moment. Writes go on meanwhile; a DDL on a locked table waits (the
// master's DDL retries without holding its barrier) until the stream ends.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/daemon/http_server.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/mysql/row_cursor.h"
#include "ddb/snapshot/sql_literal.h"

namespace ddb {

struct SnapshotTable {
  std::string database;
  std::string name;
  std::string create_sql;
  std::vector<std::string> columns;  // stored columns only: generated ones are computed again
  std::vector<LiteralKind> kinds;
};

// A view, routine or trigger: created after every table's rows (a trigger
// must not fire on the snapshot's own inserts).
struct SnapshotObject {
  std::string database;
  std::string sql_mode;
  std::string create_sql;
};

struct SnapshotCatalog {
  std::vector<std::pair<std::string, std::string>> databases;  // name, CREATE DATABASE
  std::vector<SnapshotTable> tables;                           // grouped by database, in its order
  std::vector<SnapshotObject> objects;                         // views, routines, then triggers
  // CREATE USER / CREATE ROLE IF NOT EXISTS, then every GRANT: the accounts
  // clients log in with on every node (read_accounts.cpp says which).
  std::vector<std::string> accounts;
  uint64_t estimated_rows = 0;  // InnoDB's estimate, for progress
  uint64_t estimated_bytes = 0;
};

struct SnapshotPosition {
  std::string cluster_id;
  std::string source;  // node name
  uint64_t seq = 0;    // the snapshot holds every record up to here, none after
  int64_t committed_at_micros = 0;
};

// Schemas never copied: the server's own and ddb's bookkeeping.
bool IsSystemSchema(const std::string& name);

// Sets the session up, opens the snapshot transaction and reads the
// catalog. Call while nothing changes the schema (see above).
Status StartSnapshot(MySqlConnection& connection, SnapshotCatalog* catalog);

// The source's MySQL accounts and roles with their grants, as statements
// for the catalog: a seeded slave must let in the same clients (HAProxy's
// read frontend sends them straight to its MariaDB) as one that replayed
// the CREATE USERs from #1. Not copied: root, MariaDB's own accounts and
// the source daemon's own account (the target has its own).
Status ReadAccounts(MySqlConnection& connection, std::vector<std::string>* statements);

// Streams the snapshot the connection holds: magic, `header_json`, every
// statement, the end item. Owns the connection (its transaction ends with
// it). Next is called by one thread at a time (HttpServer's contract).
class SnapshotProducer : public HttpBodySource {
 public:
  SnapshotProducer(std::unique_ptr<MySqlConnection> connection, const SnapshotCatalog& catalog,
                   std::string header_json);
  [[nodiscard]] Status Next(std::string* piece) override;

 private:
  struct Step {
    std::string sql;  // a statement, or
    int table = -1;   // the rows of catalog_.tables[table]
  };
  // Appends INSERT statements of the current table until `piece` is full
  // or the table is done (then moves to the next step).
  Status ProduceRows(const SnapshotTable& table, std::string* piece);
  void AppendStatement(std::string* piece, std::string_view sql);

  std::unique_ptr<MySqlConnection> connection_;
  std::vector<SnapshotTable> tables_;
  std::vector<Step> steps_;
  std::string header_json_;
  size_t step_ = 0;
  std::unique_ptr<RowCursor> cursor_;  // open while a table's rows are read
  bool started_ = false;
  bool ended_ = false;
  uint64_t statements_ = 0;
  uint64_t rows_ = 0;
};

}  // namespace ddb
