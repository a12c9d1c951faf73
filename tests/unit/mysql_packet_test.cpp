#include "mysql_packet.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace ddb::mysql {
namespace {

std::vector<uint8_t> Bytes(std::initializer_list<int> values) {
  std::vector<uint8_t> out;
  for (int v : values) out.push_back(static_cast<uint8_t>(v));
  return out;
}

// Reads from an in-memory byte stream, as a socket would deliver it.
class MemoryStream {
 public:
  explicit MemoryStream(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  ReadExactly Reader() {
    return [this](uint8_t* out, size_t n) {
      if (bytes_.size() - at_ < n) return Status::Unavailable("end of stream");
      std::memcpy(out, bytes_.data() + at_, n);
      at_ += n;
      return Status::Ok();
    };
  }
  size_t consumed() const { return at_; }

 private:
  std::vector<uint8_t> bytes_;
  size_t at_ = 0;
};

TEST(MySqlPacketTest, LengthEncodedIntegersUseTheShortestForm) {
  const std::vector<std::pair<uint64_t, std::vector<uint8_t>>> cases = {
      {0, Bytes({0x00})},
      {250, Bytes({0xFA})},
      {251, Bytes({0xFC, 0xFB, 0x00})},
      {0xFFFF, Bytes({0xFC, 0xFF, 0xFF})},
      {0x10000, Bytes({0xFD, 0x00, 0x00, 0x01})},
      {0xFFFFFF, Bytes({0xFD, 0xFF, 0xFF, 0xFF})},
      {0x1000000, Bytes({0xFE, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00})},
      {UINT64_MAX, Bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})},
  };
  for (const auto& [value, encoded] : cases) {
    PayloadWriter w;
    w.LengthEncodedInt(value);
    EXPECT_EQ(w.bytes(), encoded) << value;
    PayloadReader r(encoded);
    uint64_t decoded = 0;
    ASSERT_TRUE(r.LengthEncodedInt(&decoded)) << value;
    EXPECT_EQ(decoded, value);
    EXPECT_EQ(r.remaining(), 0u);
  }
}

TEST(MySqlPacketTest, TruncatedOrNullLengthEncodedIntegerIsRefused) {
  for (const auto& bytes : {Bytes({}), Bytes({0xFC, 0x01}), Bytes({0xFD, 0x01, 0x02}), Bytes({0xFE, 1, 2, 3}),
                            Bytes({0xFB}), Bytes({0xFF})}) {
    PayloadReader r(bytes);
    uint64_t v = 0;
    EXPECT_FALSE(r.LengthEncodedInt(&v));
    EXPECT_EQ(r.remaining(), bytes.size()) << "a failed read must not consume";
  }
}

TEST(MySqlPacketTest, LengthEncodedStringRoundTripsAndChecksItsLength) {
  const std::string long_text(300, 'x');
  PayloadWriter w;
  w.LengthEncodedString("abc");
  w.LengthEncodedString("");
  w.LengthEncodedString(long_text);
  PayloadReader r(w.bytes());
  std::string a, b, c;
  ASSERT_TRUE(r.LengthEncodedString(&a));
  ASSERT_TRUE(r.LengthEncodedString(&b));
  ASSERT_TRUE(r.LengthEncodedString(&c));
  EXPECT_EQ(a, "abc");
  EXPECT_EQ(b, "");
  EXPECT_EQ(c, long_text);

  // A length past the end (here 2^63) is refused before anything is allocated.
  const auto lying = Bytes({0xFE, 0, 0, 0, 0, 0, 0, 0, 0x80, 'a'});
  PayloadReader liar(lying);
  std::string s;
  EXPECT_FALSE(liar.LengthEncodedString(&s));
  EXPECT_EQ(liar.remaining(), lying.size());
}

TEST(MySqlPacketTest, NulTerminatedStringNeedsItsTerminator) {
  const auto bytes = Bytes({'r', 'o', 'o', 't', 0, 'x'});
  PayloadReader r(bytes);
  std::string s;
  ASSERT_TRUE(r.NulTerminated(&s));
  EXPECT_EQ(s, "root");
  EXPECT_FALSE(r.NulTerminated(&s));
  EXPECT_EQ(r.Rest(), "x");
}

