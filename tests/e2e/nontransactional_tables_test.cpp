// A table whose engine cannot roll back (here MyISAM, made behind ddb's back
// as an adopted or seeded table would be) is never written through ddb: the
// write (or a program that would write it) is refused with the ALTER that
// converts it, nothing changes on any node, and after the conversion the
// same writes replicate.
#include "mysql_endpoint_fixture.h"

namespace ddb::testing {
namespace {

TEST_F(MySqlEndpointTest, WritesToANonTransactionalTableAreRefusedUntilItIsConverted) {
  const ProgramRun made = Endpoint("CREATE DATABASE legacy;\n");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(std::chrono::seconds(60)));
  for (MariaDbInstance* db : {&cluster_->master_db(), &cluster_->slave_db(0), &cluster_->slave_db(1)}) {
    db->Execute("CREATE TABLE legacy.notes (id INT PRIMARY KEY, v INT) ENGINE=MyISAM");
    db->Execute("INSERT INTO legacy.notes VALUES (1, 10)");
  }
  for (const std::string sql :
       {"BEGIN;\nINSERT INTO legacy.notes VALUES (2, 20);\nROLLBACK;\n",
        "USE legacy;\nUPDATE notes SET v = 11;\n", "USE legacy;\nDELETE n FROM notes AS n WHERE id = 1;\n",
        "INSERT INTO legacy.notes VALUES (3, 30), (1, 10);\n",
        "WITH k AS (SELECT 1 AS id) UPDATE legacy.notes JOIN k USING (id) SET v = 12;\n"}) {
    const ProgramRun refused = Endpoint(sql);
    EXPECT_NE(refused.exit_code, 0) << sql;
    EXPECT_NE(refused.output.find("`legacy`.`notes` is a MyISAM table"), std::string::npos) << refused.output;
    EXPECT_NE(refused.output.find("ALTER TABLE `legacy`.`notes` ENGINE=InnoDB"), std::string::npos)
        << refused.output;
  }
  // Reached through a view, a trigger of an InnoDB table or a procedure, all
  // made behind ddb's back like the table: refused the same way.
  for (MariaDbInstance* db : {&cluster_->master_db(), &cluster_->slave_db(0), &cluster_->slave_db(1)}) {
    db->Execute("CREATE VIEW legacy.recent AS SELECT * FROM legacy.notes");
    db->Execute("CREATE TABLE legacy.orders2 (id INT PRIMARY KEY) ENGINE=InnoDB");
    db->Execute(
        "CREATE TRIGGER legacy.log_order AFTER INSERT ON legacy.orders2 FOR EACH ROW INSERT INTO "
        "legacy.notes VALUES (NEW.id, 0)");
    db->Execute("CREATE PROCEDURE legacy.add_note(i INT) INSERT INTO legacy.notes VALUES (i, 0)");
  }
  for (const std::string sql : {"BEGIN;\nINSERT INTO legacy.recent VALUES (5, 50);\nROLLBACK;\n",
                                "BEGIN;\nINSERT INTO legacy.orders2 VALUES (6);\nROLLBACK;\n",
                                "BEGIN;\nCALL legacy.add_note(7);\nROLLBACK;\n"}) {
    const ProgramRun refused = Endpoint(sql);
    EXPECT_NE(refused.exit_code, 0) << sql;
    EXPECT_NE(refused.output.find("`legacy`.`notes` is a MyISAM table (written through"), std::string::npos)
        << refused.output;
  }
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT GROUP_CONCAT(id, ':', v ORDER BY id) FROM legacy.notes"),
            "1:10");
  // A program that would write it inside the calling statement's transaction.
  const ProgramRun trigger = Endpoint(
      "CREATE TABLE legacy.orders (id INT PRIMARY KEY);\n"
      "CREATE TRIGGER legacy.note_order AFTER INSERT ON legacy.orders FOR EACH ROW "
      "INSERT INTO notes VALUES (NEW.id, 0);\n");
  EXPECT_NE(trigger.exit_code, 0);
  EXPECT_NE(trigger.output.find("its body writes `legacy`.`notes`, whose engine is MyISAM"),
            std::string::npos)
      << trigger.output;
  EXPECT_EQ(cluster_->master_db().QueryValue(
                "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_NAME = 'note_order'"),
            "0");

