// The link between the master and a slave is cut without closing a socket
// (a pulled cable, a dead NAT entry): both ends must notice the silence by
// themselves through heartbeats, the master keeps serving the other slave,
// and when the path heals the cut-off slave reconnects on its own and
// catches up exactly.
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <thread>

#include "cluster.h"
#include "raw_connection.h"
#include "tcp_relay.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

std::string Inserts(int first, int count) {
  std::string sql;
  for (int i = first; i < first + count; ++i) {
    sql += "INSERT INTO c.t (id, v) VALUES (" + std::to_string(i) + ", 'row " + std::to_string(i) + "');\n";
  }
  return sql;
}

size_t CountMatches(const std::string& text, const std::regex& pattern) {
  return static_cast<size_t>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), pattern), std::sregex_iterator()));
}

// Master log lines of slave1's links being declared dead for silence.
const std::regex kSlave1Silent(R"(slave 'slave1' \([^)]*\) disconnected: no heartbeat for \d+ ms)");
// Master log lines of slave1 authenticating.
const std::regex kSlave1Connected(R"(slave 'slave1' connected from )");

// The relay itself, against a plain socket, so the tests below can trust
// what it does: forwards, drops in both directions without closing, hides a
// close until the blackhole lifts, and closes everything on Close().
TEST(TcpRelayTest, ForwardsBlackholesHidesClosesAndCloses) {
  asio::io_context io;
  tcp::acceptor target(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  target.non_blocking(true);
  TcpRelay relay(target.local_endpoint().port());
  // The target's end of a relayed connection, read without blocking.
  const auto accept = [&](tcp::socket* server) {
    boost::system::error_code ec;
    return WaitFor(
        [&] {
          target.accept(*server, ec);
          return !ec;
        },
        seconds(5), milliseconds(10));
  };
  const auto read = [](tcp::socket& server, size_t n, std::string* out, bool* eof) {
    return WaitFor(
        [&] {
          char buffer[64];
          boost::system::error_code ec;
          const size_t got = server.read_some(asio::buffer(buffer), ec);
          out->append(buffer, got);
          if (ec == asio::error::eof) *eof = true;
          return out->size() >= n || *eof;
        },
        seconds(5), milliseconds(10));
  };
  const auto bytes = [](std::string_view text) { return std::vector<uint8_t>(text.begin(), text.end()); };

  RawConnection client(relay.port());
  tcp::socket server(io);
  ASSERT_TRUE(accept(&server));
  server.non_blocking(true);
  std::string got;
  bool eof = false;
  ASSERT_TRUE(client.Send(bytes("ping")));
  ASSERT_TRUE(read(server, 4, &got, &eof));
  EXPECT_EQ(got, "ping");
  asio::write(server, asio::buffer(std::string("pong")));
  std::vector<uint8_t> answer;
  ASSERT_TRUE(client.ReadExactly(4, &answer, seconds(5)));
  EXPECT_EQ(answer, bytes("pong"));

  relay.Blackhole(true);
  ASSERT_TRUE(client.Send(bytes("lost")));
  asio::write(server, asio::buffer(std::string("gone")));
  ASSERT_TRUE(WaitFor([&] { return relay.bytes_dropped() == 8; }, seconds(5))) << relay.bytes_dropped();
  EXPECT_EQ(client.WaitForClose(milliseconds(200)), RawConnection::End::kTimeout)
      << "nothing arrives, nothing closes";
  client.Close();
  // The pause is the point: the close must stay hidden while the link is cut.
  std::this_thread::sleep_for(milliseconds(300));
  got.clear();
  char probe[8];
  boost::system::error_code ec;
  EXPECT_EQ(server.read_some(asio::buffer(probe), ec), 0u);
  EXPECT_EQ(ec, asio::error::would_block) << ec.message();

  relay.Blackhole(false);  // the healed link delivers the close
  ASSERT_TRUE(read(server, 1, &got, &eof));
  EXPECT_TRUE(eof);
  EXPECT_EQ(got, "");

  RawConnection second(relay.port());
  tcp::socket second_server(io);
  ASSERT_TRUE(accept(&second_server));
  second_server.non_blocking(true);
  relay.Close();
  EXPECT_EQ(second.WaitForClose(seconds(5)), RawConnection::End::kClosed);
  got.clear();
  eof = false;
  ASSERT_TRUE(read(second_server, 1, &got, &eof));
  EXPECT_TRUE(eof);
  EXPECT_THROW(RawConnection(relay.port(), seconds(2)), std::runtime_error) << "Close() stops listening";
  EXPECT_EQ(relay.connections_accepted(), 2);
}

class LinkCutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>();
    cluster_->StartMaster();
    relay_ = std::make_unique<TcpRelay>(cluster_->replication_port());
    // slave1 is started by the test, not by the Cluster, so that it dials the
    // relay; it keeps the name, database and log file the Cluster expects,
    // so SlaveSeq(0), SlaveLog(0) and the table checks see it as slave1.
    const auto config = cluster_->WriteSlaveConfig("slave1-via-relay.ini", "slave1",
                                                   cluster_->slave_db(0).port(), cluster_->options().secret);
    slave1_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{DDB_SLAVE_BINARY, "--config", config.string(), "--console", "off",
                                 "--master_port", std::to_string(relay_->port())},
        cluster_->dir() / "slave1-stdout.log");
    cluster_->StartSlave(1);
  }

  void TearDown() override {
    // Slave before relay before cluster, whatever the member order.
    slave1_.reset();
    relay_.reset();
    cluster_.reset();
  }

  size_t MasterLogCount(const std::regex& pattern) const {
    return CountMatches(cluster_->MasterLog(), pattern);
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<TcpRelay> relay_;
  std::unique_ptr<ChildProcess> slave1_;
};

