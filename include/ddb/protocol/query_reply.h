// Between a QueryReply on the wire and the Status and QueryResult the code
// works with. Routed reads (Query) and forwarded writes (Forward) both carry
// their outcome in a QueryReply; these keep the two ends of each in step.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/protocol/messages.h"

namespace ddb {

// The reply for `status`: its MySQL error (code, SQLSTATE, message) or
// ddb's message; when ok, `result`'s rows.
QueryReply MakeQueryReply(uint64_t request_id, const Status& status, QueryResult result = QueryResult());

// The largest QueryReply payload a master reads from a slave. A slave
// answers a larger result with a refusal instead, and the master then reads
// it itself: a big routed SELECT never costs the link (a frame over the
// limit would close it) nor more than this much of the master's memory.
inline constexpr uint32_t kMaxQueryReplyPayload = 16 * 1024 * 1024;

// How many bytes Encode(reply) takes, without encoding it (messages.cpp's
// layout; query_reply_test.cpp keeps the two in step).
size_t EncodedSize(const QueryReply& reply);

// What a reply says: OK, the MySQL error it carries, or ddb's refusal.
Status ReplyStatus(const QueryReply& reply);

// The rows of an ok reply (a result set when it has columns).
QueryResult ReplyResult(QueryReply reply);

}  // namespace ddb
