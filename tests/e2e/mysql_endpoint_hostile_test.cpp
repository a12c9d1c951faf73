// The master's MySQL endpoint against hostile clients: unknown commands,
// malformed prepared-statement executes, oversized packets, idle and
// half-open connections, floods. Each costs only its own session.
#include <gtest/gtest.h>

#include "cluster.h"
#include "mysql_endpoint_fixture.h"
#include "raw_connection.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Reads one packet's payload from a raw connection.
std::vector<uint8_t> ReadPacket(RawConnection& connection) {
  std::vector<uint8_t> header;
  if (!connection.ReadExactly(4, &header, seconds(5))) return {};
  const size_t length = header[0] | (header[1] << 8) | (header[2] << 16);
  std::vector<uint8_t> payload;
  connection.ReadExactly(length, &payload, seconds(5));
  return payload;
}

constexpr const char* kHostilePyMySqlScript = R"PY(
import sys
import time
import pymysql
from pymysql.constants import COMMAND

c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw", autocommit=True)
# A command ddb does not implement gets an ERR, and the session goes on.
c._execute_command(COMMAND.COM_TIME, "")
try:
    c._read_packet()
    raise SystemExit("COM_TIME answered without an error")
except pymysql.err.MySQLError as e:
    assert e.args[0] == 1047, e.args
c.ping(reconnect=False)
# A prepared statement executed with its parameters cut short, or one that
# does not exist: ERR, and the session goes on.
c._execute_command(COMMAND.COM_STMT_PREPARE, "DO ?")
prepare_ok = c._read_packet().get_all_data()
assert prepare_ok[0] == 0 and prepare_ok[5:9] == b"\x00\x00\x01\x00", prepare_ok  # no column, one '?'
c._read_packet()  # the parameter's definition
c._read_packet()  # EOF
statement_id = prepare_ok[1:5]
for execute in (statement_id + b"\x00\x01\x00\x00\x00", b"\x63\x00\x00\x00\x00\x01\x00\x00\x00"):
    c._execute_command(COMMAND.COM_STMT_EXECUTE, execute)
    try:
        c._read_packet()
        raise SystemExit("a malformed COM_STMT_EXECUTE answered without an error")
    except pymysql.err.MySQLError as e:
        assert e.args[0] in (1835, 1243), e.args
c.ping(reconnect=False)
cur = c.cursor()
cur.execute("SELECT 1")
assert cur.fetchone() == (1,)
# A statement bigger than client_max_packet_bytes ends only this session.
try:
    cur.execute("SELECT '" + "x" * (2 * 1024 * 1024) + "'")
    raise SystemExit("an oversized packet was accepted")
except pymysql.err.MySQLError as e:
    # ERR 1153, or a lost connection if the close overtook the client's write.
    assert e.args[0] in (1153, 2006, 2013), e.args
# A logged-in client silent for longer than client_idle_timeout_seconds is
# disconnected.
quiet = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw")
time.sleep(3.5)
try:
    quiet.cursor().execute("SELECT 1")
    raise SystemExit("an idle session outlived client_idle_timeout_seconds")
except pymysql.err.OperationalError as e:
    assert e.args[0] in (2006, 2013), e.args
print("hostile: done")
)PY";

