#include "log_table_reader.h"

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
  // come from the same snapshot.
  QueryResult result;
  Status s = connection_->ExecuteWithParams(
      "SELECT p.purged_through, r.seq, r.committed_at, r.body FROM ddb_meta.log_state p "
      "LEFT JOIN ddb_meta.replication_log r ON r.seq > ? AND r.seq <= ? AND r.state = 'done' "
      "WHERE p.id = 1 ORDER BY r.seq LIMIT ?",
      {after_seq, horizon, static_cast<uint64_t>(limit)}, &result);
  if (!s.ok()) {
    if (IsConnectionLost(s)) connection_.reset();
    return s;
  }
  if (result.rows.empty()) return Status::Corruption("ddb_meta.log_state has no row");
  const uint64_t purged_through = std::stoull(result.rows[0][0].value_or("0"));
  if (purged_through > after_seq) {
    return Status::NotFound("the records after #" + std::to_string(after_seq) +
                            " were purged (the log keeps #" + std::to_string(purged_through + 1) + " on)");
  }
  uint64_t next = after_seq + 1;
  int64_t last_committed_at = 0;
  for (const auto& row : result.rows) {
    if (!row[1]) break;  // no record in range: only the join's left side
    const uint64_t seq = std::stoull(*row[1]);
    const int64_t committed_at = std::stoll(*row[2]);
    // A long run of gaps is cut at `limit` like rows are: the next read
    // continues from there.
    for (; next < seq && out->size() < limit; ++next) out->push_back(MakeGapRecord(next, committed_at));
    if (next < seq) return Status::Ok();
    const std::string& body = *row[3];
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
  if (result.rows.size() < limit || !result.rows.back()[1]) {
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
