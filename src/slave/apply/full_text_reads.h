// Whether a record searches a FULLTEXT index (MATCH ... AGAINST).
//
// InnoDB's full-text index takes a transaction's changes in at its COMMIT,
// so a search sees none of the rows its own transaction wrote. The master
// commits each record alone; the applier groups consecutive records into one
// transaction. A search in a record grouped after the records that wrote the
// rows it looks for would miss them on the slave and change other rows than
// the master's did: such a record starts a transaction of its own.
#pragma once

#include "ddb/base/log_record.h"

namespace ddb {

// True when a statement of `record` spells MATCH(...) in its own text. A
// search inside a stored program, trigger or view the record reaches is not
// seen here.
bool SearchesFullTextIndex(const LogRecord& record);

}  // namespace ddb
