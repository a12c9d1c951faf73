// The records a slave applied, kept in ddb_meta.applied_records so that after
// the master is lost any slave can feed the others (issue 19, DESIGN.md "High
// availability"). Each row holds the body exactly as the master's
// ddb_meta.replication_log holds it, and is written in the same transaction
// as the apply and the position update: the rows are always exactly the
// applied records, whatever crashed when.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ddb/base/log_record.h"
#include "ddb/mysql/mysql_connection.h"

namespace ddb {

// Appends one multi-row INSERT of `records` (no trailing ';') to `sql`, or
// nothing when there is nothing to store: gap records are not stored, as
// the master's log has no row for a gap either.
void AppendStoreAppliedRecordsSql(std::span<const LogRecord> records, std::string* sql);

// Stores one record (nothing for a gap) with its body bound as a parameter:
// for records applied statement by statement, which may be too big for the
// hex of a multi-row INSERT to fit in max_allowed_packet (a record may be
// half of it on the master).
Status StoreAppliedRecord(SqlConnection& connection, const LogRecord& record);

// Deletes at most `chunk` of the oldest records, those the master committed more than
// `retention_seconds` ago (by this host's clock); *purged gets the count.
Status PurgeAppliedRecords(SqlConnection& connection, int64_t retention_seconds, uint64_t chunk,
                           uint64_t* purged);

}  // namespace ddb
