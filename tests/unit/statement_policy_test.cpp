#include "statement_policy.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

std::string Refusal(const std::string& sql) { return RefusalFor(ParseStatement(sql)); }

// Each case: a statement and a word its refusal must contain, or "" when
// the master may run it.
struct PolicyCase {
  const char* sql;
  const char* refusal_mentions;
};

class StatementPolicyTest : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(StatementPolicyTest, AllowsOrRefusesWithTheReason) {
  const PolicyCase& c = GetParam();
  const std::string refusal = Refusal(c.sql);
  if (std::string(c.refusal_mentions).empty()) {
    EXPECT_EQ(refusal, "") << c.sql;
  } else {
    EXPECT_NE(refusal.find(c.refusal_mentions), std::string::npos) << c.sql << " -> " << refusal;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StatementPolicyTest,
    ::testing::Values(
        // Reads and ordinary writes go on.
        PolicyCase{"SELECT @@port", ""}, PolicyCase{"INSERT INTO t VALUES (1, NOW())", ""},
        PolicyCase{"UPDATE t SET v = @@session.sql_mode", ""}, PolicyCase{"SET @x = @@port", ""},
        PolicyCase{"INSERT INTO t SELECT @@timestamp", ""},
        // Maintenance that acts on this server only.
        PolicyCase{"ANALYZE TABLE t", ""}, PolicyCase{"OPTIMIZE TABLE t", ""}, PolicyCase{"FLUSH TABLES", ""},
        PolicyCase{"CHECK TABLE t", ""}, PolicyCase{"KILL QUERY 12", ""}, PolicyCase{"HANDLER t OPEN", ""},
        PolicyCase{"DEALLOCATE PREPARE s", ""}, PolicyCase{"RESET QUERY CACHE", ""},
        PolicyCase{"DO SLEEP(0.1)", ""}, PolicyCase{"DO GET_LOCK('x', 1)", ""},
        // What would change data unlogged.
        PolicyCase{"PREPARE s FROM 'INSERT INTO t VALUES (1)'", "PREPARE"},
        PolicyCase{"EXECUTE s", "PREPARE"}, PolicyCase{"XA START 'x'", "XA"},
        PolicyCase{"DO my_writer(1)", ""}, PolicyCase{"LOAD DATA INFILE '/tmp/x' INTO TABLE t", "LOAD DATA"},
        PolicyCase{"LOAD DATA LOCAL INFILE 'x' INTO TABLE t", ""},
        PolicyCase{"LOAD DATA CONCURRENT LOCAL INFILE 'x' REPLACE INTO TABLE t", ""},
        PolicyCase{"LOAD XML LOCAL INFILE 'x' INTO TABLE t", ""},
        PolicyCase{"LOAD XML INFILE 'x' INTO TABLE t", "LOAD DATA without LOCAL"},
        PolicyCase{"LOAD DATA LOCAL INFILE 'x' INTO TABLE t (a) SET b = @@hostname", "@@hostname"},
        PolicyCase{"INSERT INTO t VALUES (@@port)", "@@port"},
        PolicyCase{"INSERT INTO t VALUES (@@global.time_zone)", "@@global.time_zone"},
        PolicyCase{"UPDATE t SET host = @@GLOBAL.hostname", "@@hostname"},
        PolicyCase{"CREATE TABLE t AS SELECT @@server_id AS id", "@@server_id"},
        PolicyCase{"CREATE TABLE t (a INT) ENGINE=MyISAM", "MYISAM"},
        PolicyCase{"create table t (a int) engine = memory", "MEMORY"},
        PolicyCase{"ALTER TABLE t ENGINE = Aria", "ARIA"},
        PolicyCase{"CREATE TABLE t (a INT) ENGINE=InnoDB", ""},
        PolicyCase{"SET default_storage_engine = MyISAM", "MYISAM"},
        PolicyCase{"SET SESSION default_storage_engine = InnoDB", ""},
        PolicyCase{"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", "REPEATABLE READ"},
        PolicyCase{"SET GLOBAL TRANSACTION ISOLATION LEVEL READ UNCOMMITTED", "REPEATABLE READ"},
        PolicyCase{"SET @@transaction_isolation = 'READ-COMMITTED'", "REPEATABLE READ"},
        PolicyCase{"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", ""},
        PolicyCase{"CREATE EVENT e ON SCHEDULE EVERY 1 SECOND DO INSERT INTO t VALUES (1)", "events"},
        PolicyCase{"DROP EVENT e", ""},
        PolicyCase{"CREATE VIEW v AS SELECT id, shop.price_of(id) FROM t", "calls a stored function"},
        PolicyCase{"CREATE OR REPLACE VIEW v (a, b) AS SELECT `f`(1), 2", "calls a stored function"},
        PolicyCase{"ALTER VIEW v AS SELECT f (id) FROM t", "calls a stored function"},
        PolicyCase{"CREATE VIEW v (a, b) AS SELECT id, UPPER(name) FROM t WHERE id IN (SELECT id FROM u)",
                   ""},
        PolicyCase{"DROP VIEW v", ""},
        PolicyCase{"CREATE PROCEDURE p() BEGIN PREPARE s FROM 'DELETE FROM t'; EXECUTE s; END", "PREPARE"},
        PolicyCase{"BEGIN NOT ATOMIC XA START 'x'; END", "XA"},
        PolicyCase{"CREATE PROCEDURE p() CREATE TEMPORARY TABLE scratch (id INT)", "TEMPORARY table"},
        PolicyCase{
            "CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW CREATE OR REPLACE TEMPORARY TABLE x (i INT)",
            "TEMPORARY table"},
        PolicyCase{"BEGIN NOT ATOMIC CREATE TEMPORARY TABLE x (i INT); DROP TEMPORARY TABLE x; END",
                   "TEMPORARY table"},
        PolicyCase{"CREATE PROCEDURE p() DROP TEMPORARY TABLE IF EXISTS scratch", ""},
        PolicyCase{
            "CREATE PROCEDURE p() BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; "
            "END; START TRANSACTION; UPDATE a SET n = n - 1; UPDATE b SET n = n + 1; COMMIT; END",
            "ROLLBACK, which ends the calling statement's transaction"},
        PolicyCase{"CREATE PROCEDURE p() BEGIN INSERT INTO t VALUES (1); COMMIT; END", "runs COMMIT"},
        PolicyCase{"CREATE PROCEDURE p() lbl: BEGIN START TRANSACTION; END", "runs START TRANSACTION"},
        PolicyCase{"CREATE PROCEDURE p() SET autocommit = 1", "runs SET autocommit"},
        PolicyCase{"CREATE PROCEDURE p() BEGIN SAVEPOINT s; DELETE FROM t; END", "runs SAVEPOINT"},
        PolicyCase{"CREATE PROCEDURE p() TRUNCATE TABLE staging", "runs TRUNCATE"},
        PolicyCase{"CREATE PROCEDURE p() INSERT INTO t VALUES (TRUNCATE(1.25, 1))", ""},
        PolicyCase{"CREATE PROCEDURE p() BEGIN DROP TABLE IF EXISTS s; CREATE TABLE s (i INT); END",
                   "runs DROP"},
        PolicyCase{"CREATE OR REPLACE PROCEDURE p() ALTER TABLE t ADD COLUMN c INT", "runs ALTER"},
        PolicyCase{"CREATE PROCEDURE p() LOCK TABLES t WRITE", "runs LOCK TABLES"},
        PolicyCase{"CREATE PROCEDURE p() SELECT * FROM t LOCK IN SHARE MODE", ""},
        PolicyCase{"CREATE PROCEDURE p() ANALYZE TABLE t", "runs ANALYZE"},
        PolicyCase{"CREATE PROCEDURE p() GRANT SELECT ON d.* TO u", "runs GRANT"},
        PolicyCase{"CREATE PROCEDURE p() SET PASSWORD FOR u = PASSWORD('x')", "runs SET PASSWORD"},
        PolicyCase{"BEGIN NOT ATOMIC CREATE TABLE a (i INT); END", "runs CREATE"},
        PolicyCase{"IF 1 THEN COMMIT; END IF", "runs COMMIT"},
        PolicyCase{"CREATE PROCEDURE p() BEGIN INSERT INTO t VALUES (1); END", ""},
        PolicyCase{"GRANT EXECUTE ON PROCEDURE d.p TO u", ""}, PolicyCase{"SHUTDOWN", "SHUTDOWN"},
        PolicyCase{"CREATE PROCEDURE p() SQL SECURITY INVOKER UPDATE t SET who = CURRENT_USER", "INVOKER"},
        PolicyCase{"CREATE DEFINER = CURRENT_USER PROCEDURE p() UPDATE t SET who = CURRENT_USER()", ""},
        PolicyCase{"CREATE TABLE d (id INT) DATA DIRECTORY = '/srv/x'", "DATA DIRECTORY"},
        PolicyCase{"ALTER TABLE d INDEX DIRECTORY '/srv/x'", "INDEX DIRECTORY"},
        PolicyCase{"ALTER TABLE d IMPORT TABLESPACE", "IMPORT TABLESPACE"},
        PolicyCase{"ALTER TABLE d DISCARD TABLESPACE", ""}, PolicyCase{"SELECT NEXTVAL(s)", "sequence"},
        PolicyCase{"DO SETVAL(s, 9)", "sequence"}, PolicyCase{"SET @id = NEXT VALUE FOR s", "sequence"},
        PolicyCase{"DO 1", ""}, PolicyCase{"SELECT NEXT VALUE FOR s, 1", "sequence"},
        PolicyCase{"SELECT SETVAL(s, 5)", "sequence"}, PolicyCase{"SELECT LASTVAL(s)", ""},
        PolicyCase{"SELECT next FROM t", ""}, PolicyCase{"BINLOG 'abc'", "BINLOG"},
        PolicyCase{"CHANGE MASTER TO MASTER_HOST = 'x'", "replication"},
        PolicyCase{"START SLAVE", "replication"}, PolicyCase{"INSTALL SONAME 'ha_blackhole'", "plugins"},
        PolicyCase{"SET STATEMENT sql_mode = 'ANSI_QUOTES' FOR SELECT 1", "sql_mode"},
        PolicyCase{"CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u', PASSWORD 'p')",
                   "plain text"},
        PolicyCase{"DROP SERVER s", ""},
        PolicyCase{"SET STATEMENT max_statement_time = 1 FOR UPDATE t SET a = 1", ""}));

TEST(StatementPolicyTest, StoredFunctionCallsAreToldFromBuiltIns) {
  EXPECT_TRUE(CallsStoredFunction("SELECT my_writer(1)"));
  EXPECT_TRUE(CallsStoredFunction("SELECT my_writer (1)"));
  EXPECT_TRUE(CallsStoredFunction("SELECT d.f()"));
  EXPECT_TRUE(CallsStoredFunction("SELECT `count`(1)"));
  EXPECT_TRUE(CallsStoredFunction("DO app.audit('x')"));
  EXPECT_FALSE(
      CallsStoredFunction("SELECT COUNT(*), NOW(), CONCAT(a, 'x'), IF(a, 1, 2) FROM t WHERE id IN (1, 2)"));
  EXPECT_FALSE(CallsStoredFunction("SELECT * FROM t JOIN u USING (id) WHERE EXISTS (SELECT 1)"));
  EXPECT_FALSE(CallsStoredFunction("SELECT mariadb_schema.substr('abc', 2)"));
  EXPECT_FALSE(CallsStoredFunction("SELECT ROW_NUMBER() OVER (PARTITION BY a ORDER BY b) FROM t"));
  EXPECT_FALSE(CallsStoredFunction("SELECT * FROM (SELECT 1) AS x (a)"));
  EXPECT_FALSE(CallsStoredFunction("SELECT 'f(1)', \"g(2)\""));
}

TEST(StatementPolicyTest, ATablesColumnListIsNoCall) {
  EXPECT_FALSE(CallsStoredFunction("INSERT t (a) VALUES (1)"));
  EXPECT_FALSE(CallsStoredFunction("INSERT IGNORE t (a) VALUES (1)"));
  EXPECT_FALSE(CallsStoredFunction("REPLACE LOW_PRIORITY t (a) SELECT a FROM u"));
  EXPECT_FALSE(CallsStoredFunction("INSERT INTO shop.t (a) VALUES (1)"));
  EXPECT_FALSE(CallsStoredFunction("INSERT INTO `shop`.`t` (a) VALUES (1)"));
  EXPECT_FALSE(CallsStoredFunction("CREATE TABLE IF NOT EXISTS t (a INT)"));
  EXPECT_TRUE(CallsStoredFunction("INSERT INTO shop.t (a) VALUES (shop.f(1))"));
  EXPECT_TRUE(CallsStoredFunction("INSERT t (a) SELECT f(a) FROM u"));
}

TEST(StatementPolicyModeTest, QuotesAreReadAsTheSessionsSqlModeSays) {
  const std::string ansi = "DELETE FROM \"t\" WHERE v = @@port";
  EXPECT_NE(RefusalFor(ParseStatement(ansi, LexModeFor("ANSI_QUOTES"))), "");
  // Under NO_BACKSLASH_ESCAPES 'a\' ends at its second quote, so @@port is code.
  const std::string raw = "INSERT INTO t VALUES ('a\\', @@port)";
  const LexMode no_escapes = LexModeFor("'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'");
  EXPECT_NE(RefusalFor(ParseStatement(raw, no_escapes)).find("@@port"), std::string::npos);
  EXPECT_EQ(RefusalFor(ParseStatement(raw + "')")), "") << "with escapes it is all one string";
}

}  // namespace
}  // namespace ddb
