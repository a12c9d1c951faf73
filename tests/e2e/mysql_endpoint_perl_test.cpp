// Perl's DBI with DBD::MariaDB (Debian's libdbd-mariadb-perl, installed by
// scripts/setup) against the master's endpoint: values bound by the driver
// and by the server come back exactly, transactions and a refusal behave as
// in MariaDB, and the slaves end equal to the master.
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

TEST_F(MySqlEndpointTest, PerlDbdMariaDbBindsEveryValueExactly) {
  const std::filesystem::path script =
      std::filesystem::path(DDB_SOURCE_DIR) / "tests" / "drivers" / "perl_dbd_mariadb.pl";
  const ProgramRun run =
      Run({"perl", script.string(), std::to_string(cluster_->client_port()), kClientUser, kClientPassword});
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n" << cluster_->MasterLog();
  EXPECT_NE(run.output.find("perl: all values equal"), std::string::npos) << run.output;
  ExpectSlavesEqual("perl", {"t"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM perl.t"), "3");
}

}  // namespace
}  // namespace ddb::testing
