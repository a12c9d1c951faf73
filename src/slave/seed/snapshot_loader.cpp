#include "snapshot_loader.h"

#include <nlohmann/json.hpp>

#include "ddb/base/auth.h"
#include "ddb/snapshot/snapshot_auth.h"

namespace ddb {

SnapshotLoader::SnapshotLoader(MySqlConnection& connection, std::string cluster_secret, std::string nonce,
                               std::string expected_cluster_id)
    : connection_(connection),
      cluster_secret_(std::move(cluster_secret)),
      nonce_(std::move(nonce)),
      expected_cluster_id_(std::move(expected_cluster_id)) {}

Status SnapshotLoader::Feed(std::string_view piece) {
  progress_.bytes += piece.size();
  items_.clear();
  if (Status s = decoder_.Feed(piece, &items_); !s.ok()) return s;
  for (const SnapshotItem& item : items_) {
    if (Status s = Apply(item); !s.ok()) return s;
  }
  return Status::Ok();
}

Status SnapshotLoader::CheckHeader(const std::string& json) {
  const nlohmann::json header = nlohmann::json::parse(json, nullptr, false);
  if (!header.is_object() || header.value("format", 0) != 1 || !header.contains("seq") ||
      !header.contains("cluster_id") || !header.contains("source_proof")) {
    return Status::Corruption("the snapshot's header is not one this ddb-slave understands: " +
                              json.substr(0, 300));
  }
  SnapshotPosition& position = header_.position;
  position.cluster_id = header.value("cluster_id", "");
  position.source = header.value("source", "");
  position.seq = header.value("seq", uint64_t{0});
  position.committed_at_micros = header.value("committed_at", int64_t{0});
  header_.databases = header.value("databases", uint64_t{0});
  header_.tables = header.value("tables", uint64_t{0});
  header_.estimated_rows = header.value("estimated_rows", uint64_t{0});
  header_.estimated_bytes = header.value("estimated_bytes", uint64_t{0});
  const std::string expected_proof =
      SnapshotSourceProof(cluster_secret_, nonce_, position.cluster_id, position.seq);
  if (!ProofsEqual(expected_proof, header.value("source_proof", ""))) {
    return Status::Refused("the snapshot source '" + position.source +
                           "' did not prove it knows this slave's cluster_secret: it is not a node of "
                           "this cluster");
  }
  if (!expected_cluster_id_.empty() && position.cluster_id != expected_cluster_id_) {
    return Status::Refused("the snapshot source '" + position.source + "' belongs to cluster " +
                           position.cluster_id + ", this slave to cluster " + expected_cluster_id_ +
                           " (to move this slave to another cluster, drop its ddb_meta schema first)");
  }
  return on_header_ ? on_header_(header_) : Status::Ok();
}

Status SnapshotLoader::Apply(const SnapshotItem& item) {
  switch (item.kind) {
    case SnapshotItemKind::kHeader: return CheckHeader(item.payload);
    case SnapshotItemKind::kProgress:
      progress_.rows = std::strtoull(item.payload.c_str(), nullptr, 10);
      return Status::Ok();
    case SnapshotItemKind::kStatement:
      if (Status s = connection_.Execute(item.payload); !s.ok()) {
        return Status::MySql(s.mysql_error_code(), s.sql_state(),
                             "loading statement " + std::to_string(progress_.statements + 1) + " (" +
                                 item.payload.substr(0, 120) + "...): " + s.message());
      }
      ++progress_.statements;
      return Status::Ok();
    case SnapshotItemKind::kEnd: {
      const nlohmann::json end = nlohmann::json::parse(item.payload, nullptr, false);
      end_statements_ = end.is_object() ? end.value("statements", uint64_t{0}) : 0;
      end_rows_ = end.is_object() ? end.value("rows", uint64_t{0}) : 0;
      ended_ = true;
      return Status::Ok();
    }
  }
  return Status::Corruption("unknown snapshot item");
}

Status SnapshotLoader::Finish() {
  if (Status s = decoder_.Finish(); !s.ok()) return s;
  if (!ended_ || end_statements_ != progress_.statements) {
    return Status::Corruption("the snapshot says it sent " + std::to_string(end_statements_) +
                              " statements, " + std::to_string(progress_.statements) + " were loaded");
  }
  progress_.rows = end_rows_;
  return Status::Ok();
}

}  // namespace ddb
