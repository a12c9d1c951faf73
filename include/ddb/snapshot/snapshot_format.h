// The snapshot stream a node serves at GET /api/snapshot and `ddb-slave
// --seed` loads (docs/api.md). Text, so `curl | less` shows it; every item is
// length-prefixed, so the loader never has to find where a statement ends
// inside quotes, and a cut-off stream is always detected:
//
//   stream  = "ddb-snapshot 1" LF header *(statement / progress) end
//   header  = "H" SP length LF json LF      cluster_id, source, seq, committed_at, ...
//   statement = "S" SP length LF sql LF     one SQL statement, run in order
//   progress  = "P" SP length LF rows LF    rows sent so far (decimal), between statements
//   end     = "E" SP length LF json LF      statements, rows: what was sent
//   length  = decimal byte count of what follows its LF, before the item's LF
//
// A stream without its end item is incomplete (the source failed or the
// connection was cut): nothing of it may be trusted.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

inline constexpr std::string_view kSnapshotMagic = "ddb-snapshot 1\n";
// No item is larger: an INSERT batch is far smaller, and a length past it
// is refused before anything is allocated.
inline constexpr size_t kMaxSnapshotItemBytes = 256u << 20;

enum class SnapshotItemKind : char { kHeader = 'H', kStatement = 'S', kProgress = 'P', kEnd = 'E' };

struct SnapshotItem {
  SnapshotItemKind kind;
  std::string payload;
};

void AppendSnapshotItem(std::string* out, SnapshotItemKind kind, std::string_view payload);

// Decodes a stream fed in pieces of any size.
class SnapshotDecoder {
 public:
  // Appends the complete items in `bytes` (with what earlier calls left) to
  // `items`. Fails on anything that is not the format above; after a
  // failure the decoder is useless.
  Status Feed(std::string_view bytes, std::vector<SnapshotItem>* items);
  // After the last byte: Ok only if the end item came and nothing follows.
  Status Finish() const;

 private:
  std::string pending_;  // bytes not yet part of a complete item
  size_t consumed_ = 0;  // stream offset of pending_[0], for messages
  bool magic_seen_ = false;
  bool header_seen_ = false;
  bool ended_ = false;
};

}  // namespace ddb
