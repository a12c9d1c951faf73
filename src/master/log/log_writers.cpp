#include "log_writers.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace ddb {
namespace {

constexpr int kErrorSignal = 1644;  // an error SIGNALed by a stored program
constexpr std::string_view kRefusal =
    "ddb_meta: only sessions of the ddb-master of this server may write the replication log";

}  // namespace

LogWriters::LogWriters(MySqlEndpoint ddb_account, SqlOpener open, std::chrono::milliseconds purge_interval)
    : ddb_account_(std::move(ddb_account)),
      open_(std::move(open)),
      purge_interval_(purge_interval),
      next_purge_(std::chrono::steady_clock::now() + purge_interval) {}

const char* LogWriters::CreateTableSql() {
  // A row per live writing connection, and those gone since the last
  // purge: up to 256 MB while this server runs (after a restart MariaDB
  // sizes it by its global max_heap_table_size, 16 MB by default: some
  // 200,000 rows). A full table refuses the admission, with its reason.
  return "SET STATEMENT max_heap_table_size = 268435456 FOR"
         " CREATE TABLE IF NOT EXISTS ddb_meta.log_writers ("
         " id BIGINT UNSIGNED NOT NULL PRIMARY KEY"
         ") ENGINE=MEMORY";
}

std::string LogWriters::RequireWriterSql() {
  return "IF NOT EXISTS (SELECT 1 FROM ddb_meta.log_writers WHERE id = CONNECTION_ID()) THEN"
         " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '" +
         std::string(kRefusal) + "'; END IF;";
}

bool LogWriters::IsRefusal(const Status& status) {
  return status.code() == Status::Code::kMySql && status.mysql_error_code() == kErrorSignal &&
         status.message().find(kRefusal) != std::string::npos;
}

Status LogWriters::RunLocked(const std::string& sql, QueryResult* result) {
  // One retry on a fresh connection: ddb's own may have been cut while idle.
  for (int attempt = 0;; ++attempt) {
    Status s = connection_ ? Status::Ok() : open_(ddb_account_, MySqlOpenOptions(), &connection_);
    if (s.ok()) s = connection_->Execute(sql, result);
    if (s.ok()) return s;
    if (!IsConnectionLost(s) && connection_) return s;
    connection_.reset();
    if (attempt == 1) return s;
  }
}

bool LogWriters::IsAdmitted(const Key& key) {
  std::lock_guard<std::mutex> lock(admitted_mutex_);
  return admitted_.count(key) != 0;
}

Status LogWriters::ForgetAll() {
  std::lock_guard<std::mutex> lock(connection_mutex_);
  {
    std::lock_guard<std::mutex> set_lock(admitted_mutex_);
    admitted_.clear();
  }
  return RunLocked("DELETE FROM ddb_meta.log_writers");
}

Status LogWriters::Admit(const MySqlSessionId& session) {
  const Key key{session.connection_id, session.server_started_at};
  if (IsAdmitted(key)) return Status::Ok();
  std::lock_guard<std::mutex> lock(connection_mutex_);
  if (std::chrono::steady_clock::now() >= next_purge_) {
    // Best effort: a failed purge leaves rows for the next one.
    static_cast<void>(PurgeLocked());
    next_purge_ = std::chrono::steady_clock::now() + purge_interval_;
  }
  if (Status s = RunLocked("INSERT IGNORE INTO ddb_meta.log_writers (id) VALUES (" +
                           std::to_string(session.connection_id) + ")");
      !s.ok()) {
    return Status::Unavailable("cannot admit MySQL session " + std::to_string(session.connection_id) +
                               " as a writer of the replication log (ddb_meta.log_writers): " + s.ToString());
  }
  std::lock_guard<std::mutex> set_lock(admitted_mutex_);
  admitted_.insert(key);
  return Status::Ok();
}

void LogWriters::Forget(const MySqlSessionId& session) {
  std::lock_guard<std::mutex> lock(admitted_mutex_);
  admitted_.erase(Key{session.connection_id, session.server_started_at});
}

Status LogWriters::PurgeLocked() {
  std::vector<Key> admitted;
  {
    std::lock_guard<std::mutex> lock(admitted_mutex_);
    admitted.assign(admitted_.begin(), admitted_.end());
  }
  if (admitted.empty()) return Status::Ok();
  QueryResult live;
  if (Status s = RunLocked("SELECT ID FROM information_schema.PROCESSLIST", &live); !s.ok()) return s;
  std::set<uint64_t> live_ids;
  for (const auto& row : live.rows) {
    if (!row.empty() && row[0]) live_ids.insert(std::stoull(*row[0]));
  }
  // A connection admitted after the list was read is not in `admitted`.
  std::vector<Key> gone;
  for (const Key& key : admitted) {
    if (live_ids.count(key.first) == 0) gone.push_back(key);
  }
  constexpr size_t kChunk = 1000;
  for (size_t begin = 0; begin < gone.size(); begin += kChunk) {
    const size_t end = std::min(gone.size(), begin + kChunk);
    std::string ids;
    for (size_t i = begin; i < end; ++i) ids += (ids.empty() ? "" : ", ") + std::to_string(gone[i].first);
    if (Status s = RunLocked("DELETE FROM ddb_meta.log_writers WHERE id IN (" + ids + ")"); !s.ok()) return s;
    std::lock_guard<std::mutex> lock(admitted_mutex_);
    for (size_t i = begin; i < end; ++i) admitted_.erase(gone[i]);
  }
  return Status::Ok();
}

}  // namespace ddb
