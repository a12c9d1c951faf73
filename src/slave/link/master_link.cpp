#include "master_link.h"

#include <spdlog/spdlog.h>

#include "ddb/base/auth.h"
#include "ddb/base/log_record.h"
#include "ddb/protocol/dial.h"
#include "ddb/protocol/message_io.h"

namespace ddb {
namespace {

constexpr size_t kMaxAckErrorBytes = 4096;

// The master ended the TLS session with an alert: it did not accept this
// slave's certificate, or wanted one (under TLS 1.3 that verdict arrives
// after the slave's own handshake ended, on the first read).
Status RefusedByMaster(const std::string& alert) {
  return Status::Refused("the master refused this slave's TLS connection (" + alert +
                         "; does the master require a client certificate signed by its tls_ca_file: this "
                         "slave's tls_cert_file and tls_key_file?)");
}
// What the slave queues for the master: answers to queries, forwarded
// statements and their session ends. Consoles wait for each answer and the
// master's queries for theirs, so this is far more than a live link holds.
constexpr size_t kOutboxFrames = 1024;

std::string DescribeWriter(const EpochHistory& history, uint64_t seq) {
  const std::optional<EpochStart> writer = history.Writer(seq);
  return writer ? EpochHistory::Describe(*writer) : "no epoch";
}

LinkChannelOptions ChannelOptions(const HeartbeatOptions& heartbeat) {
  LinkChannelOptions options;
  options.outbox_frames = kOutboxFrames;
  options.heartbeat_interval = std::chrono::milliseconds(heartbeat.interval_ms);
  options.silence_timeout = std::chrono::milliseconds(heartbeat.timeout_ms);
  options.silence = [](std::chrono::milliseconds timeout) {
    return Status::Unavailable("master silent for " + std::to_string(timeout.count()) + " ms");
  };
  options.unexpected = [](MessageType type) {
    return Status::Corruption(std::string("unexpected ") + MessageTypeName(type) + " frame from master");
  };
  return options;
}

}  // namespace

MasterLink::MasterLink(asio::io_context& io, const SlaveConfig& config, ApplyQueue& queue,
                       SlaveStatusBoard& status, QueryWorker& queries, Membership membership,
                       uint64_t applied_seq, std::shared_ptr<spdlog::logger> logger,
                       std::shared_ptr<ssl::context> tls)
    : strand_(asio::make_strand(io)),
      config_(config),
      queue_(queue),
      status_(status),
      queries_(queries),
      membership_(std::move(membership)),
      logger_(std::move(logger)),
      tls_(std::move(tls)),
      applied_seq_(applied_seq),
      received_seq_(applied_seq),
      space_(strand_) {
  queue_.SetSpaceListener([this] { asio::post(strand_, [this] { space_.Notify(); }); });
  status_.SetEpoch(membership_.epochs.Current());
}

void MasterLink::Start() { asio::co_spawn(strand_, Run(), asio::detached); }

void MasterLink::Stop() {
  asio::post(strand_, [this] {
    stopping_ = true;
    if (channel_) channel_->Close(Status::Unavailable("slave stopping"));
    space_.Notify();
  });
}

void MasterLink::Applied(uint64_t seq) {
  applied_seq_ = seq;
  // The Ack is the channel's heartbeat: asking for one now sends the new
  // position as soon as nothing else waits (many moves, one Ack).
  asio::post(strand_, [this] {
    if (linked_) channel_->HeartbeatNow();
  });
}

void MasterLink::Forward(ForwardRequest request, uint64_t required_link, ForwardCallback done) {
  asio::post(strand_, [this, request = std::move(request), required_link, done = std::move(done)]() mutable {
    if (!linked_ || !channel_->open()) {
      done(Status::Unavailable("not connected to the master; nothing was sent"), ForwardReply());
      return;
    }
    if (required_link != 0 && required_link != link_number_) {
      done(Status::Unavailable("the link to the master was re-established since the last statement, so the "
                               "master's session for this console ended; nothing was sent"),
           ForwardReply());
      return;
    }
    const uint64_t id = next_forward_id_++;
    request.request_id = id;
    forwards_sent_.emplace(id, std::move(done));
    // Not sent after all (the link closed first, or its outbox is full):
    // nothing ran, and the console may say so.
    auto not_sent = [this, id, channel = channel_.get()](const Status& why) {
      auto it = forwards_sent_.find(id);
      if (it == forwards_sent_.end()) return;
      ForwardCallback callback = std::move(it->second);
      forwards_sent_.erase(it);
      callback(Status::Unavailable(channel->open() ? why.message() + "; nothing was sent"
                                                   : "the link to the master closed before the statement was "
                                                     "sent; nothing ran"),
               ForwardReply());
    };
    const Status queued = channel_->Enqueue(
        MessageType::kForward, std::make_shared<const std::vector<uint8_t>>(Encode(request)), not_sent);
    if (!queued.ok()) not_sent(queued);
  });
}

void MasterLink::EndForwardSession(uint64_t session_id, uint64_t link) {
  asio::post(strand_, [this, session_id, link] {
    if (!linked_ || link != link_number_) return;
    ForwardEnd end;
    end.session_id = session_id;
    // After the session's forwards, in the one outbox: its last statement
    // goes before its end.
    channel_->Send(MessageType::kForwardEnd, Encode(end));
  });
}

// Those still here were handed to the socket: the master may have run them.
void MasterLink::FailForwards() {
  for (auto& [id, done] : forwards_sent_) {
    done(Status::Unavailable("the link to the master closed before it answered: the statement may or may not "
                             "have run there; check before retrying"),
         ForwardReply());
  }
  forwards_sent_.clear();
}

asio::awaitable<void> MasterLink::Run() {
  // The configured master first, then the other candidates: after a
  // failover the master is whichever of them is in the newest epoch, and
  // the others refuse (not a master, or fenced).
  const std::vector<std::string> masters = MasterAddresses(config_);
  size_t current = 0;
  size_t failed_in_a_row = 0;
  auto delay = std::chrono::milliseconds(config_.reconnect_min_ms);
  std::map<std::string, std::string> last_failure;  // by address
  // A refusal (a former master, a diverged log, a wrong secret) needs an
  // operator: status keeps showing it while the other addresses merely do
  // not answer.
  std::string refusal, refusal_before;
  asio::steady_timer backoff(strand_);
  while (!stopping_) {
    const std::string& master = masters[current];
    status_.SetLink(LinkState::kConnecting, master);
    tcp::socket socket(strand_);  // the channel runs on the socket's executor
    HostPort address;
    boost::system::error_code ec = co_await Dial(socket, master, &address);
    Status result;
    bool linked = false;
    if (ec) {
      result = Status::Unavailable("cannot connect to master " + master + ": " + ec.message());
    } else {
      const uint64_t links_before = link_number_;
      result = co_await Session(std::move(socket), address.host);
      linked = link_number_ != links_before;
    }
    if (stopping_) break;
    // Say each distinct failure of each address once, not once per retry.
    if (std::string& last = last_failure[master]; result.ToString() != last) {
      logger_->warn("replication link to {}: {}", master, result.ToString());
      last = result.ToString();
    }
    if (result.code() == Status::Code::kRefused) refusal = result.ToString();
    const std::string& shown_refusal = refusal.empty() ? refusal_before : refusal;
    if (result.code() != Status::Code::kRefused && !shown_refusal.empty() && !linked) {
      status_.SetLink(LinkState::kRefused, shown_refusal);
    } else {
      status_.SetLink(result.code() == Status::Code::kRefused ? LinkState::kRefused : LinkState::kConnecting,
                      result.ToString());
    }
    if (linked) {
      // It was the master: start back-off afresh, and ask it first again.
      failed_in_a_row = 0;
      delay = std::chrono::milliseconds(config_.reconnect_min_ms);
      refusal.clear();
      refusal_before.clear();
    } else {
      ++failed_in_a_row;
      current = (current + 1) % masters.size();
      if (failed_in_a_row % masters.size() == 0) {
        refusal_before = refusal;  // one round over: what it saw stays shown during the next
        refusal.clear();
      }
    }
    // Wait only once every address failed: a master that moved is found at
    // once. A round with a refusal needs an operator: retry slowly.
    if (failed_in_a_row % masters.size() != 0 && !linked) continue;
    const auto wait = !refusal_before.empty() ? std::chrono::milliseconds(config_.reconnect_max_ms) : delay;
    backoff.expires_after(wait);
    co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    delay = std::min(delay * 2, std::chrono::milliseconds(config_.reconnect_max_ms));
  }
}

asio::awaitable<Status> MasterLink::Session(tcp::socket raw_socket, const std::string& host) {
  auto channel = std::make_shared<LinkChannel>(std::make_shared<FramedSocket>(std::move(raw_socket)),
                                               ChannelOptions(config_.heartbeat));
  channel_ = channel;  // Stop closes it, even during the handshake
  Status s = co_await Secure(channel->socket(), host);
  if (s.ok()) s = co_await Handshake(channel->socket());
  if (!s.ok() && !channel->socket().tls_alert().empty()) s = RefusedByMaster(channel->socket().tls_alert());
  if (s.ok()) {
    logger_->info("connected to master {} (cluster {}), receiving after #{}", channel->socket().peer(),
                  membership_.cluster_id, received_seq_);
    status_.SetLink(LinkState::kConnected, channel->socket().peer());
    ++link_number_;
    InstallHandlers(*channel);
    channel->HeartbeatNow();  // the master learns the applier's state at once
    linked_ = true;
    s = co_await channel->Run();
    linked_ = false;
  } else {
    channel->Close(s);
  }
  channel_.reset();
  FailForwards();
  co_return s;
}

asio::awaitable<Status> MasterLink::Secure(FramedSocket& socket, const std::string& host) {
  if (!tls_) co_return Status::Ok();
  const auto timeout = std::chrono::milliseconds(config_.heartbeat.timeout_ms);
  const std::string expected = config_.tls_server_name.empty() ? host : config_.tls_server_name;
  const Status s = co_await socket.StartTls(*tls_, ssl::stream_base::client, timeout,
                                            [&expected](SSL* ssl) { return ExpectPeerName(ssl, expected); });
  if (s.ok()) co_return s;
  SSL* session = socket.tls_session();
  if (session != nullptr && SSL_get_verify_result(session) != X509_V_OK) {
    // This slave refuses the master: an operator must fix a certificate.
    co_return Status::Refused("the master's certificate was not accepted (" + s.message() +
                              "; checked against tls_ca_file " +
                              (config_.tls.files.ca_file.empty() ? std::string("(the system's CAs)")
                                                                 : "'" + config_.tls.files.ca_file + "'") +
                              " for the name '" + expected + "')");
  }
  if (!socket.tls_alert().empty()) co_return RefusedByMaster(socket.tls_alert());
  if (s.code() == Status::Code::kUnavailable) {
    // A plain master reads the TLS greeting as a bad frame and hangs up.
    co_return Status::Unavailable(s.message() + " (is TLS on at the master: tls_cert_file?)");
  }
  co_return s;
}

asio::awaitable<Status> MasterLink::Handshake(FramedSocket& socket) {
  const auto timeout = std::chrono::milliseconds(config_.heartbeat.timeout_ms);
  Hello hello;
  hello.node_name = config_.node_name;
  hello.cluster_id = membership_.cluster_id;
  hello.client_nonce = RandomNonce();
  if (const std::optional<EpochStart> known = membership_.epochs.Current()) hello.epoch = *known;
  if (Status s = co_await SendMessage(socket, MessageType::kHello, hello); !s.ok()) co_return s;
  Challenge challenge;
  if (Status s = co_await ReceiveMessage(socket, MessageType::kChallenge, &challenge, timeout); !s.ok()) {
    co_return s;
  }
  if (!membership_.cluster_id.empty() && challenge.cluster_id != membership_.cluster_id) {
    co_return Status::Refused("master " + socket.peer() + " is cluster " + challenge.cluster_id +
                              ", this slave belongs to cluster " + membership_.cluster_id);
  }
  AuthResponse response;
  response.proof = SlaveProof(config_.cluster_secret, challenge.server_nonce, hello.client_nonce,
                              config_.node_name, challenge.cluster_id);
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
  if (Status s = CheckEpochs(challenge.master_name + " (" + socket.peer() + ")", result.epochs); !s.ok()) {
    co_return s;
  }
  if (membership_.cluster_id.empty()) {
    if (Status s = membership_.remember_cluster(challenge.cluster_id); !s.ok()) {
      co_return Status::Unavailable("storing the cluster id failed: " + s.ToString());
    }
    membership_.cluster_id = challenge.cluster_id;
    status_.SetClusterId(membership_.cluster_id);
    logger_->info("joined cluster {} (master '{}')", membership_.cluster_id, challenge.master_name);
  }
  Subscribe subscribe;
  subscribe.after_seq = received_seq_;
  co_return co_await SendMessage(socket, MessageType::kSubscribe, subscribe);
}

Status MasterLink::CheckEpochs(const std::string& master, const std::vector<EpochStart>& starts) {
  EpochHistory theirs(starts);
  if (Status s = theirs.Validate(); !s.ok())
    return Status::Corruption("master " + master + ": " + s.message());
  const EpochHistory& ours = membership_.epochs;
  if (theirs.empty()) return Status::Refused("master " + master + " sent no epoch history");
  if (theirs.current_epoch() < ours.current_epoch()) {
    // A former master that does not know yet it was replaced: never follow
    // it back.
    return Status::Refused("master " + master + " is in " + EpochHistory::Describe(*theirs.Current()) +
                           ", older than " + EpochHistory::Describe(*ours.Current()) +
                           " this slave follows: it is a former master");
  }
  if (const std::optional<uint64_t> from = ours.DivergesFrom(theirs, received_seq_)) {
    // Records a former master wrote after the promotion point reached this
    // slave: it differs from the new master and must not go on as if not.
    return Status::Refused("this slave diverged from master " + master + ": it holds records #" +
                           std::to_string(*from) + "..#" + std::to_string(received_seq_) + " of " +
                           DescribeWriter(ours, *from) + ", which the master's " +
                           DescribeWriter(theirs, *from) +
                           " replaced; re-seed it (ddb-slave --seed --force) to follow this master");
  }
  if (ours.starts() != theirs.starts()) {
    if (Status s = membership_.remember_epochs(theirs); !s.ok()) {
      return Status::Unavailable("storing the master's epochs failed: " + s.ToString());
    }
    if (!ours.empty())
      logger_->warn("following master {} in {}", master, EpochHistory::Describe(*theirs.Current()));
    membership_.epochs = std::move(theirs);
    status_.SetEpoch(membership_.epochs.Current());
  }
  return Status::Ok();
}

void MasterLink::InstallHandlers(LinkChannel& channel) {
  channel.HandleAsync(MessageType::kRecord,
                      [this, &channel](const Frame& frame) { return ReceiveRecord(channel, frame); });
  channel.Handle(MessageType::kHeartbeat, [this](const Frame& frame) {
    Heartbeat heartbeat;
    if (Status s = Decode(frame.payload, &heartbeat); !s.ok()) return s;
    // The master's heartbeat says what it has sent on this link; frames
    // arrive in order, so anything beyond what arrived was lost on the way
    // (a faulty middlebox): reconnect and ask again rather than wait for a
    // later record to show the gap.
    if (heartbeat.last_seq > received_seq_) {
      return Status::Corruption("master sent up to #" + std::to_string(heartbeat.last_seq) + " but only #" +
                                std::to_string(received_seq_) + " arrived: records were lost on the way");
    }
    status_.SetMasterLastSeq(heartbeat.last_seq);
    return Status::Ok();
  });
  channel.Handle(MessageType::kError, [](const Frame& frame) {
    ErrorMessage error;
    if (Status s = Decode(frame.payload, &error); !s.ok()) return s;
    return Status::Refused(std::string(ErrorCodeName(error.code)) + ": " + error.message);
  });
  // A switchover: take_over returns only when it did not happen (the master hears why).
  channel.Handle(MessageType::kHandOver, [this, &channel](const Frame& frame) {
    HandOver hand_over;
    if (Status s = Decode(frame.payload, &hand_over); !s.ok()) return s;
    const Status refused = membership_.take_over ? membership_.take_over(hand_over)
                                                 : Status::Refused(config_.node_name + " cannot take over");
    logger_->error("the master handed over at #{}; not taken: {}", hand_over.last_seq, refused.message());
    channel.Send(MessageType::kHandOverRefused, Encode(HandOverRefused{refused.message()}));
    return Status::Ok();
  });
  channel.Handle(MessageType::kForwardResult, [this](const Frame& frame) {
    ForwardReply reply;
    if (Status s = Decode(frame.payload, &reply); !s.ok()) return s;
    auto it = forwards_sent_.find(reply.result.request_id);
    if (it != forwards_sent_.end()) {
      ForwardCallback done = std::move(it->second);
      forwards_sent_.erase(it);
      done(Status::Ok(), std::move(reply));
    }
    return Status::Ok();
  });
  channel.Handle(MessageType::kQuery, [this, &channel](const Frame& frame) {
    QueryRequest request;
    if (Status s = Decode(frame.payload, &request); !s.ok()) return s;
    // Answered on the worker thread, on the link that asked: a later link's
    // master never gets it.
    queries_.Submit(std::move(request),
                    [weak = channel.weak_from_this(), logger = logger_](QueryReply reply) {
                      auto link = weak.lock();
                      if (!link) return;
                      LinkChannel* raw = link.get();  // the channel calls the rejection itself: alive
                      link->Send(MessageType::kQueryResult, Encode(reply), [raw, logger](const Status& why) {
                        if (raw->open())
                          logger->warn("an answer to the master's query was not sent: {}", why.ToString());
                      });
                    });
    return Status::Ok();
  });
  channel.SetHeartbeat([this] { return BuildAck(); });
}

asio::awaitable<Status> MasterLink::ReceiveRecord(LinkChannel& channel, const Frame& frame) {
  LogRecord record;
  if (Status s = DecodeRecordPayload(frame.payload, &record); !s.ok()) co_return s;
  if (record.seq <= received_seq_) co_return Status::Ok();  // already have it
  if (record.seq != received_seq_ + 1) {
    // Never skip forward silently: a missing record would leave this slave
    // different from the master for good.
    co_return Status::Corruption("master sent record #" + std::to_string(record.seq) + " after #" +
                                 std::to_string(received_seq_) + ": records are missing");
  }
  const uint64_t seq = record.seq;
  const int64_t committed_at = record.committed_at_micros;
  while (!queue_.TryPush(record)) {
    // Full: read nothing more until the applier makes room (TCP pushes back
    // on the master). Bounded wait so a lost wake-up costs little.
    co_await space_.Wait(std::chrono::milliseconds(50));
    if (stopping_ || !channel.open()) co_return Status::Unavailable("link closed");
  }
  received_seq_ = seq;
  status_.SetReceived(seq, committed_at);
  co_return Status::Ok();
}

// The Ack carries the applier's state too, and goes out at least every
// heartbeat interval: it is the slave's heartbeat.
Frame MasterLink::BuildAck() {
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
  return Frame{MessageType::kAck, Encode(ack)};
}

}  // namespace ddb
