// PartialDropStatement: what a failed multi-object DROP did anyway.
//
// `DROP TABLE a, missing` drops `a` and then fails with "Unknown table
// 'missing'"; DROP VIEW and DROP USER behave the same. MariaDB's own
// statement-based replication logs such a statement with its error code so
// replicas reproduce the partial effect. ddb logs the equivalent statement
// that cannot fail, `DROP TABLE IF EXISTS a, missing`: on a slave it drops
// exactly what the master dropped.
#pragma once

#include <optional>
#include <string>

#include "ddb/base/status.h"

namespace ddb {

// The statement to log for `sql` that failed with `error`, or nothing when
// the failure changed nothing (a single object, IF EXISTS already there,
// another error).
std::optional<std::string> PartialDropStatement(const std::string& sql, const Status& error);

}  // namespace ddb
