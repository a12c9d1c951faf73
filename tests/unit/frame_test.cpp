#include "ddb/protocol/frame.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/endian/conversion.hpp>

#include "byte_strings.h"

namespace ddb {
namespace {

// Helpers in the style of LevelDB's log_test: break one thing on purpose.
class FrameTest : public ::testing::Test {
 protected:
  void SetUp() override { frame_ = EncodeFrame(MessageType::kRecord, Bytes("hello, slave")); }

  std::span<const uint8_t, kFrameHeaderSize> Header() const {
    return std::span<const uint8_t, kFrameHeaderSize>(frame_.data(), kFrameHeaderSize);
  }
  std::span<const uint8_t> Payload() const {
    return std::span<const uint8_t>(frame_).subspan(kFrameHeaderSize);
  }
  void FlipByte(size_t offset) { frame_[offset] ^= 0x80; }
  void SetU16(size_t offset, uint16_t v) { boost::endian::store_big_u16(&frame_[offset], v); }
  void SetU32(size_t offset, uint32_t v) { boost::endian::store_big_u32(&frame_[offset], v); }
  void ShrinkPayload(size_t n) { frame_.resize(frame_.size() - n); }
  // Recomputes the header CRC so that only the change under test is wrong.
  void FixChecksum() { SetU32(12, Crc32c(Payload())); }

  Status DecodeAll(FrameHeader* header) {
    Status s = DecodeFrameHeader(Header(), header);
    if (!s.ok()) return s;
    return VerifyFramePayload(*header, Payload());
  }

  std::vector<uint8_t> frame_;
};

TEST_F(FrameTest, RoundTrip) {
  FrameHeader header;
  ASSERT_TRUE(DecodeAll(&header).ok());
  EXPECT_EQ(header.version, kProtocolVersion);
  EXPECT_EQ(header.type, MessageType::kRecord);
  EXPECT_EQ(header.payload_length, 12u);
  EXPECT_EQ(std::vector<uint8_t>(Payload().begin(), Payload().end()), Bytes("hello, slave"));
}

TEST_F(FrameTest, EmptyPayloadRoundTrips) {
  frame_ = EncodeFrame(MessageType::kHeartbeat, {});
  ASSERT_EQ(frame_.size(), kFrameHeaderSize);
  FrameHeader header;
  ASSERT_TRUE(DecodeAll(&header).ok());
  EXPECT_EQ(header.type, MessageType::kHeartbeat);
  EXPECT_EQ(header.payload_length, 0u);
}

TEST_F(FrameTest, HeaderBytesAreBigEndian) {
  EXPECT_EQ(frame_[0], 'D');
  EXPECT_EQ(frame_[1], 'D');
  EXPECT_EQ(frame_[2], 'B');
  EXPECT_EQ(frame_[3], '!');
  EXPECT_EQ(frame_[4], 0);
  EXPECT_EQ(frame_[5], kProtocolVersion);  // version
  EXPECT_EQ(frame_[6], 0);
  EXPECT_EQ(frame_[7], 6);    // kRecord
  EXPECT_EQ(frame_[11], 12);  // length
}

TEST(Crc32cTest, MatchesKnownVector) {
  // The standard CRC-32C check value (RFC 3720, "123456789").
  EXPECT_EQ(Crc32c(Bytes("123456789")), 0xE3069283u);
}

TEST_F(FrameTest, TruncatedPayloadIsCorruption) {
  ShrinkPayload(1);
  FrameHeader header;
  Status s = DecodeAll(&header);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("header says 12"), std::string::npos) << s.message();
}

TEST_F(FrameTest, ChecksumMismatch) {
  FlipByte(kFrameHeaderSize + 3);
  FrameHeader header;
  Status s = DecodeAll(&header);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("checksum"), std::string::npos) << s.message();
}

TEST_F(FrameTest, CorruptChecksumFieldIsCorruption) {
  FlipByte(13);
  FrameHeader header;
  EXPECT_EQ(DecodeAll(&header).code(), Status::Code::kCorruption);
}

TEST_F(FrameTest, PayloadChangeWithFixedChecksumDecodes) {
  // Proves the checksum, not something else, rejected ChecksumMismatch.
  FlipByte(kFrameHeaderSize + 3);
  FixChecksum();
  FrameHeader header;
  EXPECT_TRUE(DecodeAll(&header).ok());
}

TEST_F(FrameTest, OversizeLengthIsRejectedBeforeThePayload) {
  SetU32(8, kMaxFramePayload + 1);
  FrameHeader header;
  Status s = DecodeFrameHeader(Header(), &header);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("exceeds"), std::string::npos) << s.message();
}

TEST_F(FrameTest, LengthAboveCallersLimitIsRejected) {
  FrameHeader header;
  EXPECT_TRUE(DecodeFrameHeader(Header(), &header, 12).ok());
  EXPECT_EQ(DecodeFrameHeader(Header(), &header, 11).code(), Status::Code::kCorruption);
}

TEST_F(FrameTest, WrongMagicIsCorruption) {
  FlipByte(0);
  FrameHeader header;
  Status s = DecodeFrameHeader(Header(), &header);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_NE(s.message().find("magic"), std::string::npos) << s.message();
}

TEST_F(FrameTest, HttpRequestIsNotAFrame) {
  const std::vector<uint8_t> http = Bytes("GET / HTTP/1.1\r\n");
  ASSERT_EQ(http.size(), kFrameHeaderSize);
  FrameHeader header;
  Status s = DecodeFrameHeader(std::span<const uint8_t, kFrameHeaderSize>(http.data(), 16), &header);
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
}

TEST_F(FrameTest, WrongVersionIsRefusedNamingBothVersions) {
  SetU16(4, 7);
  FrameHeader header;
  Status s = DecodeFrameHeader(Header(), &header);
  EXPECT_EQ(s.code(), Status::Code::kRefused);
  EXPECT_EQ(s.message(), "protocol version 7, this node speaks " + std::to_string(kProtocolVersion));
}

TEST_F(FrameTest, UnknownTypeIsCorruption) {
  for (uint16_t type : {0, 22, 0xffff}) {
    SetU16(6, type);
    FrameHeader header;
    Status s = DecodeFrameHeader(Header(), &header);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << type;
    EXPECT_NE(s.message().find("unknown frame type"), std::string::npos) << s.message();
  }
}

TEST(MessageTypeNameTest, NamesEveryTypeAndUnknown) {
  EXPECT_STREQ(MessageTypeName(MessageType::kHello), "hello");
  EXPECT_STREQ(MessageTypeName(MessageType::kRecord), "record");
  EXPECT_STREQ(MessageTypeName(MessageType::kError), "error");
  EXPECT_STREQ(MessageTypeName(static_cast<MessageType>(42)), "unknown");
  for (uint16_t t = 1; t <= 9; ++t) {
    EXPECT_STRNE(MessageTypeName(static_cast<MessageType>(t)), "unknown") << t;
  }
}

}  // namespace
}  // namespace ddb
