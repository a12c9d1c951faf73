// Node's mysql2 driver (from npm, tests/drivers/, installed by scripts/setup)
// against the master's endpoint with execute(): server-side prepared
// statements carry binary, DECIMAL, DATETIME(6), DATE, JSON, NULL and UTF-8
// values exactly, both ways, and the slaves end equal to the master.
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

TEST_F(MySqlEndpointTest, NodeMysql2ExecuteInsertsAndSelectsEveryKindOfValueExactly) {
  const std::filesystem::path dir = std::filesystem::path(DDB_SOURCE_DIR) / "tests" / "drivers";
  ASSERT_TRUE(std::filesystem::exists(dir / "node_modules" / "mysql2"))
      << "tests/drivers/node_modules is missing: run scripts/setup (npm ci there)";
  const ProgramRun run = Run({"node", (dir / "mysql2_execute.mjs").string(),
                              std::to_string(cluster_->client_port()), kClientUser, kClientPassword});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("mysql2: all values equal"), std::string::npos) << run.output;
  ExpectSlavesEqual("drv", {"vals"});
}

}  // namespace
}  // namespace ddb::testing
