// MariaDB Connector/J (Debian's libmariadb-java, run by default-jdk-headless;
// both installed by scripts/setup) against the master's endpoint: generated
// keys, prepared statements of both protocols, batches (bulk, rewritten and
// one by one), a rollback, a procedure's several result sets and a
// CallableStatement's OUT and INOUT parameters answer as from MariaDB, and
// the slaves end equal to the master.
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

TEST_F(MySqlEndpointTest, ConnectorJStatementsBatchesAndOutParametersAnswerAsMariaDb) {
  const ProgramRun setup = Endpoint(R"(
CREATE DATABASE java;
CREATE TABLE java.t (id INT PRIMARY KEY, name VARCHAR(50), amount DECIMAL(10,2), at DATETIME(3));
CREATE TABLE java.g (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100));
DELIMITER //
CREATE PROCEDURE java.two_sets(IN first_id INT) BEGIN
  SELECT amount AS `before` FROM java.t WHERE id = first_id;
  UPDATE java.t SET amount = amount + 1 WHERE id = first_id;
  SELECT amount AS `after` FROM java.t WHERE id = first_id;
END //
CREATE PROCEDURE java.totals(IN first_id INT, INOUT counted INT, OUT total DECIMAL(10,2), OUT label VARCHAR(40))
BEGIN
  SELECT counted + COUNT(*), SUM(amount) INTO counted, total FROM java.t WHERE id BETWEEN first_id AND first_id + 9;
  SET label = CONCAT('rows from ', first_id);
END //
DELIMITER ;
)");
  ASSERT_EQ(setup.exit_code, 0) << setup.output;
  const std::filesystem::path script =
      std::filesystem::path(DDB_SOURCE_DIR) / "tests" / "drivers" / "ConnectorJ.java";
  const ProgramRun run = Run({"java", "-cp", "/usr/share/java/mariadb-java-client.jar", script.string(),
                              std::to_string(cluster_->client_port()), kClientUser, kClientPassword},
                             std::chrono::seconds(120));
  ASSERT_EQ(run.exit_code, 0) << run.output << "\n" << cluster_->MasterLog();
  EXPECT_NE(run.output.find("java: all checks passed"), std::string::npos) << run.output;
  ExpectSlavesEqual("java", {"t", "g"});
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT COUNT(*) FROM java.t"), "24");
}

}  // namespace
}  // namespace ddb::testing
