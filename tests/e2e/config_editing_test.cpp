// Editing config files: --check lists every problem (and passes on a running
// cluster's files), --print-config says where each value came from,
// --init-config writes a new node's file, and a reload applies what can
// change live, reports what needs a restart, and changes nothing when the
// file is broken.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cluster.h"
#include "endpoint_clients.h"
#include "file_text.h"
#include "http_client.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

struct Ran {
  int code = -1;
  std::string output;  // stdout and stderr
};

Ran RunProgram(std::vector<std::string> argv, const std::filesystem::path& log) {
  ChildProcess process(std::move(argv), log);
  Ran ran;
  EXPECT_TRUE(process.WaitForExit(seconds(60), &ran.code)) << "did not exit: " << log;
  ran.output = process.ReadLog();
  return ran;
}

int CountOf(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// The master's effective config (GET /api/config), key -> value.
std::map<std::string, std::string> MasterConfigValues(const Cluster& cluster) {
  const HttpReply reply = HttpGet(cluster.master_http_port(), "/api/config", cluster.options().http_token);
  EXPECT_EQ(reply.status, 200) << reply.body << reply.error;
  std::map<std::string, std::string> values;
  const nlohmann::json json = nlohmann::json::parse(reply.body, nullptr, false);
  if (json.is_discarded()) return values;
  for (const auto& key : json["keys"]) values[key["key"]] = key["value"];
  return values;
}

// `path` with the line setting `key` replaced by `key = value` (or the line
// added).
void SetKey(const std::filesystem::path& path, const std::string& key, const std::string& value) {
  std::string text = ReadFile(path);
  const std::regex line("(^|\n)" + key + " = [^\n]*");
  if (std::regex_search(text, line)) {
    text = std::regex_replace(text, line, "$1" + key + " = " + value);
  } else {
    text += key + " = " + value + "\n";
  }
  std::ofstream(path) << text;
}

// --check on every node's config while the cluster runs: each port is held
// by that node's own daemon (found by its name), so all is well. With TLS,
// the HTTP listeners speak HTTPS only.
void ExpectCheckPassesOnTheConfigsOfARunningCluster(bool tls) {
  ClusterOptions options;
  options.tls = tls;
  Cluster cluster(options);
  cluster.StartAll();
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  // The slaves' HTTP listeners are up once they answer.
  for (int i = 0; i < cluster.slave_count(); ++i) {
    ASSERT_TRUE(
        WaitFor([&] { return HttpGet(cluster.slave_http_port(i), "/health").status != 0; }, seconds(20)));
  }
  const Ran master = RunProgram({DDB_MASTER_BINARY, "--check", cluster.master_config().string(),
                                 cluster.slave_config(0).string(), cluster.slave_config(1).string()},
                                cluster.dir() / "check-master.log");
  EXPECT_EQ(master.code, 0) << master.output;
  EXPECT_NE(master.output.find("ddb-master --check: all well"), std::string::npos) << master.output;
  EXPECT_NE(master.output.find("privileges sufficient"), std::string::npos) << master.output;
  EXPECT_NE(master.output.find("replication_port 127.0.0.1:" + std::to_string(cluster.replication_port()) +
                               " is held by this node's running daemon"),
            std::string::npos)
      << master.output;
  EXPECT_NE(master.output.find("slave 'slave2' is in the master's list"), std::string::npos) << master.output;
  for (int i = 0; i < cluster.slave_count(); ++i) {
    const Ran slave = RunProgram({DDB_SLAVE_BINARY, "--config", cluster.slave_config(i).string(), "--check"},
                                 cluster.dir() / ("check-slave" + std::to_string(i) + ".log"));
    EXPECT_EQ(slave.code, 0) << slave.output;
    EXPECT_NE(slave.output.find("http_port 127.0.0.1:" + std::to_string(cluster.slave_http_port(i)) +
                                " is held by this node's running daemon"),
              std::string::npos)
        << slave.output;
  }
}

TEST(ConfigEditingTest, CheckPassesOnTheConfigsOfARunningCluster) {
  ExpectCheckPassesOnTheConfigsOfARunningCluster(false);
}

TEST(ConfigEditingTest, CheckPassesOnTheConfigsOfARunningClusterWithTls) {
  ExpectCheckPassesOnTheConfigsOfARunningCluster(true);
}

TEST(ConfigEditingTest, ShippedConfigsHaveNoProblemAndAgreeWithEachOther) {
  TempDir dir;
  const std::string config = std::string(DDB_SOURCE_DIR) + "/config/";
  const Ran master = RunProgram(
      {DDB_MASTER_BINARY, "--check", config + "master.ini", config + "slave1.ini", config + "slave2.ini"},
      dir.path() / "check.log");
  // The demo's MySQL and daemons may not run here: only the keys and the
  // slave files' agreement are this test's business.
  EXPECT_NE(master.output.find(config + "master.ini: every key parses and is valid"), std::string::npos)
      << master.output;
  EXPECT_NE(master.output.find("slave 'slave1' is in the master's list, same secret"), std::string::npos)
      << master.output;
  EXPECT_NE(master.output.find("slave 'slave2' is in the master's list, same secret"), std::string::npos)
      << master.output;
  for (const char* slave : {"slave1.ini", "slave2.ini"}) {
    const Ran printed = RunProgram({DDB_SLAVE_BINARY, "--config", config + slave, "--print-config"},
                                   dir.path() / "print.log");
    EXPECT_EQ(printed.code, 0) << printed.output;
  }
}

TEST(ConfigEditingTest, CheckListsEveryProblemOfAFileWithThreeMistakes) {
  TempDir dir;
  const auto master = dir.path() / "master.ini";
  std::ofstream(master) << "cluster_secret = \"0123456789abcdef-secret\"\n"
                        << "replication_port = seventy\n"  // not a number
                        << "mysql_prot = 3310\n"           // no such key
                        << "slaves = s1\n"
                        << "sync_slaves = 2\n"  // more than the slaves listed
                        << "mysql_port = " << FreeLoopbackPort() << "\n";
  const auto slave = dir.path() / "slave.ini";
  std::ofstream(slave) << "node_name = s9\ncluster_secret = \"another-secret-0123456789\"\n";

  const Ran checked =
      RunProgram({DDB_MASTER_BINARY, "--check", master.string(), slave.string()}, dir.path() / "c.log");
  EXPECT_NE(checked.code, 0);
  EXPECT_NE(checked.output.find(master.string() + ": key 'replication_port'"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find(master.string() + ": unknown key 'mysql_prot'"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find(master.string() + ": key 'sync_slaves': 2 is more than the 1 slave(s)"),
            std::string::npos)
      << checked.output;
  // What is checked beyond the keys is checked too: MySQL, the slave file.
  EXPECT_NE(checked.output.find("cannot connect"), std::string::npos) << checked.output;
  EXPECT_NE(checked.output.find(slave.string() + ": key 'node_name': 's9' is not in the master's 'slaves'"),
            std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find(slave.string() + ": key 'cluster_secret' differs"), std::string::npos)
      << checked.output;
  EXPECT_EQ(CountOf(checked.output, "PROBLEM:"), 6) << checked.output;

  // Starting the daemon on that file names the same three mistakes at once.
  const Ran started = RunProgram({DDB_MASTER_BINARY, "--config", master.string(), "--console", "off"},
                                 dir.path() / "start.log");
  EXPECT_EQ(started.code, 1);
  EXPECT_EQ(CountOf(started.output, "ddb-master: " + master.string()), 3) << started.output;
}

TEST(ConfigEditingTest, PrintConfigShowsEachValueWithItsSourceAndMasksSecrets) {
  TempDir dir;
  const auto path = dir.path() / "master.ini";
  std::ofstream(path) << "cluster_secret = \"0123456789abcdef-secret\"\n"
                      << "mysql_port = 3310\n"
                      << "client_users = \"app:app-password-1\"\n";
  ::setenv("DDB_HANDSHAKE_TIMEOUT_MS", "7000", 1);
  const Ran printed =
      RunProgram({DDB_MASTER_BINARY, "--config", path.string(), "--mysql_port", "4000", "--print-config"},
                 dir.path() / "print.log");
  ::unsetenv("DDB_HANDSHAKE_TIMEOUT_MS");
  ASSERT_EQ(printed.code, 0) << printed.output;
  EXPECT_TRUE(std::regex_search(printed.output, std::regex("\nmysql_port = 4000 +# flag\n")))
      << printed.output;
  EXPECT_TRUE(
      std::regex_search(printed.output, std::regex("\ncluster_secret = \\*+ +# " + path.string() + ":1\n")))
      << printed.output;
  EXPECT_TRUE(std::regex_search(printed.output, std::regex("\nreplication_port = 4407 +# default\n")))
      << printed.output;
  EXPECT_TRUE(std::regex_search(
      printed.output,
      std::regex("\nhandshake_timeout_ms = 7000 +# environment \\(DDB_HANDSHAKE_TIMEOUT_MS\\)\n")))
      << printed.output;
  EXPECT_TRUE(std::regex_search(printed.output, std::regex("\nclient_users = app:\\*+ +#")))
      << printed.output;
  EXPECT_EQ(printed.output.find("0123456789abcdef-secret"), std::string::npos) << printed.output;
  EXPECT_EQ(printed.output.find("app-password-1"), std::string::npos) << printed.output;
}

TEST(ConfigEditingTest, InitConfigWritesACommentedFileWithAFreshSecretAndNeverOverwrites) {
  TempDir dir;
  const auto first = dir.path() / "new-master.ini";
  const auto second = dir.path() / "other-master.ini";
  ASSERT_EQ(RunProgram({DDB_MASTER_BINARY, "--init-config", first.string(), "--node_name", "alpha"},
                       dir.path() / "1.log")
                .code,
            0);
  ASSERT_EQ(RunProgram({DDB_MASTER_BINARY, "--init-config", second.string()}, dir.path() / "2.log").code, 0);
  const std::string text = ReadFile(first);
  std::smatch secret, other;
  ASSERT_TRUE(std::regex_search(text, secret, std::regex("\ncluster_secret = ([0-9a-f]{64})\n"))) << text;
  const std::string text2 = ReadFile(second);
  ASSERT_TRUE(std::regex_search(text2, other, std::regex("\ncluster_secret = ([0-9a-f]{64})\n"))) << text2;
  EXPECT_NE(secret[1], other[1]) << "each file gets its own random secret";
  EXPECT_TRUE(std::regex_search(text, std::regex("\nhttp_token = [0-9a-f]{64}\n"))) << text;
  EXPECT_NE(text.find("\nnode_name = alpha\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# Port slaves dial [restart; default 4407]\nreplication_port = 4407\n"),
            std::string::npos)
      << text;
  struct stat info {};
  ASSERT_EQ(::stat(first.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u) << "the file holds secrets";

  // The new file is a valid config; a second --init-config leaves it alone.
  const Ran printed =
      RunProgram({DDB_MASTER_BINARY, "--config", first.string(), "--print-config"}, dir.path() / "p.log");
  EXPECT_EQ(printed.code, 0) << printed.output;
  const Ran again = RunProgram({DDB_MASTER_BINARY, "--init-config", first.string()}, dir.path() / "3.log");
  EXPECT_NE(again.code, 0);
  EXPECT_NE(again.output.find("exists; --init-config never overwrites"), std::string::npos) << again.output;
  EXPECT_EQ(ReadFile(first), text);

  const auto slave = dir.path() / "slave3.ini";
  const Ran slave_init = RunProgram({DDB_SLAVE_BINARY, "--init-config", slave.string(), "--node_name",
                                     "slave3", "--cluster_secret", std::string(secret[1])},
                                    dir.path() / "4.log");
  ASSERT_EQ(slave_init.code, 0) << slave_init.output;
  EXPECT_NE(ReadFile(slave).find("\ncluster_secret = " + std::string(secret[1]) + "\n"), std::string::npos);
}

TEST(ConfigEditingTest, SighupAppliesLiveKeysAndReportsWhatNeedsARestart) {
  Cluster cluster(ClusterOptions{.slaves = 1, .mysql_endpoint = true});
  cluster.StartAll();
  ASSERT_TRUE(ExecuteThroughEndpoint(cluster, {"SELECT 1"}).ok());
  EXPECT_EQ(cluster.MasterLog().find("logged in as"), std::string::npos) << "a debug line at log_level info";

  const uint16_t new_port = FreeLoopbackPort();
  SetKey(cluster.master_config(), "max_lag_seconds", "2.5");
  SetKey(cluster.master_config(), "log_level", "debug");
  SetKey(cluster.master_config(), "replication_port", std::to_string(new_port));
  ASSERT_TRUE(cluster.SignalMaster(SIGHUP));
  ASSERT_TRUE(
      WaitFor([&] { return cluster.MasterLog().find("need a restart") != std::string::npos; }, seconds(20)))
      << cluster.MasterLog();
  const std::string log = cluster.MasterLog();
  EXPECT_TRUE(std::regex_search(log, std::regex("\\| max_lag_seconds +\\| 5 +\\| 2.5 +\\| applied"))) << log;
  EXPECT_TRUE(std::regex_search(log, std::regex("\\| log_level +\\| info +\\| debug +\\| applied"))) << log;
  EXPECT_TRUE(std::regex_search(
      log, std::regex("\\| replication_port +\\| " + std::to_string(cluster.replication_port()) + " +\\| " +
                      std::to_string(new_port) + " +\\| needs a restart")))
      << log;

  // Applied: the new level shows at once (a debug line, written to the file
  // with the next info line: the console's \reload below); the old port is
  // still in force.
  ASSERT_TRUE(ExecuteThroughEndpoint(cluster, {"SELECT 1"}).ok());
  // \reload at the console says the same, and POST /api/reload answers JSON.
  const std::string console = cluster.SqlOutput("\\reload");
  EXPECT_NE(console.find("needs a restart"), std::string::npos) << console;
  EXPECT_TRUE(WaitFor([&] { return cluster.MasterLog().find("logged in as 'app'") != std::string::npos; },
                      seconds(10)))
      << cluster.MasterLog();
  std::map<std::string, std::string> values = MasterConfigValues(cluster);
  EXPECT_EQ(values["max_lag_seconds"], "2.5");
  EXPECT_EQ(values["log_level"], "debug");
  EXPECT_EQ(values["replication_port"], std::to_string(cluster.replication_port()));
  EXPECT_EQ(values["cluster_secret"], "********");

  const HttpReply reply =
      HttpPost(cluster.master_http_port(), "/api/reload", "", cluster.options().http_token);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json json = nlohmann::json::parse(reply.body);
  ASSERT_EQ(json["changes"].size(), 1u) << reply.body;
  EXPECT_EQ(json["changes"][0]["key"], "replication_port");
  EXPECT_EQ(json["changes"][0]["restart_needed"], true);
  EXPECT_EQ(HttpPost(cluster.master_http_port(), "/api/reload", "", "wrong-token-0123456789").status, 401);
}

TEST(ConfigEditingTest, SlaveSighupAppliesItsLiveKeys) {
  Cluster cluster(ClusterOptions{.slaves = 1});
  cluster.StartAll();
  auto max_lag = [&] {
    const nlohmann::json json =
        nlohmann::json::parse(HttpGet(cluster.slave_http_port(0), "/api/status").body, nullptr, false);
    return json.is_object() ? json.value("max_lag_seconds", -1.0) : -1.0;
  };
  ASSERT_TRUE(WaitFor([&] { return max_lag() == 5.0; }, seconds(20)));
  SetKey(cluster.slave_config(0), "max_lag_seconds", "0.5");
  SetKey(cluster.slave_config(0), "apply_batch_records", "7");
  ASSERT_TRUE(cluster.slave_process(0)->Signal(SIGHUP));
  EXPECT_TRUE(WaitFor([&] { return max_lag() == 0.5; }, seconds(10))) << cluster.SlaveLog(0);
  EXPECT_TRUE(WaitFor(
      [&] {
        return std::regex_search(cluster.SlaveLog(0),
                                 std::regex("\\| apply_batch_records +\\| 1000 +\\| 7 +\\| needs a restart"));
      },
      seconds(10)))
      << cluster.SlaveLog(0);
  EXPECT_TRUE(cluster.slave_process(0)->Running()) << "SIGHUP reloads, it does not stop the slave";
}

TEST(ConfigEditingTest, ReloadOfABrokenFileChangesNothingAndSaysWhy) {
  Cluster cluster(ClusterOptions{.slaves = 1});
  cluster.StartAll();
  SetKey(cluster.master_config(), "max_lag_seconds", "lots");
  SetKey(cluster.master_config(), "log_level", "debug");
  SetKey(cluster.master_config(), "sync_slaves", "1");
  SetKey(cluster.master_config(), "mysql_prot", "3310");
  const HttpReply reply =
      HttpPost(cluster.master_http_port(), "/api/reload", "", cluster.options().http_token);
  EXPECT_EQ(reply.status, 400) << reply.body;
  const nlohmann::json json = nlohmann::json::parse(reply.body);
  EXPECT_EQ(json["ok"], false);
  const std::string error = json.value("error", "");
  EXPECT_NE(error.find("key 'max_lag_seconds'"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown key 'mysql_prot'"), std::string::npos) << error;

  std::map<std::string, std::string> values = MasterConfigValues(cluster);
  EXPECT_EQ(values["max_lag_seconds"], "5");
  EXPECT_EQ(values["log_level"], "info");
  EXPECT_EQ(values["sync_slaves"], "0");
  const std::string console = cluster.SqlOutput("\\reload\n\\sync_slaves");
  EXPECT_NE(console.find("reload failed, nothing changed"), std::string::npos) << console;
  EXPECT_NE(console.find("sync_slaves: off (asynchronous)"), std::string::npos) << console;

  // Fixed, the same edit applies.
  SetKey(cluster.master_config(), "max_lag_seconds", "3");
  std::string text = ReadFile(cluster.master_config());
  text = std::regex_replace(text, std::regex("mysql_prot = 3310\n"), "");
  std::ofstream(cluster.master_config()) << text;
  const std::string fixed = cluster.SqlOutput("\\reload\n\\sync_slaves");
  EXPECT_NE(fixed.find("wait for 1 slave(s)"), std::string::npos) << fixed;
  EXPECT_EQ(MasterConfigValues(cluster)["max_lag_seconds"], "3");
}

}  // namespace
}  // namespace ddb::testing
