// Readying this node's MySQL for the slave role, and rejoining a former
// master as a slave.
//
// ddb_meta.node_role says whose MySQL it is (master_role.h in the master
// has the other half). A slave's MySQL gets the role 'slave'. A master's is
// refused, unless told to rejoin: a master that was replaced (fenced) turns
// its log into a slave's applied records and position, keeping the epochs
// it wrote them in. Whether it may follow the new master is then the
// link's decision (master_link.h): when its log is a prefix of the new
// master's, it follows; when it wrote records after the promotion point,
// it is refused as diverged, and those records, only it has, are listed.
#pragma once

#include <string>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

// Creates the slave's ddb_meta if needed. `rejoin`: a master's MySQL
// becomes a slave's; `rejoined` then says what it holds, for the log.
Status PrepareSlaveRole(MySqlConnection& connection, bool rejoin, std::string* rejoined);

}  // namespace ddb
