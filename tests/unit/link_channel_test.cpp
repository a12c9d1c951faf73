#include "ddb/protocol/link_channel.h"

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "byte_strings.h"
#include "ddb/base/asio.h"

namespace ddb {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Every wait in these tests is bounded by this; none sleeps to synchronise.
constexpr auto kDeadline = seconds(10);

template <typename T>
bool Ready(std::future<T>& future) {
  return future.wait_for(kDeadline) == std::future_status::ready;
}

// ForwardEnd's one u64 numbers the frames of these tests.
std::vector<uint8_t> Numbered(uint64_t n) {
  ForwardEnd end;
  end.session_id = n;
  return Encode(end);
}

uint64_t NumberOf(const Frame& frame) {
  ForwardEnd end;
  EXPECT_TRUE(Decode(frame.payload, &end).ok());
  return end.session_id;
}

// A LinkChannel on one end of a real loopback TCP pair and a bare
// FramedSocket on the other (the peer, which the tests drive frame by frame).
// Each end's socket lives on a strand of one io_context run by a thread of
// its own, so the test thread sends from outside the strand as daemons do.
class LinkChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tcp::acceptor acceptor(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    tcp::socket ours(asio::make_strand(io_));
    ours.connect(acceptor.local_endpoint());
    tcp::socket theirs(asio::make_strand(io_));
    acceptor.accept(theirs);
    ours_ = std::make_shared<FramedSocket>(std::move(ours));
    peer_ = std::make_shared<FramedSocket>(std::move(theirs));
    io_thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (channel_) channel_->Close(Status::Unavailable("test over"));
    asio::post(peer_->socket().get_executor(), [peer = peer_] { peer->Close(); });
    if (run_.valid()) {
      EXPECT_TRUE(Ready(run_)) << "Run did not return after Close";
    }
    work_.reset();
    io_.stop();
    io_thread_.join();
    channel_.reset();
  }

  void MakeChannel(LinkChannelOptions options = {}) {
    channel_ = std::make_shared<LinkChannel>(ours_, std::move(options));
  }

  // Starts the channel; run_ gets its close reason.
  void Start() { run_ = asio::co_spawn(io_, channel_->Run(), asio::use_future); }

  // Runs `op` on the channel's strand and waits for it (set-up that must
  // happen there, such as Enqueue).
  template <typename F>
  void OnStrand(F op) {
    std::promise<void> done;
    asio::post(channel_->executor(), [&] {
      op();
      done.set_value();
    });
    std::future<void> future = done.get_future();
    ASSERT_TRUE(Ready(future));
  }

  Status PeerRead(Frame* frame) {
    std::future<Status> read = asio::co_spawn(peer_->socket().get_executor(),
                                              peer_->ReadFrame(frame, milliseconds(5000)), asio::use_future);
    if (!Ready(read)) return Status::TimedOut("peer read did not finish");
    return read.get();
  }

  Status PeerWrite(MessageType type, std::vector<uint8_t> payload) {
    auto bytes = std::make_shared<std::vector<uint8_t>>(std::move(payload));
    std::future<Status> write = asio::co_spawn(
        peer_->socket().get_executor(),
        [peer = peer_, type, bytes]() -> asio::awaitable<Status> {
          co_return co_await peer->WriteFrame(type, *bytes);
        },
        asio::use_future);
    if (!Ready(write)) return Status::TimedOut("peer write did not finish");
    return write.get();
  }

