// TcpRelay: a test-owned TCP hop between two processes, so a test can cut a
// link the way a broken network does, without either end closing a socket.
//
//   slave ──► 127.0.0.1:port() ══ TcpRelay ══► 127.0.0.1:target_port (master)
//
// Every accepted connection gets its own connection to the target, and bytes
// are copied both ways. Blackhole(true) drops every byte in both directions,
// on existing and new connections, and closes nothing: both ends see only
// silence, as behind a pulled cable. While the blackhole is on, an end that
// closes its socket is not told to the other end either (a cut link carries no
// FIN); that connection is closed on both sides when the blackhole lifts, like
// a healed network delivering the reset. Bytes dropped are gone for good.
//
// Threads: the relay runs on its own Asio thread, started by the constructor
// and joined by the destructor; Blackhole, Close and the counters may be
// called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ddb/base/asio.h"

namespace ddb::testing {

class TcpRelay {
 public:
  // Listens on 127.0.0.1 on a port the kernel picks (no race with other
  // servers) and relays to 127.0.0.1:target_port. Throws on failure to listen.
  explicit TcpRelay(uint16_t target_port);
  // Close(), then stops and joins the relay's thread.
  ~TcpRelay();
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  uint16_t port() const { return port_; }

  // On: drop all bytes both ways and hide closes (see above). Off: forward
  // again; connections whose end closed meanwhile are closed now.
  void Blackhole(bool on);

  // A man in the middle of a TLS link. On: in each relayed connection, the
  // first TLS application-data record from the target (the master) to the
  // client whose body holds at least `min_record_bytes` gets one byte of its
  // body changed on the way; everything else passes as it is. A record is
  // parsed from its 5-byte header (type, version, length), so the change
  // lands inside the encrypted payload, never in a header. Off: relays
  // faithfully again.
  void TamperTls(bool on, size_t min_record_bytes = 1);
  // Records changed so far.
  int records_tampered() const { return tampered_.load(); }

  // Stops listening and closes every relayed connection on both sides (the
  // ends see an orderly close). Waits until done. Idempotent.
  void Close();

  // Connections accepted from clients so far (each one a client dial).
  int connections_accepted() const { return accepted_.load(); }
  // Bytes dropped by the blackhole so far, both directions.
  uint64_t bytes_dropped() const { return dropped_.load(); }
  // Every byte relayed so far, both directions interleaved: what a capture
  // of the wire would show.
  std::string Captured() const;

 private:
  struct Connection;

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> Relay(std::shared_ptr<Connection> connection);
  asio::awaitable<void> Forward(std::shared_ptr<Connection> connection, tcp::socket& from, tcp::socket& to,
                                bool from_target);
  // TamperTls's work on a chunk going from the target to the client.
  void Tamper(Connection& connection, uint8_t* bytes, size_t n);
  void CloseOnIoThread();

  asio::io_context io_;  // declared first: outlives the sockets below
  // Keeps io_.run() going until the destructor, so a Close() posted after
  // every connection ended still runs.
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  uint16_t target_port_;
  uint16_t port_ = 0;
  std::atomic<bool> blackhole_{false};
  std::atomic<int> accepted_{0};
  mutable std::mutex captured_mutex_;
  std::string captured_;  // guarded by captured_mutex_
  std::atomic<uint64_t> dropped_{0};
  std::atomic<bool> tamper_{false};
  std::atomic<size_t> tamper_min_bytes_{1};
  std::atomic<int> tampered_{0};
  bool closed_ = false;                                 // io thread only
  std::vector<std::weak_ptr<Connection>> connections_;  // io thread only
  std::thread thread_;
};

}  // namespace ddb::testing
