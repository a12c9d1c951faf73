// ddb_meta on the master's MySQL: the replication log and the cluster
// identity. Created at start if missing; never replicated.
#pragma once

#include <string>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

// Creates ddb_meta and its tables if needed.
Status CreateMasterSchema(MySqlConnection& connection);

// The cluster's identity, generated once (a UUID) and kept in
// ddb_meta.cluster; slaves remember it and refuse any other master.
Status LoadOrCreateClusterId(MySqlConnection& connection, std::string* cluster_id);

}  // namespace ddb
