// A planned switchover under an application's writers (issue 19): eight
// PyMySQL connections in one Python process write through whichever node's
// endpoint accepts them (a node that is a slave answers ERROR 1290 naming
// the master; the master holding writes for a switchover answers 1290 too).
// `\switchover slave1` and back through POST /api/switchover, each in under
// 5 s; every INSERT PyMySQL saw acknowledged is on every node afterwards,
// and all nodes are equal.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cluster.h"
#include "file_text.h"
#include "ha_configs.h"
#include "http_client.h"

namespace ddb::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// argv: acknowledged-ids file, stop file, then every node's endpoint port.
// Prints "acked N" every 100 acknowledgements.
constexpr const char* kWriters = R"PY(
import os, sys, threading, time
import pymysql

out_path, stop_path, ports = sys.argv[1], sys.argv[2], [int(p) for p in sys.argv[3:]]
REFUSED = {1290}  # read-only: a slave, or a master handing over; nothing committed
acked, lock = [], threading.Lock()

def connect():
    while not os.path.exists(stop_path):
        for port in ports:
            try:
                return pymysql.connect(host="127.0.0.1", port=port, user="app", password="app-pw",
                                       autocommit=True, connect_timeout=2, read_timeout=10)
            except pymysql.err.MySQLError:
                pass
        time.sleep(0.02)
    return None

def writer(index):
    next_id, conn = index * 1000000, None
    while not os.path.exists(stop_path):
        if conn is None:
            conn = connect()
            if conn is None:
                return
        try:
            with conn.cursor() as cursor:
                cursor.execute("INSERT INTO s.t VALUES (%s, %s)", (next_id, index))
            with lock:
                acked.append(next_id)
                if len(acked) % 100 == 0:
                    print("acked", len(acked), flush=True)
            next_id += 1
        except pymysql.err.MySQLError as error:
            code = error.args[0] if error.args else 0
            if code not in REFUSED:
                next_id += 1  # the answer was lost: whether it committed is unknown
            try:
                conn.close()
            except Exception:
                pass
            conn = None

threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(out_path, "w") as f:
    f.write("\n".join(str(i) for i in acked))
print("done", len(acked), flush=True)
)PY";

int AckedSoFar(const std::string& log) {
  const size_t at = log.rfind("acked ");
  return at == std::string::npos ? 0 : std::stoi(log.substr(at + 6));
}

TEST(SwitchoverPyMySqlTest, EightPyMySqlWritersLoseNothingOverAndBack) {
  ClusterOptions options;
  options.mysql_endpoint = true;
  Cluster c(options);
  const HaConfigs ha(c);
  c.StartAll();
  c.SqlAndWait("CREATE DATABASE s;\nCREATE TABLE s.t (id BIGINT PRIMARY KEY, writer INT);");
  ASSERT_TRUE(c.WaitForSlavesCaughtUp(seconds(30)));

  const std::filesystem::path script = c.dir() / "writers.py";
  std::ofstream(script) << kWriters;
  const std::filesystem::path acked_file = c.dir() / "acked.txt", stop_file = c.dir() / "stop";
  std::vector<std::string> argv{"/usr/bin/python3", script.string(), acked_file.string(), stop_file.string()};
  for (int n = 0; n < ha.node_count(); ++n) argv.push_back(std::to_string(ha.node(n).client_port));
  ChildProcess writers(argv, c.dir() / "writers.log");
  const auto acked_beyond = [&](int count) {
    return WaitFor([&] { return AckedSoFar(writers.ReadLog()) > count; }, seconds(30));
  };
  ASSERT_TRUE(acked_beyond(200)) << writers.ReadLog();

  const Clock::time_point started = Clock::now();
  c.Sql("\\switchover slave1");
  ASSERT_TRUE(ha.WaitForMaster(1, seconds(30))) << c.MasterConsoleOutput() << ha.Logs();
  const auto over = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  EXPECT_LT(over, seconds(5));
  ASSERT_TRUE(acked_beyond(AckedSoFar(writers.ReadLog()) + 200)) << writers.ReadLog() << ha.Logs();
  ASSERT_TRUE(WaitFor([&] { return HttpGet(ha.node(0).http_port, "/health?role=slave").status == 200; },
                      seconds(30)));

  std::string why;
  const std::optional<milliseconds> back = ha.SwitchOverThroughApi(1, 0, seconds(30), &why);
  ASSERT_TRUE(back) << why;
  EXPECT_LT(*back, seconds(5));
  ASSERT_TRUE(acked_beyond(AckedSoFar(writers.ReadLog()) + 200)) << writers.ReadLog() << ha.Logs();

  std::ofstream(stop_file) << "stop\n";
  int code = -1;
  ASSERT_TRUE(writers.WaitForExit(seconds(60), &code)) << writers.ReadLog();
  ASSERT_EQ(code, 0) << writers.ReadLog();
  std::vector<int64_t> acked;
  std::istringstream in(ReadFile(acked_file));
  for (int64_t id; in >> id;) acked.push_back(id);
  ASSERT_GT(acked.size(), 600u);
  std::cout << "PyMySQL writers: over " << over.count() << " ms, back " << back->count() << " ms, "
            << acked.size() << " inserts acknowledged\n";

  ASSERT_TRUE(ha.WaitForTableEqualEverywhere("s", "t", seconds(60))) << ha.Logs();
  EXPECT_EQ(ha.CountMissing(0, "s", "t", acked), 0u) << "acknowledged inserts lost";
}

}  // namespace
}  // namespace ddb::testing
