#include "ddb/protocol/query_reply.h"

#include <utility>

namespace ddb {

QueryReply MakeQueryReply(uint64_t request_id, const Status& status, QueryResult result) {
  QueryReply reply;
  reply.request_id = request_id;
  reply.ok = status.ok();
  if (!status.ok()) {
    reply.error_code = static_cast<uint32_t>(status.mysql_error_code());  // 0 unless MySQL's
    reply.sql_state = status.sql_state();
    reply.message = status.message();
    return reply;
  }
  reply.columns = std::move(result.columns);
  reply.numeric = std::move(result.numeric);
  reply.rows = std::move(result.rows);
  return reply;
}

size_t EncodedSize(const QueryReply& reply) {
  constexpr size_t kLength = 4;  // every string goes as a U32 length and its bytes
  size_t size = 8 + 1 + 4 + kLength + reply.sql_state.size() + kLength + reply.message.size() + 4;
  for (const std::string& column : reply.columns) size += kLength + column.size() + 1;
  size += 4;
  for (const auto& row : reply.rows) {
    for (size_t i = 0; i < reply.columns.size(); ++i) {
      const bool present = i < row.size() && row[i].has_value();
      size += 1 + (present ? kLength + row[i]->size() : 0);
    }
  }
  return size;
}

Status ReplyStatus(const QueryReply& reply) {
  if (reply.ok) return Status::Ok();
  if (reply.error_code != 0) {
    return Status::MySql(static_cast<int>(reply.error_code), reply.sql_state, reply.message);
  }
  return Status::Refused(reply.message);
}

QueryResult ReplyResult(QueryReply reply) {
  QueryResult result;
  result.has_result_set = !reply.columns.empty();
  result.columns = std::move(reply.columns);
  result.numeric = std::move(reply.numeric);
  result.rows = std::move(reply.rows);
  return result;
}

}  // namespace ddb
