// The dashboard in a real browser: Debian's chromium, headless, driven by
// playwright-core (dashboard.mjs) against a real cluster. The page asks for
// the token, shows both slaves online, runs CREATE/INSERT/SELECT in its SQL
// box and shows the rows, shows the effective configuration with the token
// masked, shows its table equal after "Verify now", differing once a row is
// changed on slave2's MariaDB and equal again after its Repair button, shows
// a stopped slave offline within the heartbeat timeout, and
// shows "<script>alert(1)</script>" as text (no dialog fires), shows the
// epochs (failover history), and hands the master role to slave1 with its
// Switch over button.
// It leaves a screenshot in the cluster's directory, and refreshes the one in
// docs/dashboard.png when DDB_UPDATE_SCREENSHOT=1 (a test run must not change
// the source tree).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "cluster.h"
#include "ha_configs.h"

namespace ddb::testing {
namespace {

using std::chrono::seconds;

TEST(DashboardBrowserTest, ShowsTheClusterRunsSqlAndEscapesValues) {
  const std::filesystem::path dir = std::filesystem::path(DDB_SOURCE_DIR) / "tests" / "browser";
  ASSERT_TRUE(std::filesystem::exists(dir / "node_modules" / "playwright-core"))
      << "playwright-core is not installed in " << dir << ": run scripts/setup (it runs npm ci there)";
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium")) << "chromium is missing: run scripts/setup";

  Cluster cluster;
  const HaConfigs ha(cluster);
  cluster.StartMaster();
  cluster.StartSlave(0);
  cluster.StartSlave(1);

  // The page polls once a second: offline shows within the heartbeat timeout
  // plus one poll (and a little for the browser to draw it).
  const int offline_deadline_ms = cluster.options().heartbeat_timeout_ms + 1000 + 500;
  const std::string url = "http://127.0.0.1:" + std::to_string(cluster.master_http_port()) + "/";
  const char* update = std::getenv("DDB_UPDATE_SCREENSHOT");
  const std::filesystem::path screenshot =
      update != nullptr && std::string(update) == "1"
          ? std::filesystem::path(DDB_SOURCE_DIR) / "docs" / "dashboard.png"
          : cluster.dir() / "dashboard.png";
  ChildProcess browser({"node", (dir / "dashboard.mjs").string(), url, cluster.options().http_token,
                        screenshot.string(), std::to_string(offline_deadline_ms)},
                       cluster.dir() / "browser.log", ChildProcess::StdinMode::kPipe);

  // The page asks for `request` (a line of its log) and waits for the answer.
  const auto asked = [&](const std::string& request) {
    const bool printed = WaitFor(
        [&] {
          const std::string log = browser.ReadLog();
          return log.find(request) != std::string::npos || log.find("FAIL") != std::string::npos ||
                 !browser.Running();
        },
        seconds(120), std::chrono::milliseconds(100));
    return printed && browser.ReadLog().find(request) != std::string::npos;
  };
  ASSERT_TRUE(asked("DRIFT_SLAVE2")) << browser.ReadLog();
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(seconds(30)));
  cluster.slave_db(1).Execute("UPDATE browser.fruit SET name = 'drifted' WHERE id = 1");
  ASSERT_TRUE(browser.WriteStdin("drifted\n")) << browser.ReadLog();
  ASSERT_TRUE(asked("STOP_SLAVE2")) << browser.ReadLog();
  // The Repair button made slave2 equal again.
  cluster.ExpectTableEqualEverywhere("browser", "fruit");
  cluster.StopSlave(1);
  ASSERT_TRUE(browser.WriteStdin("stopped\n")) << browser.ReadLog();

  int code = -1;
  ASSERT_TRUE(browser.WaitForExit(seconds(60), &code)) << browser.ReadLog();
  EXPECT_EQ(code, 0) << browser.ReadLog();
  EXPECT_NE(browser.ReadLog().find("PASS"), std::string::npos) << browser.ReadLog();
  // The Switch over button made slave1 the master; the former master follows
  // it. What the browser wrote went through the SqlSession: logged and
  // replicated.
  ASSERT_TRUE(ha.WaitForMaster(1, seconds(30))) << ha.Logs();
  ASSERT_TRUE(WaitFor(
      [&] {
        return ha.db(0).TableChecksum("browser", "fruit") == ha.db(1).TableChecksum("browser", "fruit");
      },
      seconds(30)))
      << ha.Logs();
}

}  // namespace
}  // namespace ddb::testing
