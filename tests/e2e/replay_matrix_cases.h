// The cases of replay_matrix_test.cpp: one per kind of statement, in the
// order they run (later cases use tables earlier ones made). Each case runs
// on a fresh connection to the endpoint with database m.
#pragma once

#include <string>
#include <vector>

namespace ddb::testing {

struct MatrixCase {
  const char* name;
  std::vector<std::string> statements;
  // nullptr: every statement runs. Otherwise the last statement must be
  // refused with a message containing this, and log nothing.
  const char* refused_with = nullptr;
};

inline const std::vector<MatrixCase>& ReplayMatrixCases() {
  static const std::vector<MatrixCase> cases = {
      // --- DDL: tables, indexes, constraints, column kinds
      {"create table", {"CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(100), n INT)"}},
      {"create table like", {"CREATE TABLE t_like LIKE t"}},
      {"create table with defaults",
       {"CREATE TABLE d (id INT PRIMARY KEY, at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6), s VARCHAR(10) DEFAULT 'x')"}},
      {"check constraint", {"CREATE TABLE c (id INT PRIMARY KEY, n INT CHECK (n >= 0))"}},
      {"generated columns",
       {"CREATE TABLE g (id INT PRIMARY KEY, a INT, b INT AS (a * 2) VIRTUAL, c INT AS (a + 1) STORED)"}},
      {"enum and set", {"CREATE TABLE es (id INT PRIMARY KEY, e ENUM('a','b','c'), s SET('x','y','z'))"}},
      {"json column", {"CREATE TABLE j (id INT PRIMARY KEY, doc JSON)"}},
      {"binary columns", {"CREATE TABLE b (id INT PRIMARY KEY, bin VARBINARY(16), blb LONGBLOB)"}},
      {"foreign key with cascade",
       {"CREATE TABLE parent (id INT PRIMARY KEY)",
        "CREATE TABLE child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES parent (id) ON DELETE CASCADE)"}},
      {"partitioned table",
       {"CREATE TABLE p (id INT PRIMARY KEY, v INT) PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (100), "
        "PARTITION p1 VALUES LESS THAN MAXVALUE)"}},
      {"system-versioned table",
       {"CREATE TABLE sv (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING", "INSERT INTO sv VALUES (1, 1)",
        "UPDATE sv SET v = 2 WHERE id = 1"}},
      {"sequence", {"CREATE SEQUENCE seq START WITH 10 INCREMENT BY 5"}},
      {"alter add column", {"ALTER TABLE t ADD COLUMN extra INT DEFAULT 7"}},
      {"alter add index", {"ALTER TABLE t ADD INDEX (n)"}},
      {"create and drop index", {"CREATE INDEX v_idx ON t (v)", "DROP INDEX v_idx ON t"}},
      {"rename table", {"CREATE TABLE r1 (id INT PRIMARY KEY)", "RENAME TABLE r1 TO r2"}},
      {"create and drop database", {"CREATE DATABASE m_tmp", "DROP DATABASE m_tmp"}},
      {"drop table if exists", {"DROP TABLE IF EXISTS r2, no_such_table"}},
      // --- DML
      {"insert values", {"INSERT INTO t (v, n) VALUES ('a', 1)"}},
      {"multi-row insert", {"INSERT INTO t (v, n) VALUES ('b', 2), ('c', 3), ('d', 4)"}},
      {"explicit and generated ids", {"INSERT INTO t (id, v, n) VALUES (NULL, 'e', 5), (100, 'f', 6), (NULL, 'g', 7)"}},
      {"insert select", {"INSERT INTO t_like SELECT id, v, n FROM t WHERE n <= 3"}},
      {"insert ignore", {"INSERT IGNORE INTO t (id, v, n) VALUES (1, 'dup', 0), (200, 'new', 8)"}},
      {"replace", {"REPLACE INTO t (id, v, n) VALUES (2, 'replaced', 22)"}},
      {"on duplicate key update",
       {"INSERT INTO t (id, v, n) VALUES (3, 'x', 0) ON DUPLICATE KEY UPDATE n = n + 100"}},
      {"on duplicate key with a generated id",
       {"INSERT INTO t (v, n) VALUES ('odku', 9) ON DUPLICATE KEY UPDATE n = n + 1"}},
      {"update", {"UPDATE t SET n = n * 2 WHERE id > 2"}},
      {"update order by limit", {"UPDATE t SET v = 'first' ORDER BY id LIMIT 2"}},
      {"delete", {"DELETE FROM t WHERE v = 'dup'"}},
      {"delete order by limit", {"DELETE FROM t_like ORDER BY id DESC LIMIT 1"}},
      {"multi-table update", {"UPDATE t JOIN t_like ON t.id = t_like.id SET t.n = t_like.n + 1000"}},
      {"multi-table delete", {"DELETE t_like FROM t_like JOIN t ON t.id = t_like.id WHERE t.n > 1002"}},
      {"update with subquery", {"UPDATE t SET n = (SELECT COUNT(*) FROM t_like) WHERE id = 1"}},
      {"delete with subquery", {"DELETE FROM t_like WHERE id IN (SELECT id FROM t WHERE n < 0)"}},
      {"time functions", {"INSERT INTO d (id, s) VALUES (1, DATE_FORMAT(NOW(), '%H%i'))",
                          "INSERT INTO t (v, n) VALUES (CONCAT(CURDATE(), ' ', UTC_TIMESTAMP()), UNIX_TIMESTAMP())"}},
      {"rand", {"INSERT INTO t (v, n) VALUES (RAND(), FLOOR(RAND() * 1000))"}},
      {"user variables", {"SET @a = 41", "SET @s = 'from a variable'", "INSERT INTO t (v, n) VALUES (@s, @a + 1)"}},
      {"decimal user variable", {"SET @d = 5.2500", "INSERT INTO t (v, n) VALUES (@d / 8, 1)"}},
      {"select into variable", {"SELECT MAX(n) INTO @mx FROM t", "INSERT INTO t (v, n) VALUES ('max', @mx)"}},
      {"last insert id", {"INSERT INTO t (v, n) VALUES ('parent', 1)",
                          "INSERT INTO t (v, n) VALUES ('child', LAST_INSERT_ID())"}},
      {"binary data", {"INSERT INTO b VALUES (1, X'00FF10', CONCAT(X'00', 'a\\0b', X'FFFE'))"}},
      {"utf8mb4 text", {"INSERT INTO t (v, n) VALUES ('caf\xC3\xA9 \xF0\x9F\x90\xAC', 1)"}},
      {"json", {"INSERT INTO j VALUES (1, JSON_OBJECT('a', 1, 'b', JSON_ARRAY(1, 2)))",
                "UPDATE j SET doc = JSON_SET(doc, '$.c', 'x') WHERE id = 1"}},
      {"enum and set values", {"INSERT INTO es VALUES (1, 'b', 'x,z'), (2, 'c', '')"}},
      {"generated column values", {"INSERT INTO g (id, a) VALUES (1, 10), (2, 20)"}},
      {"check constraint violation then success",
       {"INSERT INTO c VALUES (1, 5)"}},
      {"cascade delete", {"INSERT INTO parent VALUES (1), (2)", "INSERT INTO child VALUES (1, 1), (2, 2)",
                          "DELETE FROM parent WHERE id = 1"}},
      {"partitioned rows", {"INSERT INTO p VALUES (1, 1), (150, 2)", "UPDATE p SET id = 50 WHERE id = 150"}},
      {"sequence in a default-free insert", {"INSERT INTO t (v, n) VALUES ('seq', 1)"}},
      {"long value", {"INSERT INTO t (v, n) VALUES (REPEAT('z', 100), LENGTH(REPEAT('y', 100000)))"}},
      {"decimal precision", {"SET div_precision_increment = 8", "INSERT INTO t (v, n) VALUES (1 / 3, 1)"}},
      {"sql_mode non-strict truncation",
       {"SET sql_mode = ''", "INSERT INTO es (id, e, s) VALUES (3, 'nope', 'x')"}},
      {"time zone", {"SET time_zone = '+05:00'", "INSERT INTO d (id) VALUES (2)"}},
      {"ansi quotes", {"SET sql_mode = 'ANSI_QUOTES'", "INSERT INTO \"t\" (\"v\", n) VALUES ('ansi', 1)"}},
      {"no backslash escapes",
       {"SET sql_mode = 'NO_BACKSLASH_ESCAPES'", "INSERT INTO t (v, n) VALUES ('back\\slash', 1)"}},
      // --- transactions
      {"transaction", {"BEGIN", "INSERT INTO t (v, n) VALUES ('tx', 1)", "UPDATE t SET n = n + 1 WHERE v = 'tx'",
                       "COMMIT"}},
      {"rollback", {"START TRANSACTION", "INSERT INTO t (v, n) VALUES ('rolled back', 1)", "ROLLBACK"}},
      {"savepoint", {"BEGIN", "INSERT INTO t (v, n) VALUES ('kept', 1)", "SAVEPOINT s",
                     "INSERT INTO t (v, n) VALUES ('undone', 1)", "ROLLBACK TO SAVEPOINT s", "COMMIT"}},
      {"autocommit off", {"SET autocommit = 0", "INSERT INTO t (v, n) VALUES ('ac0', 1)", "COMMIT"}},
      {"implicit commit by ddl", {"BEGIN", "INSERT INTO t (v, n) VALUES ('before ddl', 1)",
                                  "CREATE TABLE implicit_commit (id INT PRIMARY KEY)"}},
      {"create table select", {"CREATE TABLE cts AS SELECT id, v FROM t WHERE n = 1"}},
      {"truncate", {"TRUNCATE TABLE cts"}},
      // --- views, routines, triggers
      {"view", {"CREATE VIEW v_t AS SELECT id, v FROM t WHERE n > 1"}},
      {"replace view", {"CREATE OR REPLACE VIEW v_t AS SELECT id FROM t"}},
      {"procedure that writes", {"CREATE PROCEDURE add_row(IN x INT) INSERT INTO t (v, n) VALUES ('proc', x)",
                                 "CALL add_row(77)"}},
      {"deterministic function in a write",
       {"CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2",
        "INSERT INTO t (v, n) VALUES ('func', twice(21))"}},
      {"trigger", {"CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(20))",
                   "CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW INSERT INTO audit (what) VALUES (NEW.v)",
                   "INSERT INTO t (v, n) VALUES ('triggered', 1)"}},
      {"compound block", {"BEGIN NOT ATOMIC INSERT INTO t (v, n) VALUES ('block', 1); END"}},
      {"maintenance runs locally", {"ANALYZE TABLE t", "OPTIMIZE TABLE t_like", "CHECK TABLE t"}},
      {"handler reads", {"HANDLER t OPEN", "HANDLER t READ FIRST", "HANDLER t CLOSE"}},
      {"create user and grant", {"CREATE USER 'matrix'@'%' IDENTIFIED BY 'matrix-pw'",
                                 "GRANT SELECT ON m.* TO 'matrix'@'%'"}},
      {"drop user", {"DROP USER 'matrix'@'%'"}},
      // --- refused, with the reason
      {"prepare", {"PREPARE s FROM 'INSERT INTO t (v, n) VALUES (''prepared'', 1)'"}, "PREPARE"},
      {"execute", {"EXECUTE s"}, "PREPARE"},
      {"xa", {"XA START 'x1'"}, "XA"},
      {"load data", {"LOAD DATA INFILE '/etc/hostname' INTO TABLE t (v)"}, "LOAD DATA"},
      {"load data local", {"LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE t (v)"}, "LOAD DATA"},
      {"do a stored function", {"DO twice(1)"}, "TWICE"},
      {"server variable into data", {"INSERT INTO t (v, n) VALUES ('port', @@port)"}, "@@port"},
      {"hostname into data", {"UPDATE t SET v = @@hostname WHERE id = 1"}, "@@hostname"},
      {"myisam table", {"CREATE TABLE my (id INT PRIMARY KEY) ENGINE=MyISAM"}, "MYISAM"},
      {"aria by default engine", {"SET default_storage_engine = Aria"}, "ARIA"},
      {"read committed", {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"}, "REPEATABLE READ"},
      {"global read committed", {"SET GLOBAL TRANSACTION ISOLATION LEVEL READ COMMITTED"}, "REPEATABLE READ"},
      {"event", {"CREATE EVENT ev ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t"}, "events"},
      {"lock tables", {"LOCK TABLES t WRITE"}, "LOCK TABLES"},
      {"temporary table", {"CREATE TEMPORARY TABLE tmp (id INT)"}, "temporary"},
      {"write to ddb_meta", {"DELETE FROM ddb_meta.replication_log"}, "ddb_meta"},
      {"quoted ddb_meta", {"UPDATE `ddb_meta`.`applied_position` SET seq = 0"}, "ddb_meta"},
      {"uuid", {"INSERT INTO t (v, n) VALUES (UUID(), 1)"}, "UUID"},
      {"sysdate", {"INSERT INTO t (v, n) VALUES (SYSDATE(), 1)"}, "SYSDATE"},
      {"limit without order", {"DELETE FROM t LIMIT 1"}, "ORDER BY"},
      {"nextval", {"INSERT INTO t (v, n) VALUES ('seq', NEXTVAL(seq))"}, "NEXTVAL"},
      {"mysql schema", {"DELETE FROM mysql.proxies_priv WHERE 1 = 0"}, "mysql schema"},
      {"shutdown", {"SHUTDOWN"}, "SHUTDOWN"},
      {"native replication", {"CHANGE MASTER TO MASTER_HOST = '127.0.0.1'"}, "replication"},
      {"prepare inside a procedure",
       {"CREATE PROCEDURE dyn() BEGIN PREPARE s FROM 'DELETE FROM t'; EXECUTE s; END"}, "PREPARE"},
      {"two statements at once", {"INSERT INTO t (v, n) VALUES ('one', 1); DELETE FROM t"}, "one statement"},
  };
  return cases;
}

}  // namespace ddb::testing
