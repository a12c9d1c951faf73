// SnapshotLoader: runs a snapshot stream's statements on this slave's MySQL
// as the pieces arrive, and checks what it is loading: the header must
// come from this cluster (the source's proof over the request's nonce, with
// this slave's cluster_secret) and the stream must end with its end item.
//
// It stores nothing about the position: SeedCommand does, once Finish()
// says the whole snapshot is in.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ddb/base/status.h"
#include "ddb/mysql/mysql_connection.h"
#include "ddb/snapshot/snapshot_format.h"
#include "ddb/snapshot/snapshot_source.h"

namespace ddb {

struct SnapshotHeader {
  SnapshotPosition position;
  uint64_t databases = 0;
  uint64_t tables = 0;
  uint64_t estimated_rows = 0;
  uint64_t estimated_bytes = 0;
};

struct LoadProgress {
  uint64_t bytes = 0;       // of the stream
  uint64_t statements = 0;  // run
  uint64_t rows = 0;        // sent by the source so far
};

class SnapshotLoader {
 public:
  // `connection` must outlive the loader. `expected_cluster_id`: the
  // cluster this slave already belongs to, empty if none yet.
  SnapshotLoader(MySqlConnection& connection, std::string cluster_secret, std::string nonce,
                 std::string expected_cluster_id);

  // Called once, when the header has been checked and before any statement;
  // an error stops the load.
  void OnHeader(std::function<Status(const SnapshotHeader&)> listener) { on_header_ = std::move(listener); }

  // One piece of the stream, of any size.
  Status Feed(std::string_view piece);
  // After the last piece: the stream was complete and its counts match.
  Status Finish();

  const SnapshotHeader& header() const { return header_; }
  const LoadProgress& progress() const { return progress_; }

 private:
  Status Apply(const SnapshotItem& item);
  Status CheckHeader(const std::string& json);

  MySqlConnection& connection_;
  const std::string cluster_secret_;
  const std::string nonce_;
  const std::string expected_cluster_id_;
  SnapshotDecoder decoder_;
  std::vector<SnapshotItem> items_;
  std::function<Status(const SnapshotHeader&)> on_header_;
  SnapshotHeader header_;
  LoadProgress progress_;
  bool ended_ = false;
  uint64_t end_statements_ = 0;
  uint64_t end_rows_ = 0;
};

}  // namespace ddb