  Status CloseReason() {
    if (!Ready(run_)) return Status::TimedOut("Run did not return");
    return run_.get();
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::thread io_thread_;
  std::shared_ptr<FramedSocket> ours_;
  std::shared_ptr<FramedSocket> peer_;
  std::shared_ptr<LinkChannel> channel_;
  std::future<Status> run_;
};

TEST_F(LinkChannelTest, SendsFromSeveralThreadsArriveAllAndInEachThreadsOrder) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  LinkChannelOptions options;
  options.outbox_frames = kThreads * kPerThread;  // nothing is rejected
  MakeChannel(options);
  Start();
  std::atomic<int> rejected{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        channel_->Send(MessageType::kForwardEnd, Numbered(t * 1000000 + i),
                       [&](const Status&) { ++rejected; });
      }
    });
  }
  for (std::thread& sender : senders) sender.join();

  std::map<int, int> next;  // thread -> the number it must send next
  for (int n = 0; n < kThreads * kPerThread; ++n) {
    Frame frame;
    ASSERT_TRUE(PeerRead(&frame).ok()) << "after " << n << " frames";
    ASSERT_EQ(frame.type, MessageType::kForwardEnd);
    const uint64_t number = NumberOf(frame);
    const int thread = static_cast<int>(number / 1000000);
    ASSERT_EQ(static_cast<int>(number % 1000000), next[thread]) << "thread " << thread << " out of order";
    ++next[thread];
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kPerThread);
  EXPECT_EQ(rejected.load(), 0);
}

// Before Run nothing drains the outbox, so "full" is exact: the fourth send is
// refused, a producer waiting for room waits, and the writer then frees it.
TEST_F(LinkChannelTest, AFullOutboxRefusesSendsAndWaitForRoomWaitsForTheWriter) {
  LinkChannelOptions options;
  options.outbox_frames = 3;
  MakeChannel(options);
  std::promise<Status> refused;
  for (uint64_t n = 1; n <= 4; ++n) {
    channel_->Send(MessageType::kForwardEnd, Numbered(n), [&, n](const Status& why) {
      if (n == 4) refused.set_value(why);
    });
  }
  std::future<Status> why = refused.get_future();
  ASSERT_TRUE(Ready(why));
  const Status s = why.get();
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_NE(s.message().find("outbox is full (3 frames"), std::string::npos) << s.ToString();

  std::future<bool> room = asio::co_spawn(channel_->executor(), channel_->WaitForRoom(2), asio::use_future);
  EXPECT_EQ(room.wait_for(milliseconds(100)), std::future_status::timeout) << "room while the outbox is full";
  Start();
  ASSERT_TRUE(Ready(room));
  EXPECT_TRUE(room.get());
  for (uint64_t n = 1; n <= 3; ++n) {
    Frame frame;
    ASSERT_TRUE(PeerRead(&frame).ok());
    EXPECT_EQ(NumberOf(frame), n);
  }
}

// A peer that stops reading: the socket buffers fill, the writer blocks, and
// then the outbox refuses more instead of growing.
TEST_F(LinkChannelTest, APeerThatStopsReadingMakesTheOutboxRefuseInsteadOfGrowing) {
  LinkChannelOptions options;
  options.outbox_frames = 4;
  MakeChannel(options);
  Start();
  // Shared: frames still queued are rejected again when TearDown closes.
  auto first_refused = std::make_shared<std::promise<int>>();
  auto refused = std::make_shared<std::atomic<bool>>(false);
  const std::vector<uint8_t> big(256 * 1024, 'x');
  int sent = 0;
  const auto give_up = std::chrono::steady_clock::now() + kDeadline;
  while (!*refused && std::chrono::steady_clock::now() < give_up && sent < 10000) {
    const int n = sent++;
    channel_->Send(MessageType::kRecord, big, [first_refused, refused, n](const Status&) {
      if (!refused->exchange(true)) first_refused->set_value(n);
    });
  }
  std::future<int> refused_at = first_refused->get_future();
  ASSERT_TRUE(Ready(refused_at)) << "never refused after " << sent << " frames of 256 KiB";
  // The frames accepted before it are still delivered, in order, once the
  // peer reads again.
  const int accepted = refused_at.get();
  for (int n = 0; n < accepted; ++n) {
    Frame frame;
    ASSERT_TRUE(PeerRead(&frame).ok()) << "frame " << n;
    ASSERT_EQ(frame.payload.size(), big.size());
  }
}