TEST_F(LinkCutTest, BlackholedSlaveIsMarkedOfflineReconnectsByItselfAndCatchesUp) {
  const int timeout_ms = cluster_->options().heartbeat_timeout_ms;
  cluster_->SqlAndWait("CREATE DATABASE c;\nCREATE TABLE c.t (id INT PRIMARY KEY, v VARCHAR(100));\n" +
                       Inserts(1, 100));
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60))) << cluster_->SlaveLog(0) << cluster_->MasterLog();
  cluster_->ExpectTableEqualEverywhere("c", "t");
  // slave1 really goes through the relay.
  ASSERT_GE(relay_->connections_accepted(), 1);
  EXPECT_NE(cluster_->SlaveLog(0).find("connected to master 127.0.0.1:" + std::to_string(relay_->port())),
            std::string::npos)
      << cluster_->SlaveLog(0);
  ASSERT_EQ(MasterLogCount(kSlave1Connected), 1u) << cluster_->MasterLog();
  ASSERT_EQ(MasterLogCount(kSlave1Silent), 0u) << cluster_->MasterLog();
  const uint64_t seq_before_cut = cluster_->MasterLastSeq();
  const int dials_before_cut = relay_->connections_accepted();

  relay_->Blackhole(true);
  const auto cut_at = steady_clock::now();

  // The master hears nothing from slave1 (no acks, no heartbeats) and
  // declares it offline within the heartbeat timeout. Its socket is still
  // open: only the timeout can tell.
  ASSERT_TRUE(WaitFor([&] { return MasterLogCount(kSlave1Silent) >= 1; }, milliseconds(timeout_ms + 10000)))
      << cluster_->MasterLog();
  const auto detected_after = steady_clock::now() - cut_at;
  EXPECT_LT(detected_after, milliseconds(timeout_ms + 2000))
      << "took " << std::chrono::duration_cast<milliseconds>(detected_after).count() << " ms";
  // The slave hears no records and no heartbeats, gives up on the link and
  // dials again (into the still-dead path).
  EXPECT_TRUE(WaitFor([&] { return cluster_->SlaveLog(0).find("master silent for") != std::string::npos; },
                      milliseconds(timeout_ms + 2000)))
      << cluster_->SlaveLog(0);
  EXPECT_TRUE(WaitFor([&] { return relay_->connections_accepted() > dials_before_cut; }, seconds(10)))
      << "slave1 did not redial after the master fell silent";

  // Meanwhile the master goes on; slave2 gets everything.
  cluster_->SqlAndWait(Inserts(1001, 200));
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60), {1})) << cluster_->SlaveLog(1);
  EXPECT_EQ(cluster_->MasterLastSeq(), seq_before_cut + 200);
  EXPECT_EQ(cluster_->SlaveSeq(0), seq_before_cut) << "nothing can cross a blackholed link";
  EXPECT_GT(relay_->bytes_dropped(), 0u);
  EXPECT_EQ(MasterLogCount(kSlave1Silent), 1u) << "one dead link, one line:\n" << cluster_->MasterLog();

  relay_->Blackhole(false);

  // slave1 reconnects by itself (its back-off is at most reconnect_max_ms,
  // plus up to one heartbeat timeout for a handshake stuck in the cut) and
  // streams the 200 rows it missed.
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60)))
      << "master #" << cluster_->MasterLastSeq() << " slave1 #" << cluster_->SlaveSeq(0) << "\n"
      << cluster_->SlaveLog(0) << "\n"
      << cluster_->MasterLog();
  EXPECT_GE(MasterLogCount(kSlave1Connected), 2u) << cluster_->MasterLog();
  cluster_->ExpectTableEqualEverywhere("c", "t");
  const uint64_t master_seq = cluster_->MasterLastSeq();
  for (int i = 0; i < cluster_->slave_count(); ++i) {
    EXPECT_EQ(cluster_->SlaveSeq(i), master_seq) << "slave" << (i + 1);
  }
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM c.t"), "300");

  // And the healed link carries new writes again.
  cluster_->SqlAndWait(Inserts(2001, 20));
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  cluster_->ExpectTableEqualEverywhere("c", "t");
  EXPECT_TRUE(slave1_->Running());
  EXPECT_TRUE(cluster_->MasterRunning());
}

