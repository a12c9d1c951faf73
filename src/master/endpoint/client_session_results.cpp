// ClientSession::SendResults: a statement's answer, with every result of a
// CALL, as MySQL sends them: one result set per SELECT its body ran, each
// flagged SERVER_MORE_RESULTS_EXIST, then the CALL's own OK.
#include <algorithm>

#include "client_session.h"
#include "mysql_handshake.h"
#include "mysql_prepared_responses.h"
#include "mysql_responses.h"

namespace ddb {

void ClientSession::SendResults(const QueryResult& result, bool binary, size_t out_params_part) {
  // A client that did not say it can read several results of one command
  // gets the first alone, as before MySQL 5.0 (MySQL itself refuses such a
  // CALL when its body returns rows).
  const uint32_t can_take_more = binary ? mysql::kClientPsMultiResults : mysql::kClientMultiResults;
  const size_t count = (capabilities_ & can_take_more) != 0 ? 1 + result.next_results.size() : 1;
  const bool more_after_all = more_results_;  // a multi-statement command's next statement
  for (size_t i = 0; i < count; ++i) {
    const QueryResult& part = i == 0 ? result : result.next_results[i - 1];
    more_results_ = more_after_all || i + 1 < count;
    out_params_ = i == out_params_part;
    if (part.has_result_set) {
      SendReply(binary ? mysql::EncodeBinaryResultSet(part, charset_, ServerStatus())
                       : mysql::EncodeResultSet(part, charset_, ServerStatus()));
    } else {
      SendOk(part.affected_rows, part.insert_id, part.server_info,
             static_cast<uint16_t>(std::min<uint32_t>(part.warning_count, 0xFFFF)));
    }
  }
  more_results_ = more_after_all;
  out_params_ = false;
}

}  // namespace ddb
