// WriteReach: what a write to a table changes beyond the table its
// statement names, as the master's catalog says, and whether any of it is
// not transactional.
//
// MariaDB runs a write through a view on the view's base table, and a
// table's triggers inside the writing statement's transaction; what their
// bodies write, the same way. One MyISAM (Aria, MEMORY...) table anywhere
// on the way keeps what the statement wrote when its transaction rolls back
// or the statement fails part way, and the slaves get only what committed
// (nontransactional_writes.h). Views are followed through their definitions
// (MariaDB stores them with every table qualified), triggers through their
// bodies, to any depth up to kMaxDepth; one catalog query per level.
//
// Stored routines are followed too: a procedure a statement or body CALLs,
// a stored function it calls, through their definitions. Every trigger and
// routine body on the way must also be one ddb would have let through at
// its CREATE (statement_policy.h, RefusalForStoredBody): those made behind
// ddb's back, before it or on a seed's source, are checked here, when a
// statement reaches them.
//
// A view whose definition the account may not see (SHOW VIEW) is refused:
// what a write through it changes cannot be checked. Triggers and routines
// the account may not see are not followed (an application may well EXECUTE
// a procedure whose body it may not read); those made through ddb were
// checked when they were created.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

struct NonTransactionalTable {
  std::string table;   // `schema`.`table`; empty: none found
  std::string engine;  // MyISAM, Aria...
  std::string path;    // how the write reaches it: "" when named, else " (through view `a`.`v`, ...)"
};

inline constexpr int kMaxWriteReachDepth = 8;

// Where a statement writes: (schema, name) pairs, schemas resolved.
struct WriteStart {
  std::vector<std::pair<std::string, std::string>> tables;    // it writes
  std::vector<std::pair<std::string, std::string>> routines;  // it calls
  bool empty() const { return tables.empty() && routines.empty(); }
};

// Fills `found` with the first non-InnoDB table `start` reaches; Refused
// when a body on the way could not be replayed (`refuse_unsafe`: its
// unsafe functions count, as unsafe_statements = refuse says).
Status FindNonTransactionalReach(SqlConnection& connection, const WriteStart& start, bool refuse_unsafe,
                                 NonTransactionalTable* found);

}  // namespace ddb