  const ProgramRun converted = Endpoint(
      "ALTER TABLE legacy.notes ENGINE=InnoDB;\n"
      "BEGIN;\nINSERT INTO legacy.notes VALUES (2, 20);\nROLLBACK;\n"
      "INSERT INTO legacy.notes VALUES (3, 30);\nINSERT INTO legacy.recent VALUES (4, 40);\n"
      "INSERT INTO legacy.orders2 VALUES (5);\nCALL legacy.add_note(6);\nUPDATE legacy.notes SET v = v + "
      "1;\n");
  ASSERT_EQ(converted.exit_code, 0) << converted.output;
  ExpectSlavesEqual("legacy", {"notes", "orders2"});
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT GROUP_CONCAT(id, ':', v ORDER BY id) FROM legacy.notes"),
            "1:11,3:31,4:41,5:1,6:1");
  EXPECT_EQ(cluster_->slave_db(1).QueryValue("SELECT ENGINE FROM information_schema.TABLES WHERE "
                                             "TABLE_SCHEMA = 'legacy' AND TABLE_NAME = 'notes'"),
            "InnoDB");
}

// Programs made behind ddb's back (before it, or on a seed's source) were
// never checked at their CREATE: a statement that reaches one is refused
// when ddb would have refused the program, and nothing changes anywhere.
TEST_F(MySqlEndpointTest, ProgramsMadeBehindDdlsBackAreCheckedWhereAStatementReachesThem) {
  const ProgramRun made = Endpoint(
      "CREATE DATABASE legacy;\nCREATE TABLE legacy.tags (t VARCHAR(64));\n"
      "CREATE TABLE legacy.orders (id INT PRIMARY KEY);\n"
      "CREATE TABLE legacy.events (n INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20));\n");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(std::chrono::seconds(60)));
  for (MariaDbInstance* db : {&cluster_->master_db(), &cluster_->slave_db(0), &cluster_->slave_db(1)}) {
    db->Execute("CREATE PROCEDURE legacy.tag() INSERT INTO legacy.tags VALUES (UUID())");
    db->Execute("CREATE PROCEDURE legacy.tag_twice() BEGIN CALL legacy.tag(); CALL legacy.tag(); END");
    db->Execute(
        "CREATE TRIGGER legacy.order_event AFTER INSERT ON legacy.orders FOR EACH ROW INSERT INTO "
        "legacy.events "
        "(what) VALUES ('order')");
  }
  const ProgramRun fired = Endpoint("INSERT INTO legacy.orders VALUES (1);\n");
  EXPECT_NE(fired.exit_code, 0);
  EXPECT_NE(fired.output.find("`legacy`.`events` (reached through trigger `legacy`.`order_event`) has an "
                              "AUTO_INCREMENT column, n,"),
            std::string::npos)
      << fired.output;
  const ProgramRun refused = Endpoint("CALL legacy.tag_twice();\n");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("procedure `legacy`.`tag` (reached through procedure `legacy`.`tag_twice`) "
                                "cannot be replayed: the body is unsafe for replication: UUID()"),
            std::string::npos)
      << refused.output;
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM legacy.tags"), "0");
  EXPECT_EQ(cluster_->master_db().QueryValue("SELECT COUNT(*) FROM legacy.events"), "0");
  // Re-created through ddb, it is refused at its CREATE; written safely, it replicates.
  const ProgramRun again = Endpoint(
      "DROP PROCEDURE legacy.tag;\nCREATE PROCEDURE legacy.tag() INSERT INTO "
      "legacy.tags VALUES (UUID());\n");
  EXPECT_NE(again.output.find("UUID()"), std::string::npos) << again.output;
  const ProgramRun safe = Endpoint(
      "CREATE PROCEDURE legacy.tag() INSERT INTO legacy.tags VALUES ('fixed');\nCALL legacy.tag_twice();\n");
  ASSERT_EQ(safe.exit_code, 0) << safe.output;
  ExpectSlavesEqual("legacy", {"tags"});
  EXPECT_EQ(cluster_->slave_db(0).QueryValue("SELECT COUNT(*) FROM legacy.tags"), "2");
}

}  // namespace
}  // namespace ddb::testing
