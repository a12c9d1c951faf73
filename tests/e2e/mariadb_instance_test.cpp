// Self-test of the end-to-end support code: if these fail, every other e2e
// failure is suspect, so they check the helpers on their own first.

#include "mariadb_instance.h"

#include <signal.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "child_process.h"
#include "cluster.h"
#include "ddb/base/asio.h"
#include "wait.h"

namespace ddb::testing {
namespace {

using namespace std::chrono_literals;

TEST(ChildProcessTest, ReportsExitCodeAndCapturesStdoutAndStderr) {
  TempDir dir;
  ChildProcess child({"/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"},
                     dir.path() / "child.log");
  int exit_code = -1;
  ASSERT_TRUE(child.WaitForExit(10s, &exit_code));
  EXPECT_EQ(exit_code, 3);
  EXPECT_FALSE(child.Running());
  const std::string log = child.ReadLog();
  EXPECT_NE(log.find("to-stdout"), std::string::npos) << log;
  EXPECT_NE(log.find("to-stderr"), std::string::npos) << log;
}

TEST(ChildProcessTest, StdinPipeReachesTheChildAndCloseGivesEof) {
  TempDir dir;
  ChildProcess child({"cat"}, dir.path() / "cat.log", ChildProcess::StdinMode::kPipe);
  ASSERT_TRUE(child.WriteStdin("hello through the pipe\n"));
  child.CloseStdin();
  int exit_code = -1;
  ASSERT_TRUE(child.WaitForExit(10s, &exit_code));
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(child.ReadLog(), "hello through the pipe\n");
  // The reader is gone: writing must fail with EPIPE, not kill the test.
  EXPECT_FALSE(child.WriteStdin("nobody reads this"));
}

TEST(ChildProcessTest, SignalEndingTheChildIsReportedAsShellStyleCode) {
  TempDir dir;
  ChildProcess child({"sleep", "1000"}, dir.path() / "sleep.log");
  ASSERT_TRUE(child.Kill9());
  int exit_code = -1;
  ASSERT_TRUE(child.WaitForExit(10s, &exit_code));
  EXPECT_EQ(exit_code, 128 + SIGKILL);
  EXPECT_FALSE(child.Kill9()) << "a reaped child must not be signalled";
}

TEST(ChildProcessTest, DestructorStopsTheChild) {
  TempDir dir;
  pid_t pid = -1;
  {
    ChildProcess child({"sleep", "1000"}, dir.path() / "sleep.log");
    pid = child.pid();
    ASSERT_TRUE(child.Running());
  }
  // Reaped by the destructor, so the pid no longer exists (barring reuse,
  // which within microseconds is practically impossible).
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST(ChildProcessTest, MissingProgramFailsAtConstruction) {
  TempDir dir;
  EXPECT_THROW(ChildProcess({"/nonexistent/ddb-no-such-program"}, dir.path() / "x.log"), std::runtime_error);
}

TEST(WaitTest, FreeLoopbackPortNeverRepeats) {
  const uint16_t a = FreeLoopbackPort();
  const uint16_t b = FreeLoopbackPort();
  EXPECT_NE(a, 0);
  EXPECT_NE(a, b);
}

// A connection's local end never takes a port handed to a server: the
// ports come from outside the kernel's ephemeral range.
TEST(WaitTest, FreeLoopbackPortsLieOutsideTheEphemeralRange) {
  std::ifstream file("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  int high = 0;
  ASSERT_TRUE(file >> low >> high);
  if (low <= 10000 && high >= 65535)
    GTEST_SKIP() << "the ephemeral range " << low << "-" << high << " leaves none";
  for (int i = 0; i < 50; ++i) {
    const uint16_t port = FreeLoopbackPort();
    EXPECT_TRUE(port < low || port > high) << port << " is in " << low << "-" << high;
  }
}

TEST(WaitTest, WaitForGivesUpAtTheDeadline) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(WaitFor([] { return false; }, 200ms, 20ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
  int calls = 0;
  EXPECT_TRUE(WaitFor([&] { return ++calls == 3; }, 5s, 1ms));
}

class MariaDbInstanceTest : public ::testing::Test {
 protected:
  TempDir dir_{"ddb-mariadb-test"};
};

TEST_F(MariaDbInstanceTest, TwoInstancesAreIndependentServers) {
  auto a = MariaDbInstance::Start(dir_.path() / "a");
  auto b = MariaDbInstance::Start(dir_.path() / "b");
  EXPECT_NE(a->port(), b->port());
  EXPECT_NE(a->pid(), b->pid());

  a->Execute("CREATE DATABASE shop");
  a->Execute("CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20), note TEXT)");
  a->Execute("INSERT INTO shop.items VALUES (1, 'apple', NULL), (2, 'pear', 'ripe')");

  // b never saw the table: the instances share nothing.
  EXPECT_EQ(b->QueryValue("SELECT COUNT(*) FROM information_schema.schemata "
                          "WHERE schema_name = 'shop'"),
            "0");

  const auto rows = a->Query("SELECT id, name, note FROM shop.items ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "apple", "NULL"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "pear", "ripe"}));
  EXPECT_EQ(a->QueryValue("SELECT id FROM shop.items WHERE id = 99"), "");

  // Same contents on both servers give the same checksum; a difference shows.
  b->Execute("CREATE DATABASE shop");
  b->Execute("CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20), note TEXT)");
  b->Execute("INSERT INTO shop.items VALUES (1, 'apple', NULL), (2, 'pear', 'ripe')");
  EXPECT_EQ(a->TableChecksum("shop", "items"), b->TableChecksum("shop", "items"));
  b->Execute("UPDATE shop.items SET note = 'bruised' WHERE id = 2");
  EXPECT_NE(a->TableChecksum("shop", "items"), b->TableChecksum("shop", "items"));

  EXPECT_THROW(a->TableChecksum("shop", "missing"), std::runtime_error);
  EXPECT_THROW(a->Execute("SELECT * FROM shop.missing"), sql::SQLException);
}

TEST_F(MariaDbInstanceTest, CommittedRowsSurviveKill9AndRestart) {
  auto server = MariaDbInstance::Start(dir_.path() / "crash");
  server->Execute("CREATE DATABASE d");
  server->Execute("CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB");
  server->Execute("INSERT INTO d.t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  const std::string checksum = server->TableChecksum("d", "t");
  const uint16_t port = server->port();
  const pid_t old_pid = server->pid();

  server->Kill9();
  EXPECT_EQ(server->pid(), -1);
  EXPECT_THROW(server->Connect(), sql::SQLException);

  server->Restart();
  EXPECT_EQ(server->port(), port);
  EXPECT_NE(server->pid(), old_pid);
  EXPECT_EQ(server->QueryValue("SELECT COUNT(*) FROM d.t"), "3");
  EXPECT_EQ(server->TableChecksum("d", "t"), checksum);

  // A clean stop and start keeps the data too.
  server->Execute("INSERT INTO d.t VALUES (4, 'four')");
  server->Stop();
  server->Restart();
  EXPECT_EQ(server->QueryValue("SELECT v FROM d.t WHERE id = 4"), "four");
}

TEST_F(MariaDbInstanceTest, ExtraArgsReachTheServer) {
  auto server = MariaDbInstance::Start(dir_.path() / "binlog", {"--log-bin=mariadb-bin", "--server-id=7"});
  EXPECT_EQ(server->QueryValue("SELECT @@server_id"), "7");
  EXPECT_EQ(server->QueryValue("SELECT @@log_bin"), "1");
  auto connection = server->Connect("mysql");
  EXPECT_EQ(connection->getSchema(), "mysql");
}

TEST(ClusterTest, AMasterPortTakenBeforeTheFirstStartIsPickedAgain) {
  Cluster cluster;
  const uint16_t planned = cluster.replication_port();
  // Someone else takes the port the Cluster picked.
  asio::io_context io;
  tcp::acceptor squatter(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), planned));
  cluster.StartMaster();
  EXPECT_TRUE(cluster.MasterRunning());
  EXPECT_NE(cluster.replication_port(), planned);
  // The slaves were told the new port.
  cluster.StartSlave(0);
  cluster.SqlAndWait("CREATE DATABASE moved;");
  EXPECT_TRUE(cluster.WaitForSlavesCaughtUp(30s, {0}));
}

}  // namespace
}  // namespace ddb::testing
