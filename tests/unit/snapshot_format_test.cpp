#include "ddb/snapshot/snapshot_format.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

std::string SampleSnapshotStream() {
  std::string stream(kSnapshotMagic);
  AppendSnapshotItem(&stream, SnapshotItemKind::kHeader, R"({"seq":7})");
  AppendSnapshotItem(&stream, SnapshotItemKind::kStatement, "CREATE TABLE t (a INT)");
  AppendSnapshotItem(&stream, SnapshotItemKind::kStatement, "INSERT INTO t VALUES ('x\ny;\n'),(2)");
  AppendSnapshotItem(&stream, SnapshotItemKind::kProgress, "2");
  AppendSnapshotItem(&stream, SnapshotItemKind::kStatement, "");
  AppendSnapshotItem(&stream, SnapshotItemKind::kEnd, R"({"statements":3})");
  return stream;
}

TEST(SnapshotFormatTest, DecodesTheSameItemsWhereverThePiecesAreCut) {
  const std::string stream = SampleSnapshotStream();
  for (size_t piece = 1; piece <= stream.size(); ++piece) {
    SnapshotDecoder decoder;
    std::vector<SnapshotItem> items;
    for (size_t at = 0; at < stream.size(); at += piece) {
      ASSERT_TRUE(decoder.Feed(std::string_view(stream).substr(at, piece), &items).ok()) << piece;
    }
    ASSERT_TRUE(decoder.Finish().ok()) << piece;
    ASSERT_EQ(items.size(), 6u) << piece;
    EXPECT_EQ(items[0].kind, SnapshotItemKind::kHeader);
    EXPECT_EQ(items[2].payload, "INSERT INTO t VALUES ('x\ny;\n'),(2)");
    EXPECT_EQ(items[3].kind, SnapshotItemKind::kProgress);
    EXPECT_EQ(items[4].payload, "");
    EXPECT_EQ(items[5].kind, SnapshotItemKind::kEnd);
  }
}

TEST(SnapshotFormatTest, AStreamCutAnywhereBeforeItsEndIsIncomplete) {
  const std::string stream = SampleSnapshotStream();
  for (size_t length = 0; length < stream.size(); ++length) {
    SnapshotDecoder decoder;
    std::vector<SnapshotItem> items;
    ASSERT_TRUE(decoder.Feed(stream.substr(0, length), &items).ok()) << length;
    EXPECT_FALSE(decoder.Finish().ok()) << length;
  }
}

Status FeedWholeSnapshot(const std::string& stream) {
  SnapshotDecoder decoder;
  std::vector<SnapshotItem> items;
  return decoder.Feed(stream, &items);
}

TEST(SnapshotFormatTest, SomethingElseIsRefusedAtItsFirstBytes) {
  EXPECT_EQ(FeedWholeSnapshot("<html>").code(), Status::Code::kCorruption);
  EXPECT_EQ(FeedWholeSnapshot("ddb-snapshot 2\n").code(), Status::Code::kCorruption);
}

TEST(SnapshotFormatTest, AHugeLengthIsRefusedBeforeAnythingIsAllocated) {
  const Status s = FeedWholeSnapshot(std::string(kSnapshotMagic) + "H 999999999999\n");
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("over the limit"), std::string::npos) << s.message();
}

TEST(SnapshotFormatTest, DamagedFramingIsRefused) {
  const std::string magic(kSnapshotMagic);
  EXPECT_FALSE(FeedWholeSnapshot(magic + "H 1\n{}\n").ok());  // the item is longer than its length says
  EXPECT_FALSE(FeedWholeSnapshot(magic + "H x\n").ok());      // not a length
  EXPECT_FALSE(FeedWholeSnapshot(magic + "Q 2\n{}\n").ok());  // unknown kind
  EXPECT_FALSE(FeedWholeSnapshot(magic + "S 1\n;\n").ok());   // a statement before the header
  EXPECT_FALSE(FeedWholeSnapshot(magic + "H 2\n{}\nH 2\n{}\n").ok());          // two headers
  EXPECT_FALSE(FeedWholeSnapshot(magic + "H 2\n{}\nE 2\n{}\nS 1\n;\n").ok());  // after the end
  EXPECT_FALSE(FeedWholeSnapshot(magic + std::string(40, '7')).ok());          // a header line without end
}

}  // namespace
}  // namespace ddb
