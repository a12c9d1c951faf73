// PHP's mysqli and PDO (Debian's php-mysql, installed by scripts/setup)
// against the master's endpoint: prepared statements of both protocols carry
// DATETIME(6), DECIMAL, binary and UTF-8 values exactly, a multi-query and a
// rollback behave as in MariaDB, and the slaves end equal to the master.
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

TEST_F(MySqlEndpointTest, PhpMysqliAndPdoPreparedStatementsCarryEveryValueExactly) {
  const std::filesystem::path script =
      std::filesystem::path(DDB_SOURCE_DIR) / "tests" / "drivers" / "php_mysqli_pdo.php";
  const ProgramRun run =
      Run({"php", script.string(), std::to_string(cluster_->client_port()), kClientUser, kClientPassword});
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n" << cluster_->MasterLog();
  EXPECT_NE(run.output.find("php: all values equal"), std::string::npos) << run.output;
  ExpectSlavesEqual("php", {"t"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM php.t"), "4");
}

}  // namespace
}  // namespace ddb::testing
