// LOAD DATA LOCAL INFILE and LOAD XML LOCAL INFILE through the endpoint,
// from the mariadb client and PyMySQL: the client's file travels with the log, so every
// slave loads the same rows with the same generated ids and clock, also one
// that was offline and catches up. What cannot be replicated is refused
// with the reason, and nothing is loaded: a load of a file on the master's
// host, a client that does not send files, a file larger than a record.
#include <gtest/gtest.h>

#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

constexpr const char* kTable =
    "CREATE DATABASE m;\n"
    "CREATE TABLE m.t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(40), note VARCHAR(80),"
    " at DATETIME(6) DEFAULT NOW(6)) ENGINE=InnoDB;\n"
    "INSERT INTO m.t (v) VALUES ('first');\n"
    // The master's counter moves past 2 and 3; a slave's never sees them.
    "BEGIN; INSERT INTO m.t (v) VALUES ('gone'), ('gone too'); ROLLBACK;\n";

// PyMySQL sends the file itself (not through libmariadb), in a transaction
// with autocommit off, and reads the OK packet's counts.
constexpr const char* kPyMySqlLoad = R"PY(
import sys
import pymysql

c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="app", password="app-pw",
                    local_infile=True, autocommit=False)
cur = c.cursor()
n = cur.execute("LOAD DATA LOCAL INFILE %s INTO TABLE m.t FIELDS TERMINATED BY ',' (v)", (sys.argv[2],))
assert n == 3, n
cur.execute("UPDATE m.t SET note = 'pymysql' WHERE v LIKE 'py%'")
c.commit()
print("pymysql load: all good")
)PY";

TEST_F(MySqlEndpointTest, LoadDataLocalReplicatesTheClientsFileWithItsIdsAndClock) {
  ProgramRun setup = Endpoint(kTable);
  ASSERT_EQ(setup.exit_code, 0) << setup.output;
  // The second slave is away while the loads commit: it catches up from the log.
  cluster_->StopSlave(1);
  const std::string csv = WriteFile("rows.csv",
                                    "\\N,\"plain\"\n"
                                    "\\N,\"with, a comma\"\n"
                                    "\\N,\"quote \\\" and tab\\tinside\"\n"
                                    "\\N,\"caf\xC3\xA9 \xE2\x82\xAC\"\n");
  const std::string xml = WriteFile("rows.xml",
                                    "<?xml version=\"1.0\"?>\n<resultset>\n"
                                    "<row><field name=\"v\">from xml</field></row>\n"
                                    "<row><field name=\"v\">xml again</field></row>\n"
                                    "</resultset>\n");
  const std::string replace = WriteFile("replace.csv", "1,replaced first\n7,explicit seven\n");
  ProgramRun loads = Mariadb(cluster_->client_port(), kClientUser, kClientPassword,
                             "LOAD DATA LOCAL INFILE '" + csv +
                                 "' INTO TABLE m.t CHARACTER SET utf8mb4 FIELDS TERMINATED BY ','"
                                 " OPTIONALLY ENCLOSED BY '\"' (id, v) SET note = CONCAT('at ', NOW(6));\n"
                                 "SELECT LAST_INSERT_ID();\n"
                                 "BEGIN;\n"
                                 "INSERT INTO m.t (v) VALUES ('in the transaction');\n"
                                 "LOAD XML LOCAL INFILE '" +
                                 xml +
                                 "' INTO TABLE m.t ROWS IDENTIFIED BY '<row>';\n"
                                 "COMMIT;\n"
                                 "LOAD DATA LOCAL INFILE '" +
                                 replace +
                                 "' REPLACE INTO TABLE m.t FIELDS TERMINATED BY ',' (id, v);\n"
                                 "INSERT INTO m.t (v) VALUES ('after the loads');\n",
                             "--local-infile=1");
  ASSERT_EQ(loads.exit_code, 0) << loads.output;
  EXPECT_NE(loads.output.find("\n4\n"), std::string::npos)
      << "LAST_INSERT_ID() is the load's first generated id, as MariaDB answers: " << loads.output;
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM m.t"), "9");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT v FROM m.t WHERE id = 1"), "replaced first");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT v FROM m.t WHERE id = 6"), "quote \" and tab\tinside");
  const std::string py_rows = WriteFile("py.csv", "py one\npy two\npy three\n");
  ProgramRun pymysql =
      Run({kPython, WriteFile("load.py", kPyMySqlLoad), std::to_string(cluster_->client_port()), py_rows});
  ASSERT_EQ(pymysql.exit_code, 0) << pymysql.output;
  EXPECT_NE(pymysql.output.find("pymysql load: all good"), std::string::npos) << pymysql.output;
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM m.t WHERE note = 'pymysql'"), "3");
  cluster_->StartSlave(1);
  ExpectSlavesEqual("m", {"t"});
}

TEST_F(MySqlEndpointTest, LoadsThatCannotReplicateAreRefusedAndLoadNothing) {
  ProgramRun setup = Endpoint(kTable);
  ASSERT_EQ(setup.exit_code, 0) << setup.output;
  const std::string csv = WriteFile("rows.csv", "\\N,one\n\\N,two\n");
  // A file on the master's host, which no slave has.
  ProgramRun server_file = Endpoint("LOAD DATA INFILE '" + csv + "' INTO TABLE m.t FIELDS TERMINATED BY ','");
  EXPECT_NE(ErrorLine(server_file.output).find("LOAD DATA without LOCAL reads a file on the master's host"),
            std::string::npos)
      << server_file.output;
  // A client that does not send files gets MariaDB's answer and is asked for none.
  ProgramRun no_files = Mariadb(
      cluster_->client_port(), kClientUser, kClientPassword,
      "LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE m.t FIELDS TERMINATED BY ','", "--local-infile=0");
  EXPECT_NE(ErrorLine(no_files.output).find("ERROR 4166"), std::string::npos) << no_files.output;
  // More than one log record can carry (half the master's max_allowed_packet):
  // read to its end, refused, and the session goes on.
  const std::string line = "\\N," + std::string(60, 'x') + "\n";
  std::string big;
  const size_t target = 9 * 1024 * 1024;
  big.reserve(target + line.size());
  while (big.size() < target) big += line;
  const std::string big_file = WriteFile("big.csv", big);
  ProgramRun too_big = Mariadb(cluster_->client_port(), kClientUser, kClientPassword,
                               "LOAD DATA LOCAL INFILE '" + big_file +
                                   "' INTO TABLE m.t FIELDS TERMINATED BY ',';\n"
                                   "SELECT CONCAT('still ', 'here');\n",
                               "--local-infile=1 --force --max-allowed-packet=64M");
  EXPECT_NE(ErrorLine(too_big.output).find("is larger than"), std::string::npos) << too_big.output;
  EXPECT_NE(too_big.output.find("still here"), std::string::npos) << too_big.output;
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM m.t"), "1") << "nothing was loaded";
  ExpectSlavesEqual("m", {"t"});
}

}  // namespace
}  // namespace ddb::testing
