#include "applied_records.h"

#include <optional>

#include "ddb/base/auth.h"
#include "ddb/base/clock.h"

namespace ddb {

void AppendStoreAppliedRecordsSql(std::span<const LogRecord> records, std::string* sql) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  bool first = true;
  for (const LogRecord& record : records) {
    if (record.kind == RecordKind::kGap) continue;
    const std::vector<uint8_t> body = EncodeRecordBody(record);
    *sql += first ? "INSERT INTO ddb_meta.applied_records (seq, committed_at, body) VALUES " : ", ";
    first = false;
    // Integers and hex ddb formats itself; the body as a hex literal keeps
    // any byte safe in the SQL text (X'' is the empty blob). Written in
    // place: a batch carries hundreds of these.
    *sql += "(" + std::to_string(record.seq) + ", " + std::to_string(record.committed_at_micros) + ", X'";
    const size_t at = sql->size();
    sql->resize(at + 2 * body.size());
    char* out = sql->data() + at;
    for (uint8_t byte : body) {
      *out++ = kHexDigits[byte >> 4];
      *out++ = kHexDigits[byte & 0xf];
    }
    *sql += "')";
  }
}

Status StoreAppliedRecord(SqlConnection& connection, const LogRecord& record) {
  if (record.kind == RecordKind::kGap) return Status::Ok();
  const std::vector<uint8_t> body = EncodeRecordBody(record);
  return connection.ExecuteWithParams(
      "INSERT INTO ddb_meta.applied_records (seq, committed_at, body) VALUES (?, ?, ?)",
      {record.seq, record.committed_at_micros, Blob{std::string(body.begin(), body.end())}});
}

Status PurgeAppliedRecords(SqlConnection& connection, int64_t retention_seconds, uint64_t chunk,
                           uint64_t* purged) {
  *purged = 0;
  const int64_t cutoff = NowMicros() - retention_seconds * 1000000;
  // Only the oldest `chunk` rows are looked at, by primary key: a condition
  // on committed_at alone would scan the whole table when nothing is due.
  QueryResult head;
  if (Status s = connection.ExecuteWithParams(
          "SELECT seq, committed_at FROM ddb_meta.applied_records ORDER BY seq LIMIT ?", {chunk}, &head);
      !s.ok()) {
    return s;
  }
  // The oldest records that are all past the retention: what is kept stays
  // contiguous.
  std::optional<uint64_t> last_due;
  for (const auto& row : head.rows) {
    if (std::stoll(row[1].value_or("0")) >= cutoff) break;
    last_due = std::stoull(row[0].value_or("0"));
  }
  if (!last_due) return Status::Ok();
  QueryResult deleted;
  if (Status s = connection.ExecuteWithParams("DELETE FROM ddb_meta.applied_records WHERE seq <= ?",
                                              {*last_due}, &deleted);
      !s.ok()) {
    return s;
  }
  *purged = deleted.affected_rows;
  return Status::Ok();
}

}  // namespace ddb
