#include "ddb/snapshot/snapshot_format.h"

#include <charconv>

namespace ddb {

void AppendSnapshotItem(std::string* out, SnapshotItemKind kind, std::string_view payload) {
  out->push_back(static_cast<char>(kind));
  out->push_back(' ');
  out->append(std::to_string(payload.size()));
  out->push_back('\n');
  out->append(payload);
  out->push_back('\n');
}

Status SnapshotDecoder::Feed(std::string_view bytes, std::vector<SnapshotItem>* items) {
  pending_.append(bytes);
  size_t at = 0;
  auto bad = [this, &at](const std::string& what) {
    return Status::Corruption("snapshot stream, byte " + std::to_string(consumed_ + at) + ": " + what);
  };
  if (!magic_seen_) {
    const size_t compared = std::min(pending_.size(), kSnapshotMagic.size());
    if (pending_.compare(0, compared, kSnapshotMagic.substr(0, compared)) != 0) {
      return bad("not a ddb snapshot (it does not start with 'ddb-snapshot 1')");
    }
    if (pending_.size() < kSnapshotMagic.size()) return Status::Ok();
    magic_seen_ = true;
    at = kSnapshotMagic.size();
  }
  for (;;) {
    const size_t line_end = pending_.find('\n', at);
    if (line_end == std::string::npos) {
      if (pending_.size() - at > 32) return bad("an item header longer than any length");
      break;
    }
    if (ended_) return bad("data after the end item");
    const std::string_view line(pending_.data() + at, line_end - at);
    const char kind = line.empty() ? '\0' : line[0];
    if (kind != 'H' && kind != 'S' && kind != 'P' && kind != 'E') return bad("unknown item kind");
    if (line.size() < 3 || line[1] != ' ') return bad("malformed item header");
    size_t length = 0;
    const auto [end, error] = std::from_chars(line.data() + 2, line.data() + line.size(), length);
    if (error != std::errc() || end != line.data() + line.size()) return bad("malformed item length");
    if (length > kMaxSnapshotItemBytes) {
      return bad("an item of " + std::to_string(length) + " bytes, over the limit of " +
                 std::to_string(kMaxSnapshotItemBytes));
    }
    const size_t payload_at = line_end + 1;
    if (pending_.size() < payload_at + length + 1) break;  // the rest comes later
    if (pending_[payload_at + length] != '\n') return bad("an item does not end where its length says");
    const bool is_header = kind == 'H';
    if (is_header == header_seen_) {
      return bad(is_header ? "a second header" : "an item before the header");
    }
    header_seen_ = true;
    ended_ = kind == 'E';
    items->push_back(SnapshotItem{static_cast<SnapshotItemKind>(kind), pending_.substr(payload_at, length)});
    at = payload_at + length + 1;
  }
  pending_.erase(0, at);
  consumed_ += at;
  return Status::Ok();
}

Status SnapshotDecoder::Finish() const {
  if (!ended_ || !pending_.empty()) {
    return Status::Corruption("the snapshot stream ended after " +
                              std::to_string(consumed_ + pending_.size()) +
                              " bytes without its end item: the source failed or the connection was cut");
  }
  return Status::Ok();
}

}  // namespace ddb
