#include "slave_link.h"

#include "ddb/query_reply.h"

#include <spdlog/spdlog.h>

#include "ddb/auth.h"
#include "ddb/log_record.h"
#include "ddb/message_io.h"
#include "replication_log.h"

namespace ddb {
namespace {

// The largest frame the master reads from a peer that has not authenticated:
// hello and proofs are tiny, so an anonymous peer cannot make the master
// allocate a 64 MiB buffer. Once authenticated, a slave may send query
// results up to kMaxQueryReplyPayload.
constexpr uint32_t kMaxSlaveFramePayload = 64 * 1024;
constexpr uint32_t kMaxQueryReplyPayload = 16 * 1024 * 1024;

// Records per batch read from memory or the table. Large enough to keep the
// socket busy, small enough that one batch stays a few MB.
constexpr size_t kBatchRecords = 500;

}  // namespace

SlaveLink::SlaveLink(tcp::socket socket, LinkContext context)
    : socket_(std::move(socket), kMaxSlaveFramePayload),
      context_(std::move(context)),
      wakeup_(socket_.socket().get_executor()) {}

SlaveLink::~SlaveLink() {
  if (listener_id_ != 0) context_.recent.RemoveListener(listener_id_);
}

void SlaveLink::Start() {
  asio::co_spawn(socket_.socket().get_executor(), [self = shared_from_this()] { return self->Run(); },
                 asio::detached);
}

void SlaveLink::Query(QueryRequest request, QueryCallback done) {
  asio::post(socket_.socket().get_executor(), [self = shared_from_this(), request = std::move(request),
                                               done = std::move(done)]() mutable {
    if (!self->socket_.socket().is_open()) {
      done(Status::Unavailable("the slave's link closed"), QueryResult());
      return;
    }
    request.request_id = self->next_request_id_++;
    self->pending_queries_.emplace(request.request_id, std::move(done));
    self->outgoing_.push_back(std::move(request));
    self->wakeup_pending_ = true;
    self->wakeup_.cancel();
  });
}

void SlaveLink::FailPendingQueries(const std::string& why) {
  for (auto& [id, done] : pending_queries_) done(Status::Unavailable(why), QueryResult());
  pending_queries_.clear();
}

void SlaveLink::Stop() {
  asio::post(socket_.socket().get_executor(), [self = shared_from_this()] {
    self->socket_.Close();
    self->wakeup_.cancel();
  });
}

asio::awaitable<void> SlaveLink::Run() {
  uint64_t after_seq = 0;
  Status s = co_await Handshake(&after_seq);
  if (!s.ok()) {
    context_.logger->warn("replication connection from {}{} refused: {}", socket_.peer(),
                          name_.empty() ? "" : " (slave '" + name_ + "')", s.ToString());
    socket_.Close();
    co_return;
  }
  context_.logger->info("slave '{}' connected from {}, resuming after #{}", name_, socket_.peer(), after_seq);
  asio::co_spawn(socket_.socket().get_executor(), [self = shared_from_this()] { return self->ReadAcks(); },
                 asio::detached);
  s = co_await Stream(after_seq);
  socket_.Close();
  wakeup_.cancel();
  const std::string reason = end_reason_.empty() ? s.ToString() : end_reason_;
  FailPendingQueries("the link to slave '" + name_ + "' closed: " + reason);
  if (context_.forwarded != nullptr) context_.forwarded->EndSessions(name_, link_id_);
  context_.registry.Disconnected(name_, link_id_, reason);
  context_.logger->warn("slave '{}' ({}) disconnected: {}", name_, socket_.peer(), reason);
}

asio::awaitable<Status> SlaveLink::Handshake(uint64_t* after_seq) {
  const LinkSettings& settings = context_.settings;
  Hello hello;
  if (Status s = co_await ReceiveMessage(socket_, MessageType::kHello, &hello, settings.handshake_timeout);
      !s.ok()) {
    if (s.code() == Status::Code::kRefused) {  // a frame of another protocol version
      co_await SendError(socket_, ErrorCode::kVersionUnsupported, s.message());
    }
    co_return s;
  }
  if (hello.min_version > kProtocolVersion || hello.max_version < kProtocolVersion) {
    const std::string why = "slave speaks protocol versions " + std::to_string(hello.min_version) + ".." +
                            std::to_string(hello.max_version) + ", this master speaks " +
                            std::to_string(kProtocolVersion);
    co_await SendError(socket_, ErrorCode::kVersionUnsupported, why);
    co_return Status::Refused(why);
  }
  name_ = hello.node_name;
  if (!context_.registry.Knows(hello.node_name)) {
    const std::string why = "this master does not know a slave named '" + hello.node_name +
                            "' (add it to 'slaves' in the master's config)";
    co_await SendError(socket_, ErrorCode::kUnknownNode, why);
    co_return Status::Refused(why);
  }
  if (!hello.cluster_id.empty() && hello.cluster_id != settings.cluster_id) {
    const std::string why = "slave belongs to cluster " + hello.cluster_id + ", this master is cluster " +
                            settings.cluster_id;
    co_await SendError(socket_, ErrorCode::kClusterMismatch, why);
    co_return Status::Refused(why);
  }
  Challenge challenge;
  challenge.master_name = settings.master_name;
  challenge.cluster_id = settings.cluster_id;
  challenge.server_nonce = RandomNonce();
  if (Status s = co_await SendMessage(socket_, MessageType::kChallenge, challenge); !s.ok()) co_return s;
  AuthResponse response;
  if (Status s = co_await ReceiveMessage(socket_, MessageType::kAuthResponse, &response,
                                         settings.handshake_timeout);
      !s.ok()) {
    co_return s;
  }
  const std::string expected = SlaveProof(settings.cluster_secret, challenge.server_nonce, hello.client_nonce,
                                          hello.node_name, settings.cluster_id);
  AuthResult result;
  if (!ProofsEqual(expected, response.proof)) {
    result.accepted = false;
    result.reason = "authentication failed: the slave's cluster_secret does not match the master's";
    co_await SendMessage(socket_, MessageType::kAuthResult, result);
    co_return Status::Refused(result.reason);
  }
  result.accepted = true;
  result.master_proof = MasterProof(settings.cluster_secret, challenge.server_nonce, hello.client_nonce,
                                    hello.node_name, settings.cluster_id);
  if (Status s = co_await SendMessage(socket_, MessageType::kAuthResult, result); !s.ok()) co_return s;

  Subscribe subscribe;
  if (Status s = co_await ReceiveMessage(socket_, MessageType::kSubscribe, &subscribe, settings.handshake_timeout);
      !s.ok()) {
    co_return s;
  }
  const uint64_t last_seq = context_.recent.last_seq();
  if (subscribe.after_seq > last_seq) {
    const std::string why = "slave has applied up to #" + std::to_string(subscribe.after_seq) +
                            " but this master's log ends at #" + std::to_string(last_seq) +
                            "; it holds changes this master never wrote: re-seed it";
    co_await SendError(socket_, ErrorCode::kPositionAhead, why);
    co_return Status::Refused(why);
  }
  // A slave that needs records the log no longer holds must be re-seeded;
  // skipping it forward would leave it different from the master for good.
  if (subscribe.after_seq < last_seq) {
    uint64_t purged_through = 0;
    if (!table_reader_) table_reader_ = std::make_unique<LogTableReader>(settings.mysql);
    LogTableReader* reader = table_reader_.get();
    Status s = co_await asio::co_spawn(
        context_.table_workers,
        [reader, &purged_through]() -> asio::awaitable<Status> { co_return reader->PurgedThrough(&purged_through); },
        asio::use_awaitable);
    if (!s.ok()) co_return Status::Unavailable("reading the log table: " + s.ToString());
    if (purged_through > subscribe.after_seq) {
      const std::string why = "slave needs the records after #" + std::to_string(subscribe.after_seq) +
                              " but the log now starts at #" + std::to_string(purged_through + 1) +
                              " (older records were purged); re-seed this slave from a copy of another node";
      co_await SendError(socket_, ErrorCode::kPositionPurged, why);
      co_return Status::Refused(why);
    }
  }
  *after_seq = subscribe.after_seq;
  socket_.set_max_payload(kMaxQueryReplyPayload);
  std::weak_ptr<SlaveLink> weak = weak_from_this();
  SlaveHooks hooks;
  hooks.stop = [weak] {
    if (auto self = weak.lock()) {
      self->end_reason_ = "replaced by a newer connection of the same slave";
      self->Stop();
    }
  };
  hooks.query = [weak](QueryRequest request, QueryCallback done) {
    if (auto self = weak.lock()) {
      self->Query(std::move(request), std::move(done));
    } else {
      done(Status::Unavailable("the slave's link closed"), QueryResult());
    }
  };
  link_id_ = context_.registry.Connected(name_, socket_.peer(), subscribe.after_seq, std::move(hooks));
  co_return Status::Ok();
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

asio::awaitable<Status> SlaveLink::Stream(uint64_t after_seq) {
  std::weak_ptr<SlaveLink> weak = weak_from_this();
  auto executor = socket_.socket().get_executor();
  listener_id_ = context_.recent.AddListener([weak, executor] {
    asio::post(executor, [weak] {
      if (auto self = weak.lock()) {
        self->wakeup_pending_ = true;
        self->wakeup_.cancel();
      }
    });
  });
  const auto heartbeat_interval = std::chrono::milliseconds(context_.settings.heartbeat.interval_ms);
  bool live = false;
  std::vector<EncodedRecordPtr> batch;
  while (socket_.socket().is_open()) {
    // Queries for the slave, and answers to its forwarded writes, go out
    // ahead of the next batch of records.
    while (!outgoing_.empty()) {
      const QueryRequest request = std::move(outgoing_.front());
      outgoing_.pop_front();
      if (Status s = co_await SendMessage(socket_, MessageType::kQuery, request); !s.ok()) co_return s;
    }
    while (!forward_replies_.empty()) {
      const ForwardReply reply = std::move(forward_replies_.front());
      forward_replies_.pop_front();
      if (Status s = co_await SendMessage(socket_, MessageType::kForwardResult, reply); !s.ok()) co_return s;
    }
    batch.clear();
    wakeup_pending_ = false;
    const bool in_memory = context_.recent.ReadAfter(after_seq, kBatchRecords, &batch);
    if (!in_memory) {
      if (Status s = co_await ReadFromTable(after_seq, &batch); !s.ok()) {
        if (s.code() == Status::Code::kNotFound) {
          const std::string why = s.message() + " while the slave needed them; re-seed this slave";
          co_await SendError(socket_, ErrorCode::kPositionPurged, why);
          co_return Status::Refused(why);
        }
        co_return Status::Unavailable("reading the log table for catch-up failed: " + s.ToString());
      }
    }
    if (in_memory != live) {
      live = in_memory;
      context_.registry.SetLive(name_, link_id_, live);
    }
    if (batch.empty()) {
      // Caught up: wait for a new record, or send a heartbeat when idle.
      if (!wakeup_pending_) {
        wakeup_.expires_after(heartbeat_interval);
        boost::system::error_code ec;
        co_await wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) {  // timer ran out: the link was idle
          Heartbeat heartbeat;
          // What this link has sent: in-order delivery means the slave
          // holds everything up to here, so a larger value than it
          // received proves records were lost in between.
          heartbeat.last_seq = after_seq;
          heartbeat.sent_at_micros = NowMicros();
          if (Status s = co_await SendMessage(socket_, MessageType::kHeartbeat, heartbeat); !s.ok()) co_return s;
        }
      }
      continue;
    }
    std::vector<std::span<const uint8_t>> payloads;
    payloads.reserve(batch.size());
    for (const EncodedRecordPtr& record : batch) payloads.push_back(record->payload);
    if (Status s = co_await socket_.WriteFrames(MessageType::kRecord, payloads); !s.ok()) co_return s;
    after_seq = batch.back()->seq;
    context_.registry.RecordsSent(name_, link_id_, batch.size());
  }
  co_return Status::Unavailable("link closed");
}

void SlaveLink::Forward(ForwardRequest request) {
  std::weak_ptr<SlaveLink> weak = weak_from_this();
  auto executor = socket_.socket().get_executor();
  auto send = [weak, executor](ForwardReply reply) {
    asio::post(executor, [weak, reply = std::move(reply)]() mutable {
      if (auto self = weak.lock()) {
        self->forward_replies_.push_back(std::move(reply));
        self->wakeup_pending_ = true;
        self->wakeup_.cancel();
      }
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

asio::awaitable<void> SlaveLink::ReadAcks() {
  auto self = shared_from_this();
  const auto timeout = std::chrono::milliseconds(context_.settings.heartbeat.timeout_ms);
  while (socket_.socket().is_open()) {
    Frame frame;
    Status s = co_await socket_.ReadFrame(&frame, timeout);
    if (!s.ok()) {
      if (end_reason_.empty()) {
        end_reason_ = s.code() == Status::Code::kTimedOut
                          ? "no heartbeat for " + std::to_string(timeout.count()) + " ms"
                          : s.ToString();
      }
      break;
    }
    const int64_t now = NowMicros();
    if (frame.type == MessageType::kAck) {
      Ack ack;
      if (Status d = Decode(frame.payload, &ack); !d.ok()) {
        end_reason_ = "bad ack frame: " + d.ToString();
        break;
      }
      context_.registry.Acked(name_, link_id_, ack, now);
    } else if (frame.type == MessageType::kQueryResult) {
      QueryReply reply;
      if (Status d = Decode(frame.payload, &reply); !d.ok()) {
        end_reason_ = "bad query result frame: " + d.ToString();
        break;
      }
      auto it = pending_queries_.find(reply.request_id);
      if (it == pending_queries_.end()) continue;  // nobody waits for it any more
      QueryCallback done = std::move(it->second);
      pending_queries_.erase(it);
      const Status status = ReplyStatus(reply);
      QueryResult result = status.ok() ? ReplyResult(std::move(reply)) : QueryResult();
      done(status, std::move(result));
    } else if (frame.type == MessageType::kForward) {
      ForwardRequest request;
      if (Status d = Decode(frame.payload, &request); !d.ok()) {
        end_reason_ = "bad forward frame: " + d.ToString();
        break;
      }
      context_.registry.Seen(name_, link_id_, now);
      Forward(std::move(request));
    } else if (frame.type == MessageType::kForwardEnd) {
      ForwardEnd end;
      if (Status d = Decode(frame.payload, &end); !d.ok()) {
        end_reason_ = "bad forward_end frame: " + d.ToString();
        break;
      }
      context_.registry.Seen(name_, link_id_, now);
      if (context_.forwarded != nullptr) context_.forwarded->EndSession(name_, link_id_, end.session_id);
    } else if (frame.type == MessageType::kHeartbeat) {
      context_.registry.Seen(name_, link_id_, now);
    } else if (frame.type == MessageType::kError) {
      ErrorMessage error;
      end_reason_ = Decode(frame.payload, &error).ok() ? "slave reported: " + error.message : "bad error frame";
      break;
    } else {
      end_reason_ = std::string("unexpected ") + MessageTypeName(frame.type) + " frame from slave";
      break;
    }
  }
  socket_.Close();
  wakeup_.cancel();
}

}  // namespace ddb