TEST_F(LinkChannelTest, EachFrameGoesToTheHandlerOfItsType) {
  MakeChannel();
  std::vector<std::string> seen;  // on the strand only, read after Run returned
  channel_->Handle(MessageType::kAck, [&](const Frame& frame) {
    Ack ack;
    if (Status s = Decode(frame.payload, &ack); !s.ok()) return s;
    seen.push_back("ack " + std::to_string(ack.applied_seq));
    return Status::Ok();
  });
  channel_->HandleAsync(MessageType::kHeartbeat, [&](const Frame& frame) -> asio::awaitable<Status> {
    Heartbeat heartbeat;
    if (Status s = Decode(frame.payload, &heartbeat); !s.ok()) co_return s;
    seen.push_back("heartbeat " + std::to_string(heartbeat.last_seq));
    // A handler's non-OK Status is the close reason.
    if (heartbeat.last_seq == 99) co_return Status::Refused("enough");
    co_return Status::Ok();
  });
  Start();
  Ack ack;
  ack.applied_seq = 7;
  Heartbeat heartbeat;
  heartbeat.last_seq = 8;
  ASSERT_TRUE(PeerWrite(MessageType::kAck, Encode(ack)).ok());
  ASSERT_TRUE(PeerWrite(MessageType::kHeartbeat, Encode(heartbeat)).ok());
  ack.applied_seq = 9;
  ASSERT_TRUE(PeerWrite(MessageType::kAck, Encode(ack)).ok());
  heartbeat.last_seq = 99;
  ASSERT_TRUE(PeerWrite(MessageType::kHeartbeat, Encode(heartbeat)).ok());

  const Status reason = CloseReason();
  EXPECT_EQ(reason.ToString(), "refused: enough");
  EXPECT_EQ(seen, (std::vector<std::string>{"ack 7", "heartbeat 8", "ack 9", "heartbeat 99"}));
}

TEST_F(LinkChannelTest, AFrameOfATypeWithNoHandlerClosesTheLinkNamingTheType) {
  LinkChannelOptions options;
  options.unexpected = [](MessageType type) {
    return Status::InvalidArgument(std::string("unexpected ") + MessageTypeName(type) + " frame from slave");
  };
  MakeChannel(options);
  channel_->Handle(MessageType::kAck, [](const Frame&) { return Status::Ok(); });
  Start();
  ASSERT_TRUE(PeerWrite(MessageType::kQuery, Bytes("whatever")).ok());
  EXPECT_EQ(CloseReason().message(), "unexpected query frame from slave");
  Frame frame;
  EXPECT_EQ(PeerRead(&frame).code(), Status::Code::kUnavailable) << "the socket is closed";
}

TEST_F(LinkChannelTest, ClosesOnceKeepingTheFirstReasonAndRejectsWhatIsQueued) {
  MakeChannel();
  std::mutex mutex;
  std::vector<std::string> rejections;
  auto note = [&](const Status& why) {
    std::lock_guard<std::mutex> lock(mutex);
    rejections.push_back(why.message());
  };
  // Queued before Run: no writer has taken them yet.
  OnStrand([&] {
    for (uint64_t n = 1; n <= 3; ++n)
      EXPECT_TRUE(channel_
                      ->Enqueue(MessageType::kForwardEnd,
                                std::make_shared<const std::vector<uint8_t>>(Numbered(n)), note)
                      .ok());
  });
  channel_->Close(Status::Unavailable("first"));
  channel_->Close(Status::Unavailable("second"));
  channel_->CloseWithError(ErrorCode::kInternal, Status::Unavailable("third"));
  Start();
  EXPECT_EQ(CloseReason().message(), "first");
  // A send after the close is refused at once, with the reason.
  std::promise<Status> late;
  channel_->Send(MessageType::kForwardEnd, Numbered(4), [&](const Status& why) { late.set_value(why); });
  std::future<Status> late_reason = late.get_future();
  ASSERT_TRUE(Ready(late_reason));
  EXPECT_EQ(late_reason.get().message(), "first");
  OnStrand([&] {
    EXPECT_FALSE(channel_->open());
    EXPECT_EQ(channel_->close_reason().message(), "first");
  });
  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(rejections, (std::vector<std::string>{"first", "first", "first"}));
  Frame frame;
  EXPECT_FALSE(PeerRead(&frame).ok()) << "nothing queued was sent";
}

