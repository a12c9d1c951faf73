#include "log_table_reader.h"

#include <algorithm>
#include <optional>

#include "commit_sequencer.h"
#include "ddb/base/clock.h"
#include "ddb/base/log_record.h"

namespace ddb {

LogTableReader::LogTableReader(MySqlEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

Status LogTableReader::Connect() {
  if (connection_) return Status::Ok();
  return MySqlConnection::Open(endpoint_, &connection_);
}

Status LogTableReader::ReadAfter(uint64_t after_seq, uint64_t horizon, size_t limit,
                                 std::vector<EncodedRecordPtr>* out) {
  if (after_seq >= horizon) return Status::Ok();
  if (Status s = Connect(); !s.ok()) return s;
  // One statement is one consistent read: the purge horizon and the rows
  // come from the same snapshot. The records' part carries its own ORDER BY
  // and LIMIT so the server reads `limit` rows by the primary key: joined to
  // log_state instead, it materialised and sorted the whole backlog up to the
  // horizon for every batch, which made catching up quadratic.
  QueryResult result;
  Status s = connection_->ExecuteWithParams(
      "SELECT NULL, NULL, NULL, purged_through FROM ddb_meta.log_state WHERE id = 1 "
      "UNION ALL (SELECT seq, committed_at, body, NULL FROM ddb_meta.replication_log "
      "WHERE seq > ? AND seq <= ? AND state = 'done' ORDER BY seq LIMIT ?)",
      {after_seq, horizon, static_cast<uint64_t>(limit)}, &result);
  if (!s.ok()) {
    if (IsConnectionLost(s)) connection_.reset();
    return s;
  }
  // The state row is the one without a seq; a UNION's rows come in no
  // promised order, so the records are put in seq order here.
  std::optional<uint64_t> purged_through;
  std::vector<std::pair<uint64_t, const std::vector<std::optional<std::string>>*>> rows;  // by seq
  for (const auto& row : result.rows) {
    if (row[0]) {
      rows.emplace_back(std::stoull(*row[0]), &row);
    } else if (row[3]) {
      purged_through = std::stoull(*row[3]);
    }
  }
  if (!purged_through) return Status::Corruption("ddb_meta.log_state has no row");
  if (*purged_through > after_seq) {
    return Status::NotFound("the records after #" + std::to_string(after_seq) +
                            " were purged (the log keeps #" + std::to_string(*purged_through + 1) + " on)");
  }
  std::ranges::sort(rows, {}, [](const auto& entry) { return entry.first; });
  uint64_t next = after_seq + 1;
  int64_t last_committed_at = 0;
  for (const auto& [seq, row] : rows) {
    const int64_t committed_at = std::stoll(*(*row)[1]);
    // A long run of gaps is cut at `limit` like rows are: the next read
    // continues from there.
    for (; next < seq && out->size() < limit; ++next) out->push_back(MakeGapRecord(next, committed_at));
    if (next < seq) return Status::Ok();
    const std::string& body = *(*row)[2];
    auto record = std::make_shared<EncodedRecord>();
    record->seq = seq;
    record->committed_at_micros = committed_at;
    record->payload = EncodeRecordPayload(
        seq, committed_at,
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
    out->push_back(std::move(record));
    last_committed_at = committed_at;
    next = seq + 1;
  }
  // Fewer rows than asked for: nothing else exists up to the horizon, so the
  // rest of the range is gaps too.
  if (rows.size() < limit) {
    for (; next <= horizon && out->size() < limit; ++next)
      out->push_back(MakeGapRecord(next, last_committed_at != 0 ? last_committed_at : NowMicros()));
  }
  return Status::Ok();
}

Status LogTableReader::PurgedThrough(uint64_t* purged_through) {
  if (Status s = Connect(); !s.ok()) return s;
  QueryResult result;
  Status s = connection_->Execute("SELECT purged_through FROM ddb_meta.log_state WHERE id = 1", &result);
  if (!s.ok()) {
    if (IsConnectionLost(s)) connection_.reset();
    return s;
  }
  if (result.rows.empty()) return Status::Corruption("ddb_meta.log_state has no row");
  *purged_through = std::stoull(result.rows[0][0].value_or("0"));
  return Status::Ok();
}

}  // namespace ddb
