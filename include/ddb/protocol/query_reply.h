// Between a QueryReply on the wire and the Status and QueryResult the code
// works with. Routed reads (Query) and forwarded writes (Forward) both carry
// their outcome in a QueryReply; these keep the two ends of each in step.
#pragma once

#include <cstdint>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/protocol/messages.h"

namespace ddb {

// The reply for `status`: its MySQL error (code, SQLSTATE, message) or
// ddb's message; when ok, `result`'s rows.
QueryReply MakeQueryReply(uint64_t request_id, const Status& status, QueryResult result = QueryResult());

// What a reply says: OK, the MySQL error it carries, or ddb's refusal.
Status ReplyStatus(const QueryReply& reply);

// The rows of an ok reply (a result set when it has columns).
QueryResult ReplyResult(QueryReply reply);

}  // namespace ddb