TEST(MySqlPacketTest, FramingNumbersPacketsFromTheGivenSequenceId) {
  uint8_t sequence = 7;
  const auto framed = FramePayload(Bytes({0x03, 'S', 'E', 'L'}), &sequence);
  EXPECT_EQ(framed, Bytes({4, 0, 0, 7, 0x03, 'S', 'E', 'L'}));
  EXPECT_EQ(sequence, 8);
  uint8_t wraps = 255;
  EXPECT_EQ(FramePayload({}, &wraps), Bytes({0, 0, 0, 255}));
  EXPECT_EQ(wraps, 0) << "sequence ids wrap at 256";
}

TEST(MySqlPacketTest, ReadPacketTakesTheSequenceOfANewCommandAndChecksItAfterwards) {
  MemoryStream stream(Bytes({1, 0, 0, 0, 0x0E, 1, 0, 0, 5, 0x01}));
  uint8_t sequence = 42;
  std::vector<uint8_t> payload;
  ASSERT_TRUE(ReadPacket(stream.Reader(), 1024, true, &sequence, &payload).ok());
  EXPECT_EQ(payload, Bytes({0x0E}));
  EXPECT_EQ(sequence, 1) << "the reply's first packet follows the command's";
  const Status out_of_order = ReadPacket(stream.Reader(), 1024, false, &sequence, &payload);
  EXPECT_EQ(out_of_order.code(), Status::Code::kCorruption) << out_of_order.ToString();
}

TEST(MySqlPacketTest, PayloadOf16MiBOrMoreIsSplitAndReassembled) {
  // Exactly one full chunk needs an empty packet after it; one more byte
  // makes a second, one-byte packet.
  for (size_t size : {kMaxChunkBytes, kMaxChunkBytes + 1, 2 * kMaxChunkBytes + 10}) {
    std::vector<uint8_t> payload(size);
    for (size_t i = 0; i < size; ++i) payload[i] = static_cast<uint8_t>(i * 7);
    uint8_t sequence = 0;
    const auto framed = FramePayload(payload, &sequence);
    const size_t packets = size / kMaxChunkBytes + 1;
    EXPECT_EQ(framed.size(), size + packets * kPacketHeaderBytes) << size;
    EXPECT_EQ(sequence, packets);
    EXPECT_EQ(framed[0], 0xFF);
    EXPECT_EQ(framed[1], 0xFF);
    EXPECT_EQ(framed[2], 0xFF);
    const size_t last_header = framed.size() - (size % kMaxChunkBytes) - kPacketHeaderBytes;
    EXPECT_EQ(framed[last_header], size % kMaxChunkBytes & 0xFF);
    EXPECT_EQ(framed[last_header + 3], packets - 1);

    MemoryStream stream(framed);
    uint8_t read_sequence = 0;
    std::vector<uint8_t> reassembled;
    ASSERT_TRUE(ReadPacket(stream.Reader(), 3 * kMaxChunkBytes, true, &read_sequence, &reassembled).ok());
    EXPECT_EQ(reassembled, payload);
    EXPECT_EQ(stream.consumed(), framed.size());
    EXPECT_EQ(read_sequence, packets);
  }
}

TEST(MySqlPacketTest, PacketBiggerThanTheLimitIsRefusedBeforeItsBodyIsRead) {
  // Announces 16 MiB - 1 with a limit of 1 MiB, and sends nothing more.
  MemoryStream stream(Bytes({0xFF, 0xFF, 0xFF, 0}));
  uint8_t sequence = 0;
  std::vector<uint8_t> payload;
  const Status s = ReadPacket(stream.Reader(), 1024 * 1024, true, &sequence, &payload);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("max_allowed_packet"), std::string::npos);
  EXPECT_EQ(stream.consumed(), kPacketHeaderBytes);
}

TEST(MySqlPacketTest, SplitPayloadIsLimitedAsAWhole) {
  // Two chunks would make 16 MiB + 4 bytes, over a 16 MiB limit.
  std::vector<uint8_t> payload(kMaxChunkBytes + 5, 'a');
  uint8_t sequence = 0;
  MemoryStream stream(FramePayload(payload, &sequence));
  uint8_t read_sequence = 0;
  std::vector<uint8_t> out;
  const Status s = ReadPacket(stream.Reader(), kMaxChunkBytes + 1, true, &read_sequence, &out);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << s.ToString();
}

TEST(MySqlPacketTest, StreamEndingMidPacketIsAnError) {
  MemoryStream stream(Bytes({10, 0, 0, 0, 'a', 'b'}));
  uint8_t sequence = 0;
  std::vector<uint8_t> payload;
  EXPECT_FALSE(ReadPacket(stream.Reader(), 1024, true, &sequence, &payload).ok());
}

}  // namespace
}  // namespace ddb::mysql