// Blackholes shorter than the heartbeat timeout, in the middle of a stream:
// neither end notices the silence, and when the path comes back the bytes
// sent meanwhile are simply missing (frames cut in half, whole records
// gone). The frame checks (magic, CRC) and the record order check must catch
// every such gap so the slave reconnects instead of applying a wrong stream.
TEST_F(LinkCutTest, ShortBlackholesMidStreamLoseBytesButNeverCorruptTheSlave) {
  cluster_->SqlAndWait("CREATE DATABASE c;\nCREATE TABLE c.t (id INT PRIMARY KEY, v VARCHAR(100));");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60))) << cluster_->SlaveLog(0);
  std::string writes;
  for (int i = 1; i <= 3000; ++i) {
    writes += "INSERT INTO c.t (id, v) VALUES (" + std::to_string(i) + ", REPEAT('x', " +
              std::to_string(i % 97) + "));\n";
    if (i % 7 == 0) writes += "UPDATE c.t SET v = CONCAT(v, 'u') WHERE id = " + std::to_string(i - 3) + ";\n";
  }
  cluster_->SqlInBackground(writes);
  std::mt19937 random(20261125);  // fixed seed: a failure replays the same way
  std::uniform_int_distribution<int> gap_ms(50, 600);
  std::uniform_int_distribution<int> between_ms(100, 400);
  for (int round = 0; round < 6; ++round) {
    // The durations are the point: short cuts at random moments of the stream.
    std::this_thread::sleep_for(milliseconds(between_ms(random)));
    relay_->Blackhole(true);
    std::this_thread::sleep_for(milliseconds(gap_ms(random)));
    relay_->Blackhole(false);
  }
  cluster_->SqlAndWait("", seconds(120));
  EXPECT_GT(relay_->bytes_dropped(), 0u) << "no cut hit the stream; the test proved nothing";
  // One more write after the cuts.
  cluster_->SqlAndWait("INSERT INTO c.t (id, v) VALUES (3001, 'after the cuts');");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(120)))
      << "master #" << cluster_->MasterLastSeq() << " slave1 #" << cluster_->SlaveSeq(0) << "\n"
      << cluster_->SlaveLog(0) << "\n"
      << cluster_->MasterLog();
  cluster_->ExpectTableEqualEverywhere("c", "t");
  const uint64_t master_seq = cluster_->MasterLastSeq();
  for (int i = 0; i < cluster_->slave_count(); ++i) {
    EXPECT_EQ(cluster_->SlaveSeq(i), master_seq) << "slave" << (i + 1);
  }
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM c.t"), "3001");
  EXPECT_TRUE(slave1_->Running()) << cluster_->SlaveLog(0);
  EXPECT_TRUE(cluster_->MasterRunning());
}

// Records lost inside a live connection with only heartbeats after them (a
// faulty middlebox, modelled by a blackhole shorter than the heartbeat
// timeout): the master's heartbeat says what it sent, the slave sees it did
// not get it all, and reconnects.
TEST_F(LinkCutTest, RecordsLostAtTheTailOfTheStreamAreNoticed) {
  cluster_->SqlAndWait("CREATE DATABASE c;\nCREATE TABLE c.t (id INT PRIMARY KEY, v VARCHAR(100));");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(60))) << cluster_->SlaveLog(0);
  const auto cut_at = steady_clock::now();
  relay_->Blackhole(true);
  cluster_->SqlAndWait(Inserts(1, 20));
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(10), {1}));
  relay_->Blackhole(false);
  // Shorter than the heartbeat timeout: neither end noticed the cut, the 20
  // records just vanished.
  ASSERT_LT(steady_clock::now() - cut_at, milliseconds(cluster_->options().heartbeat_timeout_ms - 300))
      << "the machine was too slow to cut only the tail of the stream";
  ASSERT_GT(relay_->bytes_dropped(), 0u);
  EXPECT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(15)))
      << "master #" << cluster_->MasterLastSeq() << " slave1 #" << cluster_->SlaveSeq(0) << "\n"
      << cluster_->SlaveLog(0) << "\n"
      << cluster_->MasterLog();
  cluster_->ExpectTableEqualEverywhere("c", "t");
}

}  // namespace
}  // namespace ddb::testing