TEST_F(LinkChannelTest, CloseWithErrorTellsThePeerWhyBeforeClosing) {
  MakeChannel();
  Start();
  channel_->CloseWithError(ErrorCode::kPositionPurged, Status::Refused("re-seed this slave"));
  Frame frame;
  ASSERT_TRUE(PeerRead(&frame).ok());
  ASSERT_EQ(frame.type, MessageType::kError);
  ErrorMessage error;
  ASSERT_TRUE(Decode(frame.payload, &error).ok());
  EXPECT_EQ(error.code, ErrorCode::kPositionPurged);
  EXPECT_EQ(error.message, "re-seed this slave");
  EXPECT_EQ(PeerRead(&frame).code(), Status::Code::kUnavailable) << "closed after the Error frame";
  EXPECT_EQ(CloseReason().ToString(), "refused: re-seed this slave");
}

TEST_F(LinkChannelTest, ASilentPeerClosesTheLinkAfterTheTimeout) {
  LinkChannelOptions options;
  options.silence_timeout = milliseconds(300);
  options.silence = [](milliseconds timeout) {
    return Status::Unavailable("master silent for " + std::to_string(timeout.count()) + " ms");
  };
  MakeChannel(options);
  channel_->Handle(MessageType::kHeartbeat, [](const Frame&) { return Status::Ok(); });
  const auto started = std::chrono::steady_clock::now();
  Start();
  // A frame restarts the clock.
  ASSERT_TRUE(PeerWrite(MessageType::kHeartbeat, Encode(Heartbeat())).ok());
  EXPECT_EQ(CloseReason().ToString(), "unavailable: master silent for 300 ms");
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, milliseconds(300));
  EXPECT_LT(took, seconds(5));
}

TEST_F(LinkChannelTest, AnIdleChannelSendsAHeartbeatEveryInterval) {
  LinkChannelOptions options;
  options.heartbeat_interval = milliseconds(50);
  MakeChannel(options);
  // Shared: the writer may build another before TearDown closes the channel.
  auto built = std::make_shared<uint64_t>(0);
  channel_->SetHeartbeat([built] {
    Heartbeat heartbeat;
    heartbeat.last_seq = ++*built;
    return Frame{MessageType::kHeartbeat, Encode(heartbeat)};
  });
  Start();
  for (uint64_t n = 1; n <= 3; ++n) {
    Frame frame;
    ASSERT_TRUE(PeerRead(&frame).ok());
    ASSERT_EQ(frame.type, MessageType::kHeartbeat);
    Heartbeat heartbeat;
    ASSERT_TRUE(Decode(frame.payload, &heartbeat).ok());
    EXPECT_EQ(heartbeat.last_seq, n);
  }
}

TEST_F(LinkChannelTest, HeartbeatNowSendsOneWithoutWaitingForTheInterval) {
  LinkChannelOptions options;
  options.heartbeat_interval = seconds(3600);
  MakeChannel(options);
  channel_->SetHeartbeat([] { return Frame{MessageType::kAck, Encode(Ack())}; });
  Start();
  channel_->HeartbeatNow();
  Frame frame;
  ASSERT_TRUE(PeerRead(&frame).ok());
  EXPECT_EQ(frame.type, MessageType::kAck);
}

}  // namespace
}  // namespace ddb
