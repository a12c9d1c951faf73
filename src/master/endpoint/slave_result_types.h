// FillSlaveResultTypes: the column types of a read a slave answered, so an
// endpoint client sees the same types as from the master.
//
// A slave answers a routed read with names and text values only (the
// replication link's QueryReply carries no column types). The master's own
// MySQL described the read before it went to the slave (a prepare, no
// execution; SqlSession::DescribeRead, once per form of the read: values
// after its FROM do not change its columns, read_form.h); the types come
// from that description.
#pragma once

#include <string>

#include "ddb/mysql/mysql_connection.h"
#include "sql_session.h"

namespace ddb {

// Gives `result`, answered by a slave for `executed_sql`, the types the
// master's MySQL gives its columns. `prepared_sql` is the prepared
// statement's text ("" for COM_QUERY). False when the types are not known
// for sure (MySQL cannot describe the statement, or the slave's columns are
// not the ones described: a DDL in between); the master must answer.
bool FillSlaveResultTypes(SqlSession& session, const std::string& executed_sql,
                          const std::string& prepared_sql, QueryResult* result);

}  // namespace ddb
