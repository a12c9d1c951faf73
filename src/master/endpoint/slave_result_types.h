// SlaveResultTypes: the column types of a read a slave answered, so an
// endpoint client sees the same types as from the master.
//
// A slave answers a routed read with names and text values only (the
// replication link's QueryReply carries no column types). The master's own
// MySQL describes the same statement without running it (a prepare, no
// execution), and the description is kept per statement text (database and
// character set) until any DDL runs on the master. A prepared statement is
// described once from its text with its '?' placeholders when they cannot
// change what the result's columns are (they all come after the only
// SELECT's FROM); else, and for text statements, the text that ran is
// described.
//
// One per endpoint client; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "ddb/mysql/mysql_connection.h"
#include "sql_session.h"

namespace ddb {

// Whether the placeholders of a prepared SELECT cannot change its result's
// column types: one SELECT (no subquery, no UNION) and every '?' after its
// FROM (in WHERE, GROUP BY, LIMIT...).
bool PlaceholdersOnlyFilter(const std::string& sql, LexMode mode);

class SlaveResultTypes {
 public:
  // Gives `result`, answered by a slave for `executed_sql`, the types the
  // master's MySQL gives its columns. `prepared_sql` is the prepared
  // statement's text ("" for COM_QUERY). False when the types are not known
  // for sure (MySQL cannot describe the statement, or the slave's columns
  // are not the ones described: a DDL in between); the master must answer.
  bool Fill(SqlSession& session, const std::string& executed_sql, const std::string& prepared_sql,
            QueryResult* result);

 private:
  struct Described {
    uint64_t schema_changes = 0;  // SqlSession::schema_changes() when described
    bool ok = false;              // false: MySQL could not describe it
    StatementShape shape;
  };
  const Described& Describe(SqlSession& session, const std::string& sql);

  // By database, results character set and text.
  std::unordered_map<std::string, Described> described_;
};

}  // namespace ddb
