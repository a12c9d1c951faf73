#include "ddb/sql/replay_safety.h"

#include <gtest/gtest.h>

#include "ddb/sql/row_order.h"

namespace ddb {
namespace {

TEST(ReplaySafetyTest, PlainWritesAreSafe) {
  const ReplayTraits traits = InspectForReplay("INSERT INTO t (a, b) VALUES (1, NOW())");
  EXPECT_TRUE(traits.unsafe_reason.empty());
  EXPECT_TRUE(traits.user_variables.empty());
  EXPECT_FALSE(traits.uses_rand);
}

TEST(ReplaySafetyTest, UuidIsUnsafeAndTheReasonSaysWhatToDo) {
  const ReplayTraits traits = InspectForReplay("insert into t values (uuid())");
  EXPECT_NE(traits.unsafe_reason.find("UUID()"), std::string::npos);
  EXPECT_NE(traits.unsafe_reason.find("application"), std::string::npos);
}

TEST(ReplaySafetyTest, RandomAndServerLocalBuiltinsAreUnsafe) {
  for (const char* sql :
       {"INSERT INTO t VALUES (SYS_GUID())", "INSERT INTO t VALUES (RANDOM_BYTES(16))",
        "UPDATE t SET h = ENCRYPT('pw')", "INSERT INTO t VALUES (DES_ENCRYPT('x'))",
        "INSERT INTO t SELECT BINLOG_GTID_POS('b', 4)", "INSERT INTO t VALUES (WSREP_LAST_SEEN_GTID())"}) {
    EXPECT_NE(InspectForReplay(sql).unsafe_reason.find("gives a different value"), std::string::npos) << sql;
  }
}

TEST(ReplaySafetyTest, AFullTextSearchIsUnsafeInAWriteButNotInAReadOrADefinition) {
  for (const char* sql : {"DELETE FROM posts WHERE MATCH (body) AGAINST ('spam')",
                          "update t set n = 1 where match(a, b) against ('x' IN BOOLEAN MODE)",
                          "INSERT INTO hits SELECT id FROM posts WHERE MATCH(body) AGAINST ('x')",
                          "CREATE TABLE hits AS SELECT id FROM posts WHERE MATCH(body) AGAINST ('x')"}) {
    EXPECT_NE(InspectForReplay(sql).unsafe_reason.find("full-text index"), std::string::npos) << sql;
  }
  for (const char* sql : {"SELECT id FROM posts WHERE MATCH (body) AGAINST ('x')",
                          "CREATE VIEW v AS SELECT id FROM posts WHERE MATCH (body) AGAINST ('x')",
                          "UPDATE t SET v = 'match (x)' WHERE id = 1",
                          "CREATE TABLE posts (id INT PRIMARY KEY, body TEXT, FULLTEXT (body))"}) {
    EXPECT_EQ(InspectForReplay(sql).unsafe_reason, "") << sql;
  }
}

TEST(ReplaySafetyTest, AVariableNumberingRowsWithoutOrderMayNumberThemOtherwise) {
  for (const char* sql :
       {"UPDATE t SET pos = (@i := @i + 1)", "INSERT INTO r (n, v) SELECT @n := @n + 1, v FROM t",
        "UPDATE t SET pos = @i := @i + 1 WHERE id > 3"}) {
    EXPECT_NE(VariableNumberingReason(Tokenize(sql)).find("ORDER BY on a unique key"), std::string::npos)
        << sql;
  }
  for (const char* sql :
       {"UPDATE t SET pos = (@i := @i + 1) ORDER BY id", "INSERT INTO r VALUES (@n := 1), (@n := @n + 1)",
        "UPDATE t SET pos = @i + 1", "SELECT @i := @i + 1 FROM t", "SET @i := 0"}) {
    EXPECT_EQ(VariableNumberingReason(Tokenize(sql)), "") << sql;
  }
}

TEST(ReplaySafetyTest, RownumIsTheAccessPathsOrder) {
  EXPECT_NE(InspectForReplay("UPDATE t SET n = ROWNUM()").unsafe_reason.find("ROW_NUMBER() OVER"),
            std::string::npos);
  EXPECT_EQ(
      InspectForReplay("INSERT INTO t (v, n) SELECT v, ROW_NUMBER() OVER (ORDER BY id) FROM u ORDER BY id")
          .unsafe_reason,
      "");
}

TEST(ReplaySafetyTest, ATableNumberingASelectsRowsNeedsItsOrder) {
  EXPECT_NE(InspectForReplay("CREATE TABLE n (id INT AUTO_INCREMENT PRIMARY KEY, v INT) SELECT v FROM t")
                .unsafe_reason.find("AUTO_INCREMENT"),
            std::string::npos);
  EXPECT_EQ(InspectForReplay(
                "CREATE TABLE n (id INT AUTO_INCREMENT PRIMARY KEY, v INT) SELECT v FROM t ORDER BY id")
                .unsafe_reason,
            "");
  EXPECT_EQ(InspectForReplay("CREATE TABLE n AS SELECT id, v FROM t").unsafe_reason, "");
  EXPECT_EQ(InspectForReplay("CREATE TABLE n (id INT AUTO_INCREMENT PRIMARY KEY, v INT) SELECT 1 AS v")
                .unsafe_reason,
            "");
  EXPECT_EQ(InspectForReplay("CREATE TABLE n (id INT AUTO_INCREMENT PRIMARY KEY, v INT)").unsafe_reason, "");
}

TEST(ReplaySafetyTest, ADefaultOfTheSessionsDatabaseOrVariableIsUnsafe) {
  EXPECT_NE(InspectForReplay("CREATE TABLE t (id INT, d VARCHAR(64) DEFAULT (DATABASE()))")
                .unsafe_reason.find("DEFAULT (DATABASE())"),
            std::string::npos);
  EXPECT_NE(InspectForReplay("ALTER TABLE t ALTER d SET DEFAULT (schema())").unsafe_reason, "");
  EXPECT_NE(
      InspectForReplay("CREATE TABLE t (id INT, n INT DEFAULT (@n + 1))").unsafe_reason.find("@variable"),
      std::string::npos);
  EXPECT_EQ(InspectForReplay("INSERT INTO t (d) VALUES (DATABASE())").unsafe_reason, "");
  EXPECT_EQ(InspectForReplay("CREATE TABLE t (id INT, d VARCHAR(64) DEFAULT 'database')").unsafe_reason, "");
}

// A trigger's search goes into the write that fires it; a program's or
// block's, into the writes of its body.
TEST(ReplaySafetyTest, AFullTextSearchIsUnsafeInAProgramThatWrites) {
  for (const char* sql :
       {"CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.hits = (SELECT COUNT(*) FROM posts WHERE "
        "MATCH (body) AGAINST (NEW.word))",
        "CREATE DEFINER = `u`@`%` PROCEDURE p() DELETE FROM posts WHERE MATCH (body) AGAINST ('spam')",
        "CREATE FUNCTION f() RETURNS INT BEGIN UPDATE t SET n = (SELECT COUNT(*) FROM posts WHERE MATCH "
        "(body) "
        "AGAINST ('x')); RETURN 1; END",
        "BEGIN NOT ATOMIC INSERT INTO hits SELECT id FROM posts WHERE MATCH (body) AGAINST ('x'); END",
        "IF 1 THEN DELETE FROM posts WHERE MATCH (body) AGAINST ('x'); END IF"}) {
    EXPECT_NE(InspectForReplay(sql).unsafe_reason.find("full-text index"), std::string::npos) << sql;
  }
  for (const char* sql :
       {"CREATE PROCEDURE search(w TEXT) SELECT id FROM posts WHERE MATCH (body) AGAINST (w)",
        "CREATE FUNCTION f(w TEXT) RETURNS TEXT RETURN REPLACE(w, 'a', (SELECT MAX(id) FROM posts WHERE "
        "MATCH "
        "(body) AGAINST (w)))",
        "BEGIN NOT ATOMIC SELECT id FROM posts WHERE MATCH (body) AGAINST ('x'); END"}) {
    EXPECT_EQ(InspectForReplay(sql).unsafe_reason, "") << sql;
  }
}

TEST(ReplaySafetyTest, TheInvokingAccountIsUnsafeInDataButNotWhereItNamesAnAccount) {
  for (const char* sql : {"INSERT INTO t VALUES (CURRENT_USER())", "INSERT INTO t VALUES (CURRENT_USER)",
                          "UPDATE t SET who = current_role()", "CALL p(CURRENT_USER)",
                          "CREATE TABLE t (who VARCHAR(80) DEFAULT (CURRENT_USER()))",
                          "ALTER TABLE t ADD who VARCHAR(80) DEFAULT CURRENT_USER"}) {
    EXPECT_NE(InspectForReplay(sql).unsafe_reason.find("slave replays it as its own"), std::string::npos)
        << sql;
  }
  for (const char* sql :
       {"CREATE DEFINER = CURRENT_USER PROCEDURE p() SELECT 1", "GRANT SELECT ON d.* TO CURRENT_USER",
        "SET PASSWORD FOR CURRENT_USER() = PASSWORD('x')", "ALTER USER CURRENT_USER() ACCOUNT UNLOCK",
        "CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW SET NEW.who = CURRENT_USER()"}) {
    EXPECT_TRUE(InspectForReplay(sql).unsafe_reason.empty()) << sql;
  }
}

TEST(ReplaySafetyTest, SequencesAndBareRandDefaultsAreUnsafe) {
  EXPECT_NE(InspectForReplay("INSERT INTO t VALUES (NEXT VALUE FOR s)").unsafe_reason.find("NEXT VALUE FOR"),
            std::string::npos);
  EXPECT_NE(InspectForReplay("INSERT INTO t VALUES (PREVIOUS VALUE FOR s)").unsafe_reason, "");
  EXPECT_NE(
      InspectForReplay("CREATE TABLE t (id INT, r DOUBLE DEFAULT RAND())").unsafe_reason.find("DEFAULT"),
      std::string::npos);
  EXPECT_EQ(InspectForReplay("HANDLER t READ NEXT").unsafe_reason, "");
  EXPECT_NE(InspectForReplay("INSERT INTO u SELECT id FROM t FOR UPDATE SKIP LOCKED")
                .unsafe_reason.find("SKIP LOCKED"),
            std::string::npos);
  // A read of the account is not answered by a slave (it would name its own).
  EXPECT_NE(InspectForReplay("SELECT CURRENT_USER()").unsafe_reason, "");
}

TEST(ReplaySafetyTest, NamesInStringsCommentsAndColumnsDoNotCount) {
  EXPECT_TRUE(InspectForReplay("INSERT INTO t VALUES ('uuid()') /* sysdate() */").unsafe_reason.empty());
  EXPECT_TRUE(InspectForReplay("UPDATE t SET `user` = 1, version = 2 WHERE id = 3").unsafe_reason.empty());
}

TEST(ReplaySafetyTest, ExecutableCommentsCount) {
  EXPECT_FALSE(InspectForReplay("INSERT INTO t VALUES (/*!50000 SYSDATE() */)").unsafe_reason.empty());
}

TEST(ReplaySafetyTest, LimitWithoutOrderByIsUnsafeForUpdateDeleteAndInsertSelect) {
  EXPECT_FALSE(InspectForReplay("DELETE FROM t WHERE a > 1 LIMIT 10").unsafe_reason.empty());
  EXPECT_FALSE(InspectForReplay("UPDATE t SET a = 1 LIMIT 1").unsafe_reason.empty());
  EXPECT_FALSE(InspectForReplay("INSERT INTO u SELECT * FROM t LIMIT 5").unsafe_reason.empty());
  EXPECT_TRUE(InspectForReplay("DELETE FROM t ORDER BY id LIMIT 10").unsafe_reason.empty());
  EXPECT_TRUE(InspectForReplay("INSERT INTO u SELECT * FROM t ORDER BY id LIMIT 5").unsafe_reason.empty());
}

TEST(ReplaySafetyTest, CollisionsSettledByTheOrderOfASelectNeedAnOrderBy) {
  for (const char* sql : {
           "INSERT IGNORE INTO u SELECT k, v FROM t",
           "insert low_priority ignore into u (k) select k from t where k > 1",
           "REPLACE INTO u SELECT k, v FROM t",
           "REPLACE u (SELECT k, v FROM t)",
           "INSERT INTO u SELECT k, v FROM t ON DUPLICATE KEY UPDATE v = VALUES(v)",
           "INSERT INTO u (k, v) WITH c AS (SELECT 1, 2) SELECT * FROM c ON DUPLICATE KEY UPDATE v = 1",
           "CREATE TABLE u (k INT PRIMARY KEY) IGNORE SELECT k FROM t",
           "CREATE TABLE u (k INT PRIMARY KEY) REPLACE AS SELECT k FROM t",
           "UPDATE IGNORE t SET k = k + 1",
           "UPDATE LOW_PRIORITY IGNORE t JOIN u ON t.id = u.id SET t.k = u.k",
       }) {
    EXPECT_NE(InspectForReplay(sql).unsafe_reason.find("collide on a unique key"), std::string::npos) << sql;
  }
  for (const char* sql : {
           "INSERT IGNORE INTO u SELECT k, v FROM t ORDER BY id",
           "REPLACE INTO u SELECT k, v FROM t ORDER BY id",
           "UPDATE IGNORE t SET k = k + 1 ORDER BY id DESC",
           "INSERT IGNORE INTO u VALUES (1, 2), (1, 3)",
           "INSERT IGNORE INTO u VALUES ((SELECT MAX(k) FROM t) + 1, 2)",
           "INSERT IGNORE INTO u SET k = (SELECT MAX(k) FROM t)",
           "REPLACE INTO u VALUES (1, (SELECT COUNT(*) FROM t))",
           "INSERT INTO u VALUES (1, 2) ON DUPLICATE KEY UPDATE v = (SELECT MAX(v) FROM t)",
           "INSERT INTO u SELECT k, v FROM t IGNORE INDEX (k)",
           "INSERT INTO u SELECT k, v FROM t",
           "CREATE OR REPLACE TABLE u SELECT k FROM t",
           "CREATE OR REPLACE VIEW v AS SELECT k FROM t",
           "CREATE TABLE u SELECT k FROM t IGNORE KEY (k)",
           "UPDATE t SET k = k + 1",
       }) {
    EXPECT_TRUE(InspectForReplay(sql).unsafe_reason.empty()) << sql;
  }
}

TEST(ReplaySafetyTest, ProgramBodiesFollowTheOrderRulesStatementByStatement) {
  for (const char* sql : {
           "CREATE PROCEDURE p() DELETE FROM t LIMIT 1",
           "CREATE PROCEDURE p() BEGIN DELETE FROM t ORDER BY id LIMIT 1; UPDATE u SET a = 1 LIMIT 2; END",
           "CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW REPLACE INTO u SELECT k, v FROM w",
           "CREATE FUNCTION f() RETURNS INT BEGIN INSERT IGNORE INTO u SELECT k FROM t; RETURN 1; END",
           "BEGIN NOT ATOMIC IF 1 THEN UPDATE IGNORE t SET k = k + 1; END IF; END",
           "INSERT INTO t VALUES ((SELECT k FROM u LIMIT 1))",
           "CREATE TABLE u AS SELECT * FROM t LIMIT 5",
           "CREATE OR REPLACE TABLE u (PRIMARY KEY (k)) SELECT k FROM t WHERE k > 2 LIMIT 5",
       }) {
    EXPECT_NE(InspectForReplay(sql).unsafe_reason.find("ORDER BY"), std::string::npos) << sql;
  }
  for (const char* sql : {
           "CREATE PROCEDURE p() BEGIN DELETE FROM t ORDER BY id LIMIT 1; UPDATE u SET a = 1; END",
           "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW SET NEW.a = 1",
           "CREATE TABLE c (id INT, p INT, FOREIGN KEY (p) REFERENCES t (id) ON DELETE CASCADE ON UPDATE "
           "CASCADE)",
           "GRANT SELECT, INSERT, UPDATE, DELETE ON app.* TO 'u'@'%'",
           "SELECT * FROM t LIMIT 1 FOR UPDATE",
           "UPDATE t SET v = REPLACE(v, 'a', 'b'), w = INSERT(w, 1, 2, 'x')",
           "CREATE PROCEDURE p() SELECT * FROM t LIMIT 1",
           "CREATE TABLE u AS SELECT * FROM t ORDER BY id LIMIT 5",
           "CREATE VIEW v AS SELECT * FROM t LIMIT 5",
       }) {
    EXPECT_TRUE(InspectForReplay(sql).unsafe_reason.empty()) << sql;
  }
}

TEST(ReplaySafetyTest, ColumnDefaultOfRandIsUnsafeButRandInTheStatementIsNot) {
  EXPECT_NE(InspectForReplay("ALTER TABLE t ADD COLUMN r DOUBLE DEFAULT (RAND())")
                .unsafe_reason.find("DEFAULT (RAND())"),
            std::string::npos);
  EXPECT_FALSE(
      InspectForReplay("CREATE TABLE t (id INT, r DOUBLE DEFAULT (1 + RAND() * 2))").unsafe_reason.empty());
  // Seeds travel with the statement: RAND() outside a DEFAULT replays.
  EXPECT_TRUE(
      InspectForReplay("CREATE TABLE t (PRIMARY KEY (id)) AS SELECT id, RAND() AS r FROM u ORDER BY id")
          .unsafe_reason.empty());
  EXPECT_TRUE(InspectForReplay("CREATE TABLE t (id INT DEFAULT (2 + 3), r DOUBLE) SELECT RAND() AS r")
                  .unsafe_reason.empty());
  EXPECT_TRUE(
      InspectForReplay("CREATE TABLE t (at DATETIME DEFAULT CURRENT_TIMESTAMP)").unsafe_reason.empty());
}

TEST(ReplaySafetyTest, NoticesOnDuplicateKeyUpdate) {
  EXPECT_TRUE(InspectForReplay("INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = a + 1")
                  .updates_on_duplicate_key);
  EXPECT_FALSE(InspectForReplay("INSERT INTO t VALUES ('on duplicate key')").updates_on_duplicate_key);
}

TEST(ReplaySafetyTest, FindsUserVariablesOnceEachButNotSystemVariables) {
  const ReplayTraits traits =
      InspectForReplay("INSERT INTO t VALUES (@x, @y, @x, @@session.sql_mode, @`odd name`)");
  EXPECT_EQ(traits.user_variables, (std::vector<std::string>{"x", "y", "`odd name`"}));
}

TEST(ReplaySafetyTest, RandAndLastInsertIdAreNoticed) {
  const ReplayTraits traits = InspectForReplay("INSERT INTO t VALUES (RAND(), LAST_INSERT_ID())");
  EXPECT_TRUE(traits.uses_rand);
  EXPECT_TRUE(traits.uses_last_insert_id);
  EXPECT_TRUE(traits.unsafe_reason.empty());
}

}  // namespace
}  // namespace ddb
