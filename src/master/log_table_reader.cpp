#include "log_table_reader.h"

#include "ddb/log_record.h"

namespace ddb {

LogTableReader::LogTableReader(MySqlEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

Status LogTableReader::Connect() {
  if (connection_) return Status::Ok();
  return MySqlConnection::Open(endpoint_, &connection_);
}

Status LogTableReader::ReadAfter(uint64_t after_seq, size_t limit, std::vector<EncodedRecordPtr>* out) {
  if (Status s = Connect(); !s.ok()) return s;
  QueryResult result;
  Status s = connection_->ExecutePrepared(
      "SELECT seq, committed_at, body FROM ddb_meta.replication_log WHERE seq > ? AND state = 'done' "
      "ORDER BY seq LIMIT ?",
      {after_seq, static_cast<uint64_t>(limit)}, &result);
  if (!s.ok()) {
    if (IsConnectionLost(s)) connection_.reset();
    return s;
  }
  for (const auto& row : result.rows) {
    auto record = std::make_shared<EncodedRecord>();
    record->seq = std::stoull(*row[0]);
    record->committed_at_micros = std::stoll(*row[1]);
    const std::string& body = *row[2];
    record->payload = EncodeRecordPayload(
        record->seq, record->committed_at_micros,
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
    out->push_back(std::move(record));
  }
  return Status::Ok();
}

Status LogTableReader::OldestSeq(uint64_t* oldest) {
  if (Status s = Connect(); !s.ok()) return s;
  QueryResult result;
  Status s = connection_->Execute("SELECT COALESCE(MIN(seq), 0) FROM ddb_meta.replication_log", &result);
  if (!s.ok()) {
    if (IsConnectionLost(s)) connection_.reset();
    return s;
  }
  *oldest = std::stoull(*result.rows.at(0).at(0));
  return Status::Ok();
}

}  // namespace ddb
