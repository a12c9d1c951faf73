#include "slave_link.h"

#include "ddb/protocol/query_reply.h"

#include <spdlog/spdlog.h>

#include "ddb/base/auth.h"
#include "ddb/base/log_record.h"
#include "ddb/protocol/message_io.h"
#include "replication_log.h"

namespace ddb {
namespace {

// The largest frame the master reads from a peer that has not authenticated:
// hello and proofs are tiny, so an anonymous peer cannot make the master
// allocate a 64 MiB buffer. Once authenticated, a slave may send query
// results up to kMaxQueryReplyPayload.
constexpr uint32_t kMaxSlaveFramePayload = 64 * 1024;

// Records per batch read from memory or the table. Large enough to keep the
// socket busy, small enough that one batch stays a few MB.
constexpr size_t kBatchRecords = 500;
// The streamer queues a batch only while two fit (WaitForRoom), so the
// outbox holds at most two batches and always has a batch's worth of room
// left for queries, answers to forwarded writes and the heartbeat.
constexpr size_t kOutboxFrames = 3 * kBatchRecords;

// The master words its own verdicts on a slave (silence, a bad or unexpected
// frame, the slave's Error, a replacement, shutdown) as plain sentences, and
// a failure of the socket or of the log table with its kind ("unavailable:
// ..."), as its log always has. A verdict is InvalidArgument: bad input from
// a peer.
Status Verdict(std::string why) { return Status::InvalidArgument(std::move(why)); }

std::string Describe(const Status& reason) {
  return reason.code() == Status::Code::kInvalidArgument ? reason.message() : reason.ToString();
}

// Decodes a slave's frame; a payload that does not decode is a verdict.
template <typename Message>
Status DecodeFrom(const Frame& frame, const char* what, Message* out) {
  if (Status s = Decode(frame.payload, out); !s.ok())
    return Verdict(std::string("bad ") + what + " frame: " + s.ToString());
  return Status::Ok();
}

LinkChannelOptions ChannelOptions(const HeartbeatOptions& heartbeat) {
  LinkChannelOptions options;
  options.outbox_frames = kOutboxFrames;
  options.heartbeat_interval = std::chrono::milliseconds(heartbeat.interval_ms);
  options.silence_timeout = std::chrono::milliseconds(heartbeat.timeout_ms);
  options.silence = [](std::chrono::milliseconds timeout) {
    return Verdict("no heartbeat for " + std::to_string(timeout.count()) + " ms");
  };
  options.unexpected = [](MessageType type) {
    return Verdict(std::string("unexpected ") + MessageTypeName(type) + " frame from slave");
  };
  return options;
}

}  // namespace

SlaveLink::SlaveLink(tcp::socket socket, LinkContext context)
    : context_(std::move(context)),
      channel_(std::make_shared<LinkChannel>(
          std::make_shared<FramedSocket>(std::move(socket), kMaxSlaveFramePayload),
          ChannelOptions(context_.settings.heartbeat))),
      records_(channel_->executor()) {}

SlaveLink::~SlaveLink() {
  if (listener_id_ != 0) context_.recent.RemoveListener(listener_id_);
}

void SlaveLink::Start() {
  asio::co_spawn(
      channel_->executor(), [self = shared_from_this()] { return self->Run(); }, asio::detached);
}

void SlaveLink::Stop() { channel_->Close(Verdict("the master is shutting down")); }

void SlaveLink::Query(QueryRequest request, std::chrono::milliseconds timeout, QueryCallback done) {
  asio::dispatch(channel_->executor(), [self = shared_from_this(), request = std::move(request), timeout,
                                        done = std::move(done)]() mutable {
    const auto now = std::chrono::steady_clock::now();
    const uint64_t id = self->pending_queries_.Add(std::move(done), now + timeout, now, self->name_);
    request.request_id = id;
    auto payload = std::make_shared<const std::vector<uint8_t>>(Encode(request));
    SlaveLink* link = self.get();
    const Status queued = self->channel_->Enqueue(
        MessageType::kQuery, std::move(payload), [link, id](const Status& why) { link->FailQuery(id, why); });
    if (!queued.ok()) self->FailQuery(id, queued);
  });
}

void SlaveLink::HandOverTo(HandOver request, std::function<void(std::string)> refused) {
  asio::dispatch(channel_->executor(), [self = shared_from_this(), request, refused = std::move(refused)] {
    self->hand_over_refused_ = refused;
    self->channel_->Send(MessageType::kHandOver, Encode(request), [refused](const Status& why) {
      refused("the hand-over was not sent: " + why.message());
    });
  });
}

// A query that was never sent: its link closed first, or its outbox is full.
void SlaveLink::FailQuery(uint64_t request_id, const Status& why) {
  if (QueryCallback done = pending_queries_.Take(request_id)) {
    done(Status::Unavailable(channel_->open() ? why.message() : "the slave's link closed"), QueryResult());
  }
}

void SlaveLink::AnswerQuery(QueryReply reply) {
  QueryCallback done = pending_queries_.Take(reply.request_id);
  if (!done) return;  // nobody waits for it any more
  const Status status = ReplyStatus(reply);
  QueryResult result = status.ok() ? ReplyResult(std::move(reply)) : QueryResult();
  done(status, std::move(result));
}

asio::awaitable<void> SlaveLink::Run() {
  uint64_t after_seq = 0;
  // (No co_await inside ?: : GCC 12 miscompiles it.)
  Status s = co_await Secure();
  if (s.ok()) s = co_await Handshake(&after_seq);
  if (!s.ok()) {
    context_.logger->warn("replication connection from {}{} refused: {}", channel_->socket().peer(),
                          name_.empty() ? "" : " (slave '" + name_ + "')", s.ToString());
    channel_->Close(s);
    co_return;
  }
  authenticated_.store(true, std::memory_order_relaxed);
  context_.logger->info("slave '{}' connected from {}, resuming after #{}", name_, channel_->socket().peer(),
                        after_seq);
  InstallHandlers();
  sent_seq_ = after_seq;
  asio::co_spawn(
      channel_->executor(), [self = shared_from_this(), after_seq] { return self->Stream(after_seq); },
      asio::detached);
  const std::string reason = Describe(co_await channel_->Run());
  records_.Notify();  // the streamer sees the closed channel and ends
  pending_queries_.FailAll(Status::Unavailable("the link to slave '" + name_ + "' closed: " + reason));
  if (context_.forwarded != nullptr) context_.forwarded->EndSessions(name_, link_id_);
  context_.registry.Disconnected(name_, link_id_, reason);
  context_.logger->warn("slave '{}' ({}) disconnected: {}", name_, channel_->socket().peer(), reason);
}

asio::awaitable<Status> SlaveLink::Secure() {
  const LinkSettings& settings = context_.settings;
  if (!settings.tls) co_return Status::Ok();
  FramedSocket& socket = channel_->socket();
  uint8_t first = 0;
  if (Status s = co_await socket.PeekByte(&first, settings.handshake_timeout); !s.ok()) co_return s;
  if (first == kTlsHandshakeRecord) {
    co_return co_await socket.StartTls(*settings.tls, ssl::stream_base::server, settings.handshake_timeout);
  }
  // A plain peer. A plain slave says Hello first: read it (so the close is
  // orderly, not a reset that could destroy the answer), then say why.
  Frame frame;
  if (Status s = co_await socket.ReadFrame(&frame, settings.handshake_timeout); !s.ok()) {
    co_return Status::Refused("plain text on the TLS replication port: " + s.ToString());
  }
  Hello hello;
  if (frame.type == MessageType::kHello && Decode(frame.payload, &hello).ok()) name_ = hello.node_name;
  co_await SendError(socket, ErrorCode::kTlsRequired,
                     "this master accepts only TLS on its replication port: give the slave tls_ca_file "
                     "(the CA of the master's certificate)");
  co_return Status::Refused(
      "a plain-text connection on the TLS replication port (the slave needs TLS on: "
      "tls_ca_file)");
}

asio::awaitable<Status> SlaveLink::Handshake(uint64_t* after_seq) {
  const LinkSettings& settings = context_.settings;
  FramedSocket& socket = channel_->socket();
  Hello hello;
  if (Status s = co_await ReceiveMessage(socket, MessageType::kHello, &hello, settings.handshake_timeout);
      !s.ok()) {
    if (s.code() == Status::Code::kRefused) {  // a frame of another protocol version
      co_await SendError(socket, ErrorCode::kVersionUnsupported, s.message());
    }
    co_return s;
  }
  if (hello.min_version > kProtocolVersion || hello.max_version < kProtocolVersion) {
    const std::string why = "slave speaks protocol versions " + std::to_string(hello.min_version) + ".." +
                            std::to_string(hello.max_version) + ", this master speaks " +
                            std::to_string(kProtocolVersion);
    co_await SendError(socket, ErrorCode::kVersionUnsupported, why);
    co_return Status::Refused(why);
  }
  name_ = hello.node_name;
  if (!context_.registry.Knows(hello.node_name)) {
    const std::string why = "this master does not know a slave named '" + hello.node_name +
                            "' (add it to 'slaves' in the master's config)";
    co_await SendError(socket, ErrorCode::kUnknownNode, why);
    co_return Status::Refused(why);
  }
  if (!hello.cluster_id.empty() && hello.cluster_id != settings.cluster_id) {
    const std::string why =
        "slave belongs to cluster " + hello.cluster_id + ", this master is cluster " + settings.cluster_id;
    co_await SendError(socket, ErrorCode::kClusterMismatch, why);
    co_return Status::Refused(why);
  }
  Challenge challenge;
  challenge.master_name = settings.master_name;
  challenge.cluster_id = settings.cluster_id;
  challenge.server_nonce = RandomNonce();
  if (Status s = co_await SendMessage(socket, MessageType::kChallenge, challenge); !s.ok()) co_return s;
  AuthResponse response;
  if (Status s =
          co_await ReceiveMessage(socket, MessageType::kAuthResponse, &response, settings.handshake_timeout);
      !s.ok()) {
    co_return s;
  }
  const std::string expected = SlaveProof(settings.cluster_secret, challenge.server_nonce, hello.client_nonce,
                                          hello.node_name, settings.cluster_id);
  AuthResult result;
  if (!ProofsEqual(expected, response.proof)) {
    result.accepted = false;
    result.reason = "authentication failed: the slave's cluster_secret does not match the master's";
    co_await SendMessage(socket, MessageType::kAuthResult, result);
    co_return Status::Refused(result.reason);
  }
  // Only now that the slave proved it knows the secret: an anonymous peer
  // must not be able to fence this master with a made-up epoch.
  if (context_.fencing.Learn(hello.epoch, "slave " + hello.node_name)) {
    context_.logger->error("{}", *context_.fencing.reason());
  }
  if (const std::optional<std::string> fenced = context_.fencing.reason()) {
    co_await SendError(socket, ErrorCode::kFenced, *fenced);
    co_return Status::Refused(*fenced);
  }
  result.accepted = true;
  result.epochs = context_.fencing.epochs().starts();
  result.master_proof = MasterProof(settings.cluster_secret, challenge.server_nonce, hello.client_nonce,
                                    hello.node_name, settings.cluster_id);
  if (Status s = co_await SendMessage(socket, MessageType::kAuthResult, result); !s.ok()) co_return s;

  Subscribe subscribe;
  if (Status s =
          co_await ReceiveMessage(socket, MessageType::kSubscribe, &subscribe, settings.handshake_timeout);
      !s.ok()) {
    co_return s;
  }
  const uint64_t last_seq = context_.recent.last_seq();
  if (subscribe.after_seq > last_seq) {
    const std::string why = "slave has applied up to #" + std::to_string(subscribe.after_seq) +
                            " but this master's log ends at #" + std::to_string(last_seq) +
                            "; it holds changes this master never wrote: re-seed it";
    co_await SendError(socket, ErrorCode::kPositionAhead, why);
    co_return Status::Refused(why);
  }
  // A slave that needs records the log no longer holds must be re-seeded;
  // skipping it forward would leave it different from the master for good.
  // Records still in the memory window are held whatever the table's purge
  // did: a slave that reconnects within it costs no table read.
  std::vector<EncodedRecordPtr> next;
  const bool next_in_memory = context_.recent.ReadAfter(subscribe.after_seq, 1, &next);
  if (subscribe.after_seq < last_seq && !next_in_memory) {
    uint64_t purged_through = 0;
    if (!table_reader_) table_reader_ = std::make_unique<LogTableReader>(settings.mysql);
    LogTableReader* reader = table_reader_.get();
    Status s = co_await asio::co_spawn(
        context_.table_workers,
        [reader, &purged_through]() -> asio::awaitable<Status> {
          co_return reader->PurgedThrough(&purged_through);
        },
        asio::use_awaitable);
    if (!s.ok()) co_return Status::Unavailable("reading the log table: " + s.ToString());
    if (purged_through > subscribe.after_seq) {
      const std::string why = "slave needs the records after #" + std::to_string(subscribe.after_seq) +
                              " but the log now starts at #" + std::to_string(purged_through + 1) +
                              " (older records were purged); re-seed this slave: ddb-slave --seed --force";
      co_await SendError(socket, ErrorCode::kPositionPurged, why);
      co_return Status::Refused(why);
    }
  }
  *after_seq = subscribe.after_seq;
  socket.set_max_payload(kMaxQueryReplyPayload);
  std::weak_ptr<SlaveLink> weak = weak_from_this();
  SlaveHooks hooks;
  hooks.stop = [weak] {
    if (auto self = weak.lock())
      self->channel_->Close(Verdict("replaced by a newer connection of the same slave"));
  };
  hooks.query = [weak](QueryRequest request, std::chrono::milliseconds timeout, QueryCallback done) {
    if (auto self = weak.lock()) {
      self->Query(std::move(request), timeout, std::move(done));
    } else {
      done(Status::Unavailable("the slave's link closed"), QueryResult());
    }
  };
  hooks.hand_over = [weak](HandOver request, std::function<void(std::string)> refused) {
    if (auto self = weak.lock()) return self->HandOverTo(request, std::move(refused));
    refused("the slave's link closed");
  };
  link_id_ = context_.registry.Connected(name_, socket.peer(), subscribe.after_seq, std::move(hooks));
  co_return Status::Ok();
}

void SlaveLink::InstallHandlers() {
  LinkChannel& channel = *channel_;
  channel.Handle(MessageType::kAck, [this](const Frame& frame) {
    Ack ack;
    if (Status s = DecodeFrom(frame, "ack", &ack); !s.ok()) return s;
    context_.registry.Acked(name_, link_id_, ack, NowMicros());
    return Status::Ok();
  });
  channel.Handle(MessageType::kQueryResult, [this](const Frame& frame) {
    QueryReply reply;
    if (Status s = DecodeFrom(frame, "query result", &reply); !s.ok()) return s;
    AnswerQuery(std::move(reply));
    return Status::Ok();
  });
  channel.Handle(MessageType::kForward, [this](const Frame& frame) {
    ForwardRequest request;
    if (Status s = DecodeFrom(frame, "forward", &request); !s.ok()) return s;
    context_.registry.Seen(name_, link_id_, NowMicros());
    Forward(std::move(request));
    return Status::Ok();
  });
  channel.Handle(MessageType::kForwardEnd, [this](const Frame& frame) {
    ForwardEnd end;
    if (Status s = DecodeFrom(frame, "forward_end", &end); !s.ok()) return s;
    context_.registry.Seen(name_, link_id_, NowMicros());
    if (context_.forwarded != nullptr) context_.forwarded->EndSession(name_, link_id_, end.session_id);
    return Status::Ok();
  });
  channel.Handle(MessageType::kHandOverRefused, [this](const Frame& frame) {
    HandOverRefused refusal;
    if (Status s = DecodeFrom(frame, "hand_over_refused", &refusal); !s.ok()) return s;
    if (hand_over_refused_) std::exchange(hand_over_refused_, nullptr)(refusal.reason);
    return Status::Ok();
  });
  channel.Handle(MessageType::kHeartbeat, [this](const Frame&) {
    context_.registry.Seen(name_, link_id_, NowMicros());
    return Status::Ok();
  });
  channel.Handle(MessageType::kError, [](const Frame& frame) {
    ErrorMessage error;
    return Verdict(Decode(frame.payload, &error).ok() ? "slave reported: " + error.message
                                                      : "bad error frame");
  });
  channel.SetHeartbeat([this] {
    Heartbeat heartbeat;
    // What this link has sent: the channel sends a heartbeat only with its
    // outbox empty, and in-order delivery means the slave holds everything
    // up to here, so a larger value than it received proves records were
    // lost in between.
    heartbeat.last_seq = sent_seq_;
    heartbeat.sent_at_micros = NowMicros();
    return Frame{MessageType::kHeartbeat, Encode(heartbeat)};
  });
}

asio::awaitable<Status> SlaveLink::ReadFromTable(uint64_t after_seq, std::vector<EncodedRecordPtr>* batch) {
  if (!table_reader_) table_reader_ = std::make_unique<LogTableReader>(context_.settings.mysql);
  LogTableReader* reader = table_reader_.get();
  // Never past what is published: a number above it may still commit.
  const uint64_t horizon = context_.recent.last_seq();
  // Blocking MySQL work runs on a worker so the io thread keeps serving the
  // other slaves; the coroutine resumes here when it is done.
  co_return co_await asio::co_spawn(
      context_.table_workers,
      [reader, after_seq, horizon, batch]() -> asio::awaitable<Status> {
        co_return reader->ReadAfter(after_seq, horizon, kBatchRecords, batch);
      },
      asio::use_awaitable);
}

asio::awaitable<void> SlaveLink::Stream(uint64_t after_seq) {
  auto self = shared_from_this();
  std::weak_ptr<SlaveLink> weak = self;
  listener_id_ = context_.recent.AddListener([weak, executor = channel_->executor()] {
    asio::post(executor, [weak] {
      if (auto link = weak.lock()) link->records_.Notify();
    });
  });
  bool live = false;
  std::vector<EncodedRecordPtr> batch;
  while (co_await channel_->WaitForRoom(2 * kBatchRecords)) {
    batch.clear();
    const bool in_memory = context_.recent.ReadAfter(after_seq, kBatchRecords, &batch);
    if (!in_memory) {
      const Status s = co_await ReadFromTable(after_seq, &batch);
      if (!channel_->open()) break;
      if (s.code() == Status::Code::kNotFound) {
        const std::string why = s.message() + " while the slave needed them; re-seed this slave";
        channel_->CloseWithError(ErrorCode::kPositionPurged, Status::Refused(why));
        break;
      }
      if (!s.ok()) {
        channel_->Close(Status::Unavailable("reading the log table for catch-up failed: " + s.ToString()));
        break;
      }
    }
    if (in_memory != live) {
      live = in_memory;
      context_.registry.SetLive(name_, link_id_, live);
    }
    if (batch.empty()) {
      // Caught up: wait for a new record (the channel sends heartbeats).
      co_await records_.Wait(std::chrono::milliseconds(0));
      continue;
    }
    for (const EncodedRecordPtr& record : batch) {
      // Shares the record's bytes (memory's or the batch's): no copy.
      LinkChannel::Payload payload(record, &record->payload);
      if (Status s = channel_->Enqueue(MessageType::kRecord, std::move(payload)); !s.ok()) {
        // Room was made for it, so only a closed link refuses; a gap in the
        // stream is never left behind on an open one.
        channel_->Close(s);
        co_return;
      }
    }
    after_seq = batch.back()->seq;
    sent_seq_ = after_seq;
    context_.registry.RecordsSent(name_, link_id_, batch.size());
  }
}

void SlaveLink::Forward(ForwardRequest request) {
  // The answer comes from a ForwardedWrites worker, maybe after this link
  // closed: then the channel is gone, or refuses it, and the slave's console
  // has been told already that its link closed.
  auto send = [weak = std::weak_ptr<LinkChannel>(channel_), logger = context_.logger](ForwardReply reply) {
    auto channel = weak.lock();
    if (!channel) return;
    // Called by the channel itself, so the raw pointer is alive.
    LinkChannel* raw = channel.get();
    channel->Send(MessageType::kForwardResult, Encode(reply), [raw, logger](const Status& why) {
      if (raw->open()) logger->warn("an answer to a forwarded write was not sent: {}", why.ToString());
    });
  };
  if (context_.forwarded == nullptr) {
    ForwardReply refused;
    refused.result.request_id = request.request_id;
    refused.result.message = "this master does not run forwarded writes";
    send(std::move(refused));
    return;
  }
  context_.forwarded->Submit(name_, link_id_, std::move(request), std::move(send));
}

}  // namespace ddb
