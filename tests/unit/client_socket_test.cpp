// ClientSocket's plain reads and writes over a socketpair: what a read takes
// ahead is handed out in order, long reads and writes arrive whole, and a
// silent or closed peer ends a read with its own status.
#include "client_socket.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ddb {
namespace {

using std::chrono::milliseconds;

class ClientSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    socket_ = std::make_unique<ClientSocket>(fds[0], "peer:1");
    ours_ = fds[0];
    peer_ = fds[1];
  }
  void TearDown() override {
    if (peer_ >= 0) ::close(peer_);
  }

  void PeerSends(const std::string& bytes) {
    ASSERT_EQ(::write(peer_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  std::string Read(size_t n, milliseconds within = milliseconds(2000)) {
    std::string out(n, '\0');
    last_ =
        socket_->ReadExactly(reinterpret_cast<uint8_t*>(out.data()), n, ClientSocket::Clock::now() + within);
    return last_.ok() ? out : "";
  }

  std::unique_ptr<ClientSocket> socket_;
  int ours_ = -1;  // owned by socket_
  int peer_ = -1;
  Status last_;
};

TEST_F(ClientSocketTest, WhatAReadTookAheadIsHandedOutInOrder) {
  socket_->ReadAhead();
  // Two packets, and a third one's header, in one send.
  PeerSends(
      "HEAD"
      "first payload"
      "HD2!"
      "second"
      "HD3");
  EXPECT_EQ(Read(4), "HEAD");
  // One recv took it all: nothing is left in the socket.
  char left[1];
  EXPECT_EQ(::recv(ours_, left, sizeof left, MSG_PEEK | MSG_DONTWAIT), -1);
  EXPECT_EQ(Read(13), "first payload");
  EXPECT_EQ(Read(4), "HD2!");
  EXPECT_EQ(Read(6), "second");
  // The rest of the third header comes later: the kept bytes first.
  std::thread later([this] {
    std::this_thread::sleep_for(milliseconds(50));
    PeerSends(
        "!"
        "third");
  });
  EXPECT_EQ(Read(4), "HD3!");
  later.join();
  EXPECT_EQ(Read(5), "third");
}

TEST_F(ClientSocketTest, AReadLargerThanTheBufferArrivesWhole) {
  socket_->ReadAhead();
  std::string big(100 * 1024, '\0');
  std::iota(big.begin(), big.end(), 'a');
  std::thread writer([this, &big] { PeerSends("HEAD" + big); });
  EXPECT_EQ(Read(4), "HEAD");
  EXPECT_EQ(Read(big.size()), big);
  writer.join();
}

TEST_F(ClientSocketTest, WithoutReadAheadAReadTakesOnlyWhatItAskedFor) {
  PeerSends("HEADrest");
  EXPECT_EQ(Read(4), "HEAD");
  // The rest is still in the socket, for whoever reads it next (OpenSSL,
  // after an SSLRequest).
  char rest[8] = {};
  EXPECT_EQ(::recv(ours_, rest, sizeof rest, MSG_PEEK | MSG_DONTWAIT), 4);
  EXPECT_EQ(std::string(rest, 4), "rest");
  EXPECT_EQ(Read(4), "rest");
}

TEST_F(ClientSocketTest, ASilentPeerTimesOutAndAClosedOneIsUnavailable) {
  socket_->ReadAhead();
  EXPECT_EQ(Read(4, milliseconds(50)), "");
  EXPECT_EQ(last_.code(), Status::Code::kTimedOut) << last_.ToString();
  PeerSends("AB");
  ::close(peer_);
  peer_ = -1;
  EXPECT_EQ(Read(4), "");
  EXPECT_EQ(last_.code(), Status::Code::kUnavailable) << last_.ToString();
}

TEST_F(ClientSocketTest, ALargeWriteArrivesWholeWhenThePeerReadsSlowly) {
  std::string big(1024 * 1024, 'x');
  std::string received;
  std::thread reader([this, &received, size = big.size()] {
    std::this_thread::sleep_for(milliseconds(50));  // the socket's buffer fills first
    char chunk[65536];
    while (received.size() < size) {
      const ssize_t got = ::read(peer_, chunk, sizeof chunk);
      if (got <= 0) break;
      received.append(chunk, static_cast<size_t>(got));
    }
  });
  const Status s = socket_->WriteAll(std::span(reinterpret_cast<const uint8_t*>(big.data()), big.size()),
                                     ClientSocket::Clock::now() + milliseconds(5000));
  reader.join();
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(received, big);
}

}  // namespace
}  // namespace ddb