TEST_F(MySqlEndpointTest, HostileClientsCostOnlyTheirOwnSession) {
  cluster_.reset();
  StartCluster({"--client_handshake_timeout_ms", "6000", "--client_max_connections", "200",
                "--client_max_packet_bytes", "1048576", "--client_idle_timeout_seconds", "2"});
  const uint16_t port = cluster_->client_port();

  // Garbage right after connecting: it does not decode as a handshake.
  RawConnection garbage(port);
  ASSERT_FALSE(ReadPacket(garbage).empty()) << "no greeting";
  const std::vector<uint8_t> junk = {10, 0, 0, 1, 'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'};
  ASSERT_TRUE(garbage.Send(junk));
  const std::vector<uint8_t> error = ReadPacket(garbage);
  ASSERT_GE(error.size(), 3u);
  EXPECT_EQ(error[0], 0xFF);
  EXPECT_EQ(error[1] | (error[2] << 8), 1043);  // ER_HANDSHAKE_ERROR
  EXPECT_EQ(garbage.WaitForClose(seconds(5)), RawConnection::End::kClosed);

  // A packet header announcing 16 MiB.
  RawConnection huge(port);
  ASSERT_FALSE(ReadPacket(huge).empty());
  ASSERT_TRUE(huge.Send(std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 1, 'x'}));
  // Closed with the 'x' unread, so the kernel may answer with a reset.
  EXPECT_NE(huge.WaitForClose(seconds(5)), RawConnection::End::kTimeout);

  // A wrong password: ERR 1045, as MySQL words it.
  const ProgramRun denied = Mariadb(port, kClientUser, "wrong", "SELECT 1;");
  EXPECT_EQ(ErrorLine(denied.output),
            "ERROR 1045 (28000): Access denied for user 'app'@'127.0.0.1' (using password: YES)")
      << denied.output;
  EXPECT_NE(ErrorLine(Mariadb(port, "nobody", "", "SELECT 1;").output)
                .find("Access denied for user 'nobody'@'127.0.0.1' (using password: NO)"),
            std::string::npos);

  // 200 clients that connect and say nothing fill client_max_connections.
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 200; ++i) {
    idle.push_back(std::make_unique<RawConnection>(port));
    ASSERT_FALSE(ReadPacket(*idle.back()).empty()) << "no greeting for idle client " << i;
  }
  // One more is told so, as MySQL does.
  RawConnection one_too_many(port);
  const std::vector<uint8_t> refusal = ReadPacket(one_too_many);
  ASSERT_GE(refusal.size(), 3u);
  EXPECT_EQ(refusal[0], 0xFF);
  EXPECT_EQ(refusal[1] | (refusal[2] << 8), 1040);  // ER_CON_COUNT_ERROR
  // The master keeps replicating meanwhile.
  cluster_->SqlAndWait("CREATE DATABASE h; CREATE TABLE h.t (id INT PRIMARY KEY, v TEXT);");
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(seconds(30)));
  // Ten idle clients leave; their places are free again at once.
  for (int i = 0; i < 10; ++i) idle[i]->Close();
  ASSERT_TRUE(WaitFor(
      [&] {
        RawConnection probe(port);
        const std::vector<uint8_t> greeting = ReadPacket(probe);
        return !greeting.empty() && greeting[0] == 10;
      },
      seconds(5)));
  const ProgramRun served = Endpoint("INSERT INTO h.t VALUES (1, 'still serving');");
  ASSERT_EQ(served.exit_code, 0) << served.output;
  const std::string script = WriteFile("hostile.py", kHostilePyMySqlScript);
  const ProgramRun hostile = Run({kPython, script, std::to_string(port)});
  EXPECT_EQ(hostile.exit_code, 0) << hostile.output;
  EXPECT_NE(hostile.output.find("hostile: done"), std::string::npos) << hostile.output;
  ExpectSlavesEqual("h", {"t"});
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT v FROM h.t"), "still serving");
  // The silent ones are cut at the handshake timeout.
  for (size_t i = 10; i < idle.size(); ++i) {
    EXPECT_EQ(idle[i]->WaitForClose(seconds(10)), RawConnection::End::kClosed) << "idle client " << i;
  }

  // Each broken session left one line naming its peer.
  const std::string log = cluster_->MasterLog();
  for (const RawConnection* connection : {&garbage, &huge}) {
    const std::string peer = "client 127.0.0.1:" + std::to_string(connection->local_port()) + " ";
    EXPECT_NE(log.find(peer), std::string::npos) << peer << "\n" << log;
  }
  EXPECT_NE(log.find("bad handshake"), std::string::npos) << log;
  EXPECT_NE(log.find("max_allowed_packet"), std::string::npos) << log;
  EXPECT_NE(log.find("no handshake within client_handshake_timeout_ms"), std::string::npos);
  EXPECT_NE(log.find("idle for longer than client_idle_timeout_seconds"), std::string::npos);
  EXPECT_NE(log.find("client_max_connections (200) reached"), std::string::npos);
  EXPECT_EQ(log.find(kClientPassword), std::string::npos) << "a password reached the log";
}

}  // namespace
}  // namespace ddb::testing
