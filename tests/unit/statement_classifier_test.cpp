#include "ddb/sql/statement_classifier.h"

#include <gtest/gtest.h>

#include <string>

namespace ddb {
namespace {

// The kind's name, so a failure prints "read" vs "ddl" and the statement.
std::string KindOf(std::string_view sql) { return StatementKindName(ClassifyStatement(sql).kind); }

bool AllowedOnSlave(std::string_view sql) { return IsAllowedOnReadOnlyConsole(ClassifyStatement(sql)); }

TEST(StatementClassifierTest, KindNames) {
  EXPECT_STREQ(StatementKindName(StatementKind::kEmpty), "empty");
  EXPECT_STREQ(StatementKindName(StatementKind::kRead), "read");
  EXPECT_STREQ(StatementKindName(StatementKind::kDml), "dml");
  EXPECT_STREQ(StatementKindName(StatementKind::kDdl), "ddl");
  EXPECT_STREQ(StatementKindName(StatementKind::kBegin), "begin");
  EXPECT_STREQ(StatementKindName(StatementKind::kCommit), "commit");
  EXPECT_STREQ(StatementKindName(StatementKind::kRollback), "rollback");
  EXPECT_STREQ(StatementKindName(StatementKind::kSavepoint), "savepoint");
  EXPECT_STREQ(StatementKindName(StatementKind::kUse), "use");
  EXPECT_STREQ(StatementKindName(StatementKind::kSet), "set");
  EXPECT_STREQ(StatementKindName(StatementKind::kLockTables), "lock_tables");
  EXPECT_STREQ(StatementKindName(StatementKind::kAdmin), "admin");
  EXPECT_STREQ(StatementKindName(StatementKind::kUnknown), "unknown");
}

// --- empty ---------------------------------------------------------------

TEST(StatementClassifierTest, BlankAndCommentOnlyTextIsEmpty) {
  EXPECT_EQ(KindOf(""), "empty");
  EXPECT_EQ(KindOf("  \n\t "), "empty");
  EXPECT_EQ(KindOf("-- just a comment"), "empty");
  EXPECT_EQ(KindOf("# hash\n/* block */"), "empty");
  EXPECT_EQ(KindOf(";"), "empty");
  EXPECT_EQ(KindOf("/*!40101 */"), "empty");
}

// --- reads ---------------------------------------------------------------

TEST(StatementClassifierTest, SelectShowDescribeExplainHelpAreReads) {
  for (const char* sql :
       {"SELECT 1", "SHOW TABLES", "SHOW CREATE TABLE t", "DESCRIBE t", "DESC t", "EXPLAIN SELECT * FROM t",
        "EXPLAIN t", "EXPLAIN FORMAT=JSON SELECT 1", "EXPLAIN EXTENDED SELECT 1", "EXPLAIN DELETE FROM t",
        "HELP 'select'", "VALUES (1), (2)", "TABLE t", "SELECT * FROM t FOR UPDATE",
        "SELECT * FROM t LOCK IN SHARE MODE"}) {
    EXPECT_EQ(KindOf(sql), "read") << sql;
  }
}

TEST(StatementClassifierTest, KeywordsAreCaseInsensitive) {
  EXPECT_EQ(KindOf("select 1"), "read");
  EXPECT_EQ(KindOf("SeLeCt 1"), "read");
  EXPECT_EQ(KindOf("dRoP table t"), "ddl");
  EXPECT_EQ(ClassifyStatement("insert into t values (1)").verb, "INSERT");
}

TEST(StatementClassifierTest, LeadingWhitespaceAndCommentsAreSkipped) {
  EXPECT_EQ(KindOf("\n\t  SELECT 1"), "read");
  EXPECT_EQ(KindOf("-- note\n# more\n/* and more */ DELETE FROM t"), "dml");
  EXPECT_EQ(KindOf("/* SELECT */ DROP TABLE t"), "ddl");
  EXPECT_EQ(KindOf("-- DROP TABLE t\nSELECT 1"), "read");
}

TEST(StatementClassifierTest, ParenthesizedSelectIsRead) {
  EXPECT_EQ(KindOf("(SELECT 1) UNION (SELECT 2)"), "read");
  EXPECT_EQ(KindOf("((SELECT a FROM t))"), "read");
  EXPECT_EQ(ClassifyStatement("(SELECT 1)").verb, "SELECT");
  EXPECT_EQ(KindOf("(1)"), "unknown");
}

TEST(StatementClassifierTest, SelectIntoVariableIsReadButIntoFileIsAdmin) {
  EXPECT_EQ(KindOf("SELECT a INTO @x FROM t"), "read");
  EXPECT_EQ(KindOf("SELECT * FROM t INTO OUTFILE '/tmp/x'"), "admin");
  EXPECT_EQ(KindOf("SELECT a INTO DUMPFILE '/tmp/x' FROM t"), "admin");
  EXPECT_EQ(KindOf("(SELECT 1) INTO OUTFILE '/tmp/x'"), "admin");
  EXPECT_EQ(KindOf("TABLE t INTO OUTFILE '/tmp/x'"), "admin");
  EXPECT_FALSE(AllowedOnSlave("SELECT 1 INTO OUTFILE '/tmp/x'"));
}

TEST(StatementClassifierTest, IntoOutfileInsideAStringIsNotAFileWrite) {
  EXPECT_EQ(KindOf("SELECT 'INTO OUTFILE x'"), "read");
}

TEST(StatementClassifierTest, CteFollowedBySelectIsRead) {
  EXPECT_EQ(KindOf("WITH c AS (SELECT 1) SELECT * FROM c"), "read");
  EXPECT_EQ(KindOf("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n<5) SELECT n FROM c"),
            "read");
  EXPECT_EQ(KindOf("with a as (select 1), `b` as (select (2)) select * from a, b"), "read");
  EXPECT_EQ(KindOf("WITH c AS (SELECT 1) (SELECT * FROM c)"), "read");
  EXPECT_EQ(ClassifyStatement("WITH c AS (SELECT 1) SELECT 1").verb, "WITH");
}

TEST(StatementClassifierTest, CteFollowedByWriteIsDml) {
  EXPECT_EQ(KindOf("WITH c AS (SELECT id FROM t) UPDATE t SET a=1 WHERE id IN (SELECT id FROM c)"), "dml");
  EXPECT_EQ(KindOf("WITH c AS (SELECT 1) DELETE FROM t"), "dml");
  EXPECT_EQ(KindOf("WITH c AS (SELECT 1) INSERT INTO t SELECT * FROM c"), "dml");
  EXPECT_EQ(KindOf("WITH c AS (SELECT ')' FROM t) DELETE FROM t"), "dml");  // ')' in a string is not a paren
  EXPECT_EQ(KindOf("WITH c AS (SELECT 1) SELECT 1 INTO OUTFILE 'f'"), "admin");
}

TEST(StatementClassifierTest, MalformedCteIsUnknown) {
  EXPECT_EQ(KindOf("WITH"), "unknown");
  EXPECT_EQ(KindOf("WITH c AS SELECT 1"), "unknown");
  EXPECT_EQ(KindOf("WITH c AS (SELECT 1)"), "unknown");
}

TEST(StatementClassifierTest, MariaDbAnalyzeStatementRunsIt) {
  EXPECT_EQ(KindOf("ANALYZE SELECT * FROM t"), "read");
  EXPECT_EQ(KindOf("ANALYZE FORMAT=JSON SELECT * FROM t"), "read");
  EXPECT_EQ(KindOf("ANALYZE DELETE FROM t"), "dml");
  EXPECT_EQ(KindOf("ANALYZE UPDATE t SET a=1"), "dml");
  EXPECT_EQ(ClassifyStatement("ANALYZE SELECT 1").verb, "ANALYZE");
}

TEST(StatementClassifierTest, AnalyzeTableIsAdmin) {
  EXPECT_EQ(KindOf("ANALYZE TABLE t"), "admin");
  EXPECT_EQ(KindOf("ANALYZE NO_WRITE_TO_BINLOG TABLE t"), "admin");
  EXPECT_EQ(KindOf("ANALYZE LOCAL TABLE t"), "admin");
  EXPECT_EQ(KindOf("ANALYZE"), "admin");
}

TEST(StatementClassifierTest, MySqlExplainAnalyzeOfAWriteIsThatWrite) {
  EXPECT_EQ(KindOf("EXPLAIN ANALYZE SELECT 1"), "read");
  EXPECT_EQ(KindOf("EXPLAIN ANALYZE DELETE FROM t"), "dml");
  EXPECT_EQ(KindOf("EXPLAIN FORMAT=TREE ANALYZE UPDATE t SET a=1"), "dml");
}

// --- dml -----------------------------------------------------------------

TEST(StatementClassifierTest, DataChangesAreDml) {
  for (const char* sql :
       {"INSERT INTO t VALUES (1)", "UPDATE t SET a=1", "DELETE FROM t", "REPLACE INTO t VALUES (1)",
        "LOAD DATA INFILE 'f' INTO TABLE t", "LOAD DATA LOCAL INFILE 'f' INTO TABLE t",
        "LOAD XML INFILE 'f' INTO TABLE t", "CALL p()", "INSERT INTO t SELECT * FROM u",
        "BEGIN NOT ATOMIC SELECT 1; END", "IF 1 THEN DELETE FROM t; END IF"}) {
    EXPECT_EQ(KindOf(sql), "dml") << sql;
  }
}

TEST(StatementClassifierTest, LoadIndexIsAdmin) { EXPECT_EQ(KindOf("LOAD INDEX INTO CACHE t"), "admin"); }

// --- ddl -----------------------------------------------------------------

TEST(StatementClassifierTest, SchemaAndAccountChangesAreDdl) {
  for (const char* sql :
       {"CREATE TABLE t (a INT)", "DROP TABLE t", "ALTER TABLE t ADD b INT", "TRUNCATE t", "TRUNCATE TABLE t",
        "RENAME TABLE a TO b", "GRANT SELECT ON *.* TO u", "REVOKE ALL ON db.* FROM u",
        "CREATE TABLE t2 AS SELECT * FROM t", "CREATE TABLE t2 SELECT 1",
        "SET PASSWORD FOR u = PASSWORD('x')", "SET DEFAULT ROLE r TO u"}) {
    EXPECT_EQ(KindOf(sql), "ddl") << sql;
  }
}

TEST(StatementClassifierTest, DdlObjectWord) {
  EXPECT_EQ(ClassifyStatement("CREATE TABLE t (a INT)").object, "TABLE");
  EXPECT_EQ(ClassifyStatement("create database shop").object, "DATABASE");
  EXPECT_EQ(ClassifyStatement("DROP SCHEMA IF EXISTS s").object, "SCHEMA");
  EXPECT_EQ(ClassifyStatement("CREATE UNIQUE INDEX i ON t (a)").object, "INDEX");
  EXPECT_EQ(ClassifyStatement("CREATE OR REPLACE VIEW v AS SELECT 1").object, "VIEW");
  EXPECT_EQ(ClassifyStatement("CREATE ALGORITHM=MERGE DEFINER='root'@'localhost' SQL SECURITY INVOKER "
                              "VIEW v AS SELECT 1")
                .object,
            "VIEW");
  EXPECT_EQ(ClassifyStatement("CREATE DEFINER=CURRENT_USER() PROCEDURE p() SELECT 1").object, "PROCEDURE");
  EXPECT_EQ(
      ClassifyStatement("CREATE DEFINER=`a`@`%` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x=1").object,
      "TRIGGER");
  EXPECT_EQ(ClassifyStatement("CREATE USER 'u'@'%'").object, "USER");
  EXPECT_EQ(ClassifyStatement("ALTER ONLINE IGNORE TABLE t ADD c INT").object, "TABLE");
  EXPECT_EQ(ClassifyStatement("RENAME TABLES a TO b").object, "TABLE");
  EXPECT_EQ(ClassifyStatement("TRUNCATE t").object, "TABLE");
  EXPECT_EQ(ClassifyStatement("CREATE AGGREGATE FUNCTION f() RETURNS INT RETURN 1").object, "FUNCTION");
  EXPECT_EQ(ClassifyStatement("GRANT SELECT ON t TO u").object, "");
  EXPECT_EQ(ClassifyStatement("CREATE TABLE t (a INT)").verb, "CREATE");
}

TEST(StatementClassifierTest, TemporaryTables) {
  const StatementInfo create = ClassifyStatement("CREATE TEMPORARY TABLE tmp (a INT)");
  EXPECT_EQ(create.kind, StatementKind::kDdl);
  EXPECT_EQ(create.object, "TABLE");
  EXPECT_TRUE(create.is_temporary);
  const StatementInfo drop = ClassifyStatement("drop temporary table if exists tmp");
  EXPECT_EQ(drop.object, "TABLE");
  EXPECT_TRUE(drop.is_temporary);
  EXPECT_TRUE(ClassifyStatement("CREATE OR REPLACE TEMPORARY TABLE x SELECT 1").is_temporary);
  EXPECT_FALSE(ClassifyStatement("CREATE TABLE t (a INT)").is_temporary);
}

TEST(StatementClassifierTest, DropPrepareIsNotDdl) { EXPECT_EQ(KindOf("DROP PREPARE s"), "admin"); }

// --- transactions --------------------------------------------------------

TEST(StatementClassifierTest, TransactionStart) {
  for (const char* sql :
       {"BEGIN", "begin work", "START TRANSACTION", "START TRANSACTION READ ONLY",
        "START TRANSACTION READ WRITE", "START TRANSACTION WITH CONSISTENT SNAPSHOT", "BEGIN;"}) {
    EXPECT_EQ(KindOf(sql), "begin") << sql;
  }
  EXPECT_EQ(ClassifyStatement("START TRANSACTION").verb, "START");
}

TEST(StatementClassifierTest, BeginNotAtomicIsACompoundBlockNotATransaction) {
  EXPECT_NE(KindOf("BEGIN NOT ATOMIC INSERT INTO t VALUES (1); END"), "begin");
}

TEST(StatementClassifierTest, StartSlaveIsAdmin) {
  EXPECT_EQ(KindOf("START SLAVE"), "admin");
  EXPECT_EQ(KindOf("STOP SLAVE"), "admin");
}

TEST(StatementClassifierTest, CommitAndRollback) {
  EXPECT_EQ(KindOf("COMMIT"), "commit");
  EXPECT_EQ(KindOf("commit work"), "commit");
  EXPECT_EQ(KindOf("COMMIT AND NO CHAIN"), "commit");
  EXPECT_EQ(KindOf("ROLLBACK"), "rollback");
  EXPECT_EQ(KindOf("ROLLBACK WORK"), "rollback");
}

TEST(StatementClassifierTest, Savepoints) {
  EXPECT_EQ(KindOf("SAVEPOINT s1"), "savepoint");
  EXPECT_EQ(KindOf("ROLLBACK TO s1"), "savepoint");
  EXPECT_EQ(KindOf("ROLLBACK TO SAVEPOINT s1"), "savepoint");
  EXPECT_EQ(KindOf("rollback work to savepoint s1"), "savepoint");
  EXPECT_EQ(KindOf("RELEASE SAVEPOINT s1"), "savepoint");
}

// --- use, set, lock ------------------------------------------------------

TEST(StatementClassifierTest, UseNamesTheDatabaseUnquoted) {
  StatementInfo info = ClassifyStatement("USE shop");
  EXPECT_EQ(info.kind, StatementKind::kUse);
  EXPECT_EQ(info.use_database, "shop");
  EXPECT_EQ(ClassifyStatement("use `my``db`;").use_database, "my`db");
  EXPECT_EQ(ClassifyStatement("USE /* c */ `db 1` -- x").use_database, "db 1");
  EXPECT_EQ(ClassifyStatement("USE").use_database, "");
}

TEST(StatementClassifierTest, SetStatementsAreSet) {
  for (const char* sql : {"SET autocommit=0", "SET NAMES utf8mb4", "SET @x = 1", "SET SESSION sql_mode=''",
                          "SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "SET GLOBAL max_connections=10",
                          "SET @@global.max_connections=10", "SET CHARACTER SET utf8", "SET ROLE r"}) {
    EXPECT_EQ(KindOf(sql), "set") << sql;
  }
}

TEST(StatementClassifierTest, SetScopeBeyondTheSession) {
  EXPECT_FALSE(ClassifyStatement("SET autocommit=0").sets_global_state);
  EXPECT_FALSE(ClassifyStatement("SET @@session.sql_mode=''").sets_global_state);
  EXPECT_FALSE(ClassifyStatement("SET @global = 1").sets_global_state);
  EXPECT_FALSE(ClassifyStatement("SET @x = (SELECT @@global.max_connections)").sets_global_state);
  EXPECT_TRUE(ClassifyStatement("SET GLOBAL max_connections=10").sets_global_state);
  EXPECT_TRUE(ClassifyStatement("set persist max_connections=10").sets_global_state);
  EXPECT_TRUE(ClassifyStatement("SET PERSIST_ONLY max_connections=10").sets_global_state);
  EXPECT_TRUE(ClassifyStatement("SET @@GLOBAL.read_only=0").sets_global_state);
  EXPECT_TRUE(ClassifyStatement("SET @a = 1, GLOBAL read_only = 0").sets_global_state);
  EXPECT_TRUE(ClassifyStatement("SET GLOBAL TRANSACTION ISOLATION LEVEL SERIALIZABLE").sets_global_state);
}

TEST(StatementClassifierTest, MariaDbSetStatementForIsTheInnerStatement) {
  EXPECT_EQ(KindOf("SET STATEMENT max_statement_time=1 FOR DELETE FROM t"), "dml");
  EXPECT_EQ(KindOf("SET STATEMENT a=1, b=(2) FOR SELECT 1"), "read");
  EXPECT_EQ(KindOf("SET STATEMENT a=1 FOR"), "unknown");
  EXPECT_FALSE(AllowedOnSlave("SET STATEMENT max_statement_time=1 FOR DROP TABLE t"));
}

TEST(StatementClassifierTest, LockAndUnlockTables) {
  EXPECT_EQ(KindOf("LOCK TABLES t READ"), "lock_tables");
  EXPECT_EQ(KindOf("lock table t write"), "lock_tables");
  EXPECT_EQ(KindOf("UNLOCK TABLES"), "lock_tables");
  EXPECT_EQ(KindOf("UNLOCK TABLE"), "lock_tables");
  EXPECT_EQ(KindOf("LOCK INSTANCE FOR BACKUP"), "admin");
}

// --- admin, unknown ------------------------------------------------------

TEST(StatementClassifierTest, AdministrativeStatements) {
  for (const char* sql :
       {"FLUSH PRIVILEGES", "OPTIMIZE TABLE t", "CHECK TABLE t", "REPAIR TABLE t", "KILL 12",
        "PURGE BINARY LOGS TO 'x'", "RESET MASTER", "INSTALL PLUGIN p SONAME 'p.so'", "UNINSTALL PLUGIN p",
        "DO SLEEP(1)", "HANDLER t OPEN", "XA START 'x'", "PREPARE s FROM 'DELETE FROM t'", "EXECUTE s",
        "DEALLOCATE PREPARE s", "CHECKSUM TABLE t", "CHANGE MASTER TO MASTER_HOST='h'", "SHUTDOWN"}) {
    EXPECT_EQ(KindOf(sql), "admin") << sql;
  }
}

TEST(StatementClassifierTest, UnknownFirstWords) {
  EXPECT_EQ(KindOf("FROBNICATE t"), "unknown");
  EXPECT_EQ(KindOf("'SELECT'"), "unknown");
  EXPECT_EQ(KindOf("`SELECT` 1"), "unknown");
  EXPECT_EQ(KindOf("42"), "unknown");
  EXPECT_EQ(KindOf("BEGIN TRANSACTION"), "unknown");
  EXPECT_EQ(ClassifyStatement("frobnicate").verb, "FROBNICATE");
}

// --- executable comments -------------------------------------------------

TEST(StatementClassifierTest, ExecutableCommentContentsDecideTheKind) {
  EXPECT_EQ(KindOf("/*!40101 DROP TABLE t */"), "ddl");
  EXPECT_EQ(KindOf("/*! DROP TABLE t */"), "ddl");
  EXPECT_EQ(KindOf("/*!40101 SET @saved_cs_client = @@character_set_client */;"), "set");
  EXPECT_EQ(
      KindOf("/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr BEFORE INSERT ON t "
             "FOR EACH ROW SET NEW.a = 1 */"),
      "ddl");
}

TEST(StatementClassifierTest, MariaDbExecutableCommentsDecideTheKind) {
  EXPECT_EQ(KindOf("/*M!100100 DELETE FROM t */"), "dml");
  EXPECT_EQ(KindOf("/*M! DROP DATABASE d */"), "ddl");
  EXPECT_EQ(ClassifyStatement("/*M!100100 DROP DATABASE d */").object, "DATABASE");
}

TEST(StatementClassifierTest, ExecutableCommentInsideASelectCanAddAWrite) {
  const StatementInfo info = ClassifyStatement("SELECT 1 /*!; DROP TABLE t */");
  EXPECT_EQ(info.kind, StatementKind::kRead);
  EXPECT_TRUE(info.has_multiple_statements);
  EXPECT_FALSE(IsAllowedOnReadOnlyConsole(info));
  EXPECT_EQ(KindOf("SELECT 1 /*!50100 INTO OUTFILE '/tmp/x' */"), "admin");
}

TEST(StatementClassifierTest, PlainCommentsHideTheirContents) {
  const StatementInfo info = ClassifyStatement("SELECT 1 /* ; DROP TABLE t */ -- ; DROP TABLE u\n# ; DELETE");
  EXPECT_EQ(info.kind, StatementKind::kRead);
  EXPECT_FALSE(info.has_multiple_statements);
  EXPECT_TRUE(IsAllowedOnReadOnlyConsole(info));
}

TEST(StatementClassifierTest, UnterminatedQuotesAndCommentsAreIncomplete) {
  for (const char* sql : {"SELECT 'abc", "SELECT \"abc", "SELECT `abc", "SELECT 1 /* open",
                          "/*!50100 DROP TABLE t", "SELECT 'a\\'"}) {
    EXPECT_TRUE(ClassifyStatement(sql).incomplete) << sql;
    EXPECT_FALSE(AllowedOnSlave(sql)) << sql;
  }
  EXPECT_EQ(KindOf("/*!50100 DROP TABLE t"), "ddl");
  EXPECT_FALSE(ClassifyStatement("SELECT 'abc'").incomplete);
}

// --- the read-only guard -------------------------------------------------

TEST(StatementClassifierTest, ReadOnlyConsoleAllowsReadsUseAndSessionSet) {
  for (const char* sql : {"SELECT 1", "", "-- hi", "USE db", "SET autocommit=0", "SET @x=1", "SHOW DATABASES",
                          "WITH c AS (SELECT 1) SELECT * FROM c", "SET NAMES utf8", "EXPLAIN DELETE FROM t",
                          "SELECT * FROM t FOR UPDATE"}) {
    EXPECT_TRUE(AllowedOnSlave(sql)) << sql;
  }
}

TEST(StatementClassifierTest, ReadOnlyConsoleRefusesEverythingElse) {
  for (const char* sql : {"INSERT INTO t VALUES (1)",
                          "DROP TABLE t",
                          "/*!40101 DROP TABLE t */",
                          "SET GLOBAL read_only=0",
                          "SET @@global.read_only=0",
                          "BEGIN",
                          "COMMIT",
                          "ROLLBACK",
                          "SAVEPOINT s",
                          "LOCK TABLES t READ",
                          "FLUSH TABLES",
                          "FROBNICATE",
                          "WITH c AS (SELECT 1) DELETE FROM t",
                          "ANALYZE DELETE FROM t",
                          "CALL p()",
                          "SET PASSWORD = 'x'",
                          "SELECT 1; SELECT 2",
                          "LOAD DATA INFILE 'f' INTO TABLE t",
                          "DO 1",
                          "SELECT 1 INTO DUMPFILE 'f'",
                          "REPLACE t VALUES (1)",
                          "/*M!100100 UPDATE t SET a=1 */",
                          "  uPdAtE t SET a=1",
                          "(SELECT 1) INTO OUTFILE 'f'"}) {
    EXPECT_FALSE(AllowedOnSlave(sql)) << sql;
  }
}

}  // namespace
}  // namespace ddb
