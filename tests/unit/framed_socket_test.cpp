#include "ddb/protocol/framed_socket.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "byte_strings.h"
#include "ddb/base/asio.h"

namespace ddb {
namespace {

using std::chrono::milliseconds;

// A real loopback TCP pair on one io_context. Every test drives its
// coroutines with run_for, so a hung read fails the test instead of hanging it.
class FramedSocketTest : public ::testing::Test {
 protected:
  static constexpr auto kTestDeadline = std::chrono::seconds(10);

  void SetUp() override { Connect(kMaxFramePayload); }

  void Connect(uint32_t server_max_payload) {
    tcp::acceptor acceptor(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    tcp::socket client_socket(io_);
    client_socket.connect(acceptor.local_endpoint());
    tcp::socket server_socket = acceptor.accept();
    client_ = std::make_unique<FramedSocket>(std::move(client_socket));
    server_ = std::make_unique<FramedSocket>(std::move(server_socket), server_max_payload);
  }

  void TearDown() override {
    client_->Close();
    server_->Close();
    Drain();
  }

  using Result = std::shared_ptr<std::optional<Status>>;

  // Starts `op`; its result lands in *result when it completes. Shared so a
  // completion after the test gave up writes to live memory.
  Result Spawn(asio::awaitable<Status> op) {
    auto result = std::make_shared<std::optional<Status>>();
    asio::co_spawn(io_, std::move(op), [result](std::exception_ptr e, Status s) {
      *result = e ? Status::IoError("coroutine threw") : std::move(s);
    });
    return result;
  }

  void Drain() {
    io_.restart();
    io_.run_for(kTestDeadline);
  }

  Status Run(asio::awaitable<Status> op) {
    Result result = Spawn(std::move(op));
    Drain();
    if (!*result) return Status::IoError("operation did not complete within the test deadline");
    return **result;
  }

  // Writes raw bytes from the client, bypassing the framing.
  void WriteRaw(const std::vector<uint8_t>& bytes) { asio::write(client_->socket(), asio::buffer(bytes)); }

  asio::io_context io_;
  std::unique_ptr<FramedSocket> client_;
  std::unique_ptr<FramedSocket> server_;
};

TEST_F(FramedSocketTest, FramesRoundTripInOrder) {
  const std::vector<uint8_t> first = Bytes("first");
  const std::vector<uint8_t> empty;
  const std::vector<uint8_t> third = Bytes("third \xe2\x9c\x93");
  ASSERT_TRUE(Run(client_->WriteFrame(MessageType::kHello, first)).ok());
  ASSERT_TRUE(Run(client_->WriteFrame(MessageType::kHeartbeat, empty)).ok());
  ASSERT_TRUE(Run(client_->WriteFrame(MessageType::kRecord, third)).ok());

  Frame frame;
  ASSERT_TRUE(Run(server_->ReadFrame(&frame, milliseconds(2000))).ok());
  EXPECT_EQ(frame.type, MessageType::kHello);
  EXPECT_EQ(frame.payload, first);
  ASSERT_TRUE(Run(server_->ReadFrame(&frame, milliseconds(2000))).ok());
  EXPECT_EQ(frame.type, MessageType::kHeartbeat);
  EXPECT_TRUE(frame.payload.empty());
  ASSERT_TRUE(Run(server_->ReadFrame(&frame)).ok());
  EXPECT_EQ(frame.type, MessageType::kRecord);
  EXPECT_EQ(frame.payload, third);
}

// A batch of records goes out in one gathered write (more buffers than one
// writev takes, so Asio must continue it) and reads back frame by frame.
TEST_F(FramedSocketTest, AGatheredBatchReadsBackAsSeparateFramesInOrder) {
  std::vector<std::vector<uint8_t>> payloads;
  for (int i = 0; i < 1500; ++i) payloads.push_back(Bytes("record " + std::to_string(i)));
  payloads[7].clear();  // an empty payload is a frame too
  std::vector<std::span<const uint8_t>> spans(payloads.begin(), payloads.end());
  Result written = Spawn(client_->WriteFrames(MessageType::kRecord, spans));
  for (const std::vector<uint8_t>& expected : payloads) {
    Frame frame;
    ASSERT_TRUE(Run(server_->ReadFrame(&frame, milliseconds(2000))).ok());
    EXPECT_EQ(frame.type, MessageType::kRecord);
    ASSERT_EQ(frame.payload, expected);
  }
  ASSERT_TRUE(*written);
  EXPECT_TRUE((*written)->ok()) << (*written)->ToString();
}

TEST_F(FramedSocketTest, LargeFrameRoundTripsWhileBothSidesRun) {
  // Bigger than the socket buffers, so the gathered write completes in pieces
  // and the read of the payload takes several reads.
  std::vector<uint8_t> big(8 * 1024 * 1024);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  Frame frame;
  Result wrote = Spawn(client_->WriteFrame(MessageType::kRecord, big));
  Result read = Spawn(server_->ReadFrame(&frame, milliseconds(5000)));
  Drain();
  ASSERT_TRUE(*wrote && (*wrote)->ok());
  ASSERT_TRUE(*read && (*read)->ok()) << (*read ? (*read)->ToString() : "not done");
  EXPECT_EQ(frame.payload, big);
}

TEST_F(FramedSocketTest, PeerRecordsLoopbackAddress) {
  EXPECT_EQ(server_->peer().rfind("127.0.0.1:", 0), 0u) << server_->peer();
  EXPECT_EQ(client_->peer().rfind("127.0.0.1:", 0), 0u) << client_->peer();
}

TEST_F(FramedSocketTest, BadMagicIsCorruption) {
  WriteRaw(Bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  Frame frame;
  Status s = Run(server_->ReadFrame(&frame, milliseconds(2000)));
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find("magic"), std::string::npos) << s.message();
}

TEST_F(FramedSocketTest, BadChecksumIsCorruption) {
  std::vector<uint8_t> bytes = EncodeFrame(MessageType::kAck, Bytes("12345678"));
  bytes.back() ^= 1;
  WriteRaw(bytes);
  Frame frame;
  Status s = Run(server_->ReadFrame(&frame, milliseconds(2000)));
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find("checksum"), std::string::npos) << s.message();
}

TEST_F(FramedSocketTest, WrongVersionIsRefused) {
  std::vector<uint8_t> bytes = EncodeFrame(MessageType::kHello, Bytes("hi"));
  bytes[5] = 9;
  WriteRaw(bytes);
  Frame frame;
  Status s = Run(server_->ReadFrame(&frame, milliseconds(2000)));
  EXPECT_EQ(s.code(), Status::Code::kRefused) << s.ToString();
  EXPECT_EQ(s.message(), "protocol version 9, this node speaks " + std::to_string(kProtocolVersion));
}

TEST_F(FramedSocketTest, FrameAboveReadersLimitIsRejected) {
  Connect(/*server_max_payload=*/8);
  ASSERT_TRUE(Run(client_->WriteFrame(MessageType::kRecord, std::vector<uint8_t>(9))).ok());
  Frame frame;
  Status s = Run(server_->ReadFrame(&frame, milliseconds(2000)));
  EXPECT_EQ(s.code(), Status::Code::kCorruption) << s.ToString();
}

TEST_F(FramedSocketTest, ReadTimeoutReturnsTimedOut) {
  Frame frame;
  const auto start = std::chrono::steady_clock::now();
  Status s = Run(server_->ReadFrame(&frame, milliseconds(50)));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(s.code(), Status::Code::kTimedOut) << s.ToString();
  EXPECT_EQ(s.message(), "no frame within 50 ms");
  EXPECT_GE(elapsed, milliseconds(50));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST_F(FramedSocketTest, TimeoutCoversAPayloadThatNeverArrives) {
  // A header promising 100 bytes, then silence: the deadline still fires.
  const std::vector<uint8_t> payload(100, 'x');
  const auto header = EncodeFrameHeader(MessageType::kRecord, payload);
  WriteRaw(std::vector<uint8_t>(header.begin(), header.end()));
  Frame frame;
  Status s = Run(server_->ReadFrame(&frame, milliseconds(50)));
  EXPECT_EQ(s.code(), Status::Code::kTimedOut) << s.ToString();
}

TEST_F(FramedSocketTest, WriteTimeoutWhenPeerStopsReading) {
  // The server never reads; 32 MiB cannot fit in loopback socket buffers.
  const std::vector<uint8_t> big(32 * 1024 * 1024);
  Status s = Run(client_->WriteFrame(MessageType::kRecord, big, milliseconds(100)));
  EXPECT_EQ(s.code(), Status::Code::kTimedOut) << s.ToString();
  EXPECT_FALSE(client_->socket().is_open());  // a timed-out link is closed
}

TEST_F(FramedSocketTest, ReadTimeoutHoldsAgainstATricklingPeer) {
  // One byte every 20 ms never completes a header within 100 ms; the
  // deadline must hold even though each small read succeeds.
  asio::steady_timer drip(io_);
  size_t sent = 0;
  std::function<void()> send_one = [&] {
    if (sent == kFrameHeaderSize - 1) return;
    boost::system::error_code ec;
    const uint8_t byte = 0x44;
    asio::write(client_->socket(), asio::buffer(&byte, 1), ec);
    ++sent;
    drip.expires_after(milliseconds(20));
    drip.async_wait([&](const boost::system::error_code& e) {
      if (!e) send_one();
    });
  };
  send_one();
  Frame frame;
  Status s = Run(server_->ReadFrame(&frame, milliseconds(100)));
  drip.cancel();
  EXPECT_EQ(s.code(), Status::Code::kTimedOut) << s.ToString();
}

TEST_F(FramedSocketTest, CleanCloseIsUnavailable) {
  client_->Close();
  Frame frame;
  Status s = Run(server_->ReadFrame(&frame, milliseconds(2000)));
  EXPECT_EQ(s.code(), Status::Code::kUnavailable) << s.ToString();
  EXPECT_EQ(s.message(), "connection closed by peer");
}

TEST_F(FramedSocketTest, CloseAfterAFrameDeliversTheFrameFirst) {
  ASSERT_TRUE(Run(client_->WriteFrame(MessageType::kAck, Bytes("12345678"))).ok());
  client_->Close();
  Frame frame;
  EXPECT_TRUE(Run(server_->ReadFrame(&frame, milliseconds(2000))).ok());
  EXPECT_EQ(Run(server_->ReadFrame(&frame, milliseconds(2000))).code(), Status::Code::kUnavailable);
}

TEST_F(FramedSocketTest, CloseInsideAHeaderIsUnavailableNotClean) {
  WriteRaw({0x44, 0x44, 0x42});
  client_->Close();
  Frame frame;
  Status s = Run(server_->ReadFrame(&frame, milliseconds(2000)));
  EXPECT_EQ(s.code(), Status::Code::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("3 of 16"), std::string::npos) << s.message();
}

TEST_F(FramedSocketTest, CloseIsIdempotent) {
  server_->Close();
  server_->Close();
  EXPECT_FALSE(server_->socket().is_open());
}

}  // namespace
}  // namespace ddb
