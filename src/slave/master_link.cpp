#include "master_link.h"

#include <spdlog/spdlog.h>

#include "ddb/auth.h"
#include "ddb/log_record.h"
#include "ddb/message_io.h"

namespace ddb {
namespace {

constexpr size_t kMaxAckErrorBytes = 4096;

}  // namespace
MasterLink::MasterLink(asio::io_context& io, const SlaveConfig& config, ApplyQueue& queue, SlaveStatusBoard& status,
                       QueryWorker& queries, std::string cluster_id, uint64_t applied_seq,
                       std::function<Status(const std::string&)> remember_cluster,
                       std::shared_ptr<spdlog::logger> logger)
    : io_(io),
      config_(config),
      queue_(queue),
      status_(status),
      queries_(queries),
      cluster_id_(std::move(cluster_id)),
      received_seq_(applied_seq),
      remember_cluster_(std::move(remember_cluster)),
      logger_(std::move(logger)),
      applied_seq_(applied_seq),
      ack_wakeup_(io),
      space_wakeup_(io) {
  queue_.SetSpaceListener([this] { asio::post(io_, [this] { space_wakeup_.cancel(); }); });
}

void MasterLink::Start() { asio::co_spawn(io_, Run(), asio::detached); }

void MasterLink::Stop() {
  asio::post(io_, [this] {
    stopping_ = true;
    if (current_ != nullptr) current_->Close();
    ack_wakeup_.cancel();
    space_wakeup_.cancel();
  });
}

void MasterLink::Applied(uint64_t seq) {
  applied_seq_ = seq;
  asio::post(io_, [this] { ack_wakeup_.cancel(); });
}

void MasterLink::Forward(ForwardRequest request, uint64_t required_link, ForwardCallback done) {
  asio::post(io_, [this, request = std::move(request), required_link, done = std::move(done)]() mutable {
    if (current_ == nullptr || !writer_running_) {
      done(Status::Unavailable("not connected to the master; nothing was sent"), ForwardReply());
      return;
    }
    if (required_link != 0 && required_link != link_number_) {
      done(Status::Unavailable("the link to the master was re-established since the last statement, so the "
                               "master's session for this console ended; nothing was sent"),
           ForwardReply());
      return;
    }
    request.request_id = next_forward_id_++;
    forwards_to_send_.emplace_back(std::move(request), std::move(done));
    ack_wakeup_.cancel();
  });
}

void MasterLink::EndForwardSession(uint64_t session_id, uint64_t link) {
  asio::post(io_, [this, session_id, link] {
    if (current_ == nullptr || !writer_running_ || link != link_number_) return;
    forward_ends_.push_back(session_id);
    ack_wakeup_.cancel();
  });
}

void MasterLink::FailForwards() {
  for (auto& [request, done] : forwards_to_send_) {
    done(Status::Unavailable("the link to the master closed before the statement was sent; nothing ran"),
         ForwardReply());
  }
  forwards_to_send_.clear();
  for (auto& [id, done] : forwards_sent_) {
    done(Status::Unavailable("the link to the master closed before it answered: the statement may or may not "
                             "have run there; check before retrying"),
         ForwardReply());
  }
  forwards_sent_.clear();
}

asio::awaitable<void> MasterLink::Run() {
  const std::string master = config_.master_host + ":" + std::to_string(config_.master_port);
  auto delay = std::chrono::milliseconds(config_.reconnect_min_ms);
  std::string last_failure;
  asio::steady_timer backoff(io_);
  while (!stopping_) {
    status_.SetLink(LinkState::kConnecting, master);
    tcp::resolver resolver(io_);
    boost::system::error_code ec;
    auto endpoints = co_await resolver.async_resolve(config_.master_host, std::to_string(config_.master_port),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    tcp::socket socket(io_);
    if (!ec) co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
    Status result;
    if (ec) {
      result = Status::Unavailable("cannot connect to master " + master + ": " + ec.message());
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      delay = std::chrono::milliseconds(config_.reconnect_min_ms);  // reached it: start back-off afresh
      result = co_await Session(std::move(socket));
    }
    if (stopping_) break;
    // Say each distinct failure once, not once per retry.
    if (result.ToString() != last_failure) {
      logger_->warn("replication link to {}: {}", master, result.ToString());
      last_failure = result.ToString();
    }
    status_.SetLink(result.code() == Status::Code::kRefused ? LinkState::kRefused : LinkState::kConnecting,
                    result.ToString());
    // A refusal (wrong secret, unknown name) needs an operator: retry slowly.
    const auto wait = result.code() == Status::Code::kRefused ? std::chrono::milliseconds(config_.reconnect_max_ms)
                                                              : delay;
    backoff.expires_after(wait);
    co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    delay = std::min(delay * 2, std::chrono::milliseconds(config_.reconnect_max_ms));
  }
}

asio::awaitable<Status> MasterLink::Session(tcp::socket raw_socket) {
  FramedSocket socket(std::move(raw_socket));
  current_ = &socket;
  Status s = co_await Handshake(socket);
  if (s.ok()) {
    logger_->info("connected to master {} (cluster {}), receiving after #{}", socket.peer(), cluster_id_,
                  received_seq_);
    status_.SetLink(LinkState::kConnected, socket.peer());
    ++link_number_;
    asio::co_spawn(io_, WriteAcks(socket), asio::detached);
    s = co_await ReadRecords(socket);
  }
  socket.Close();
  ack_wakeup_.cancel();
  // Let the writer coroutine observe the closed socket before the
  // FramedSocket it refers to goes out of scope.
  while (writer_running_) {
    asio::steady_timer settle(io_);
    settle.expires_after(std::chrono::milliseconds(1));
    boost::system::error_code ec;
    co_await settle.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  current_ = nullptr;
  FailForwards();
  co_return s;
}

asio::awaitable<Status> MasterLink::Handshake(FramedSocket& socket) {
  const auto timeout = std::chrono::milliseconds(config_.heartbeat.timeout_ms);
  Hello hello;
  hello.node_name = config_.node_name;
  hello.cluster_id = cluster_id_;
  hello.client_nonce = RandomNonce();
  if (Status s = co_await SendMessage(socket, MessageType::kHello, hello); !s.ok()) co_return s;
  Challenge challenge;
  if (Status s = co_await ReceiveMessage(socket, MessageType::kChallenge, &challenge, timeout); !s.ok()) {
    co_return s;
  }
  if (!cluster_id_.empty() && challenge.cluster_id != cluster_id_) {
    co_return Status::Refused("master " + socket.peer() + " is cluster " + challenge.cluster_id +
                              ", this slave belongs to cluster " + cluster_id_);
  }
  AuthResponse response;
  response.proof = SlaveProof(config_.cluster_secret, challenge.server_nonce, hello.client_nonce, config_.node_name,
                              challenge.cluster_id);
  if (Status s = co_await SendMessage(socket, MessageType::kAuthResponse, response); !s.ok()) co_return s;
  AuthResult result;
  if (Status s = co_await ReceiveMessage(socket, MessageType::kAuthResult, &result, timeout); !s.ok()) {
    co_return s;
  }
  if (!result.accepted) co_return Status::Refused(result.reason);
  const std::string expected = MasterProof(config_.cluster_secret, challenge.server_nonce, hello.client_nonce,
                                           config_.node_name, challenge.cluster_id);
  if (!ProofsEqual(expected, result.master_proof)) {
    co_return Status::Refused("master " + socket.peer() + " could not prove it knows the cluster secret");
  }
  if (cluster_id_.empty()) {
    if (Status s = remember_cluster_(challenge.cluster_id); !s.ok()) {
      co_return Status::Unavailable("storing the cluster id failed: " + s.ToString());
    }
    cluster_id_ = challenge.cluster_id;
    status_.SetClusterId(cluster_id_);
    logger_->info("joined cluster {} (master '{}')", cluster_id_, challenge.master_name);
  }
  Subscribe subscribe;
  subscribe.after_seq = received_seq_;
  co_return co_await SendMessage(socket, MessageType::kSubscribe, subscribe);
}

asio::awaitable<Status> MasterLink::ReadRecords(FramedSocket& socket) {
  const auto timeout = std::chrono::milliseconds(config_.heartbeat.timeout_ms);
  while (!stopping_) {
    Frame frame;
    if (Status s = co_await socket.ReadFrame(&frame, timeout); !s.ok()) {
      if (s.code() == Status::Code::kTimedOut) {
        co_return Status::Unavailable("master silent for " + std::to_string(timeout.count()) + " ms");
      }
      co_return s;
    }
    if (frame.type == MessageType::kHeartbeat) {
      Heartbeat heartbeat;
      if (Status s = Decode(frame.payload, &heartbeat); !s.ok()) co_return s;
      // The master's heartbeat says what it has sent on this link; frames
      // arrive in order, so anything beyond what arrived was lost on the way
      // (a faulty middlebox): reconnect and ask again rather than wait for a
      // later record to show the gap.
      if (heartbeat.last_seq > received_seq_) {
        co_return Status::Corruption("master sent up to #" + std::to_string(heartbeat.last_seq) +
                                     " but only #" + std::to_string(received_seq_) +
                                     " arrived: records were lost on the way");
      }
      status_.SetMasterLastSeq(heartbeat.last_seq);
      continue;
    }
    if (frame.type == MessageType::kError) {
      ErrorMessage error;
      if (Status s = Decode(frame.payload, &error); !s.ok()) co_return s;
      co_return Status::Refused(std::string(ErrorCodeName(error.code)) + ": " + error.message);
    }
    if (frame.type == MessageType::kForwardResult) {
      ForwardReply reply;
      if (Status s = Decode(frame.payload, &reply); !s.ok()) co_return s;
      auto it = forwards_sent_.find(reply.result.request_id);
      if (it != forwards_sent_.end()) {
        ForwardCallback done = std::move(it->second);
        forwards_sent_.erase(it);
        done(Status::Ok(), std::move(reply));
      }
      continue;
    }
    if (frame.type == MessageType::kQuery) {
      QueryRequest request;
      if (Status s = Decode(frame.payload, &request); !s.ok()) co_return s;
      // Answered on the worker thread; the reply comes back here for the
      // writer, the link's only writer.
      queries_.Submit(std::move(request), [this](QueryReply reply) {
        asio::post(io_, [this, reply = std::move(reply)]() mutable {
          replies_.push_back(std::move(reply));
          ack_wakeup_.cancel();
        });
      });
      continue;
    }
    if (frame.type != MessageType::kRecord) {
      co_return Status::Corruption(std::string("unexpected ") + MessageTypeName(frame.type) + " frame from master");
    }
    LogRecord record;
    if (Status s = DecodeRecordPayload(frame.payload, &record); !s.ok()) co_return s;
    if (record.seq <= received_seq_) continue;  // already have it
    if (record.seq != received_seq_ + 1) {
      // Never skip forward silently: a missing record would leave this slave
      // different from the master for good.
      co_return Status::Corruption("master sent record #" + std::to_string(record.seq) + " after #" +
                                   std::to_string(received_seq_) + ": records are missing");
    }
    const uint64_t seq = record.seq;
    const int64_t committed_at = record.committed_at_micros;
    while (!queue_.TryPush(record)) {
      // Full: stop reading until the applier makes room (TCP pushes back on
      // the master). Bounded wait so a lost wake-up costs little.
      space_wakeup_.expires_after(std::chrono::milliseconds(50));
      boost::system::error_code ec;
      co_await space_wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (stopping_ || !socket.socket().is_open()) co_return Status::Unavailable("link closed");
    }
    received_seq_ = seq;
    status_.SetReceived(seq, committed_at);
  }
  co_return Status::Unavailable("slave stopping");
}

asio::awaitable<void> MasterLink::WriteAcks(FramedSocket& socket) {
  writer_running_ = true;
  const auto interval = std::chrono::milliseconds(config_.heartbeat.interval_ms);
  uint64_t acked = 0;
  replies_.clear();  // answers for a previous link's master are moot
  forward_ends_.clear();  // that master ended those sessions with the link
  while (socket.socket().is_open()) {
    while (!replies_.empty()) {
      QueryReply reply = std::move(replies_.front());
      replies_.pop_front();
      if (Status s = co_await SendMessage(socket, MessageType::kQueryResult, reply); !s.ok()) break;
    }
    while (!forwards_to_send_.empty() && socket.socket().is_open()) {
      auto [request, done] = std::move(forwards_to_send_.front());
      forwards_to_send_.pop_front();
      const uint64_t id = request.request_id;
      forwards_sent_.emplace(id, std::move(done));
      if (Status s = co_await SendMessage(socket, MessageType::kForward, request); !s.ok()) break;
    }
    // After the forwards: a session's last statement goes before its end.
    while (!forward_ends_.empty() && socket.socket().is_open()) {
      ForwardEnd end;
      end.session_id = forward_ends_.front();
      forward_ends_.pop_front();
      if (Status s = co_await SendMessage(socket, MessageType::kForwardEnd, end); !s.ok()) break;
    }
    // The Ack carries the applier's state too, and goes out at least every
    // interval: it is the slave's heartbeat.
    const SlaveStatusSnapshot snapshot = status_.Snapshot();
    Ack ack;
    ack.applied_seq = std::max(applied_seq_.load(), snapshot.applied_seq);
    ack.applied_committed_at_micros = snapshot.applied_master_committed_at_micros;
    if (snapshot.applier == ApplierState::kError) {
      ack.applier = ApplierReport::kStopped;
      ack.error_seq = snapshot.apply_error.seq;
      ack.error = snapshot.apply_error.error + " in: " + snapshot.apply_error.statement;
      // The master reads slave frames of a few KiB at most; a huge statement
      // is cut, its seq still says which record it was.
      if (ack.error.size() > kMaxAckErrorBytes) ack.error.resize(kMaxAckErrorBytes);
    } else if (snapshot.applier == ApplierState::kMySqlDown) {
      ack.applier = ApplierReport::kMySqlDown;
      ack.error = snapshot.mysql_error;
    }
    if (Status s = co_await SendMessage(socket, MessageType::kAck, ack); !s.ok()) break;
    acked = ack.applied_seq;
    if (applied_seq_.load() != acked || !replies_.empty() || !forwards_to_send_.empty()) continue;  // more to send
    ack_wakeup_.expires_after(interval);
    boost::system::error_code ec;
    co_await ack_wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  socket.Close();
  writer_running_ = false;
}

}  // namespace ddb
