// The master's own check of statements slaves forward (CheckForwardable):
// what a slave console forwards passes, everything else is refused whatever
// the slave claims.
#include <gtest/gtest.h>

#include "forwarded_writes.h"

namespace ddb {
namespace {

TEST(ForwardedStatementTest, WhatASlaveConsoleForwardsPasses) {
  for (const char* sql :
       {"INSERT INTO t VALUES (1)", "UPDATE t SET v = 1", "DELETE FROM t", "REPLACE INTO t VALUES (1)",
        "CALL p()", "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK", "SAVEPOINT a", "ROLLBACK TO a",
        "RELEASE SAVEPOINT a", "SELECT * FROM t", "SET @x = 1", "SET SESSION sql_mode = ''",
        "SET NAMES utf8mb4", "SET autocommit = 0", "WITH c AS (SELECT 1) SELECT * FROM c"}) {
    EXPECT_TRUE(CheckForwardable(sql).ok()) << sql << ": " << CheckForwardable(sql).ToString();
  }
}

TEST(ForwardedStatementTest, EverythingElseIsRefused) {
  for (const char* sql : {"DROP TABLE t",
                          "CREATE DATABASE d",
                          "ALTER TABLE t ADD c INT",
                          "TRUNCATE t",
                          "RENAME TABLE a TO b",
                          "CREATE USER u",
                          "GRANT ALL ON *.* TO u",
                          "REVOKE ALL ON *.* FROM u",
                          "SET PASSWORD = PASSWORD('x')",
                          "SET GLOBAL max_connections = 1",
                          "SET @@global.read_only = 1",
                          "SET PERSIST x = 1",
                          "SELECT 1 INTO OUTFILE '/tmp/x'",
                          "SHUTDOWN",
                          "KILL 1",
                          "FLUSH TABLES",
                          "LOCK TABLES t WRITE",
                          "USE d",
                          "XA START 'x'",
                          "PREPARE s FROM 'SELECT 1'",
                          "INSERT INTO t VALUES (1); DROP TABLE t",
                          "SELECT 'unclosed",
                          "",
                          "/*!50000 DROP TABLE t */",
                          "SET STATEMENT max_statement_time=1 FOR DROP TABLE t",
                          "frobnicate"}) {
    const Status s = CheckForwardable(sql);
    EXPECT_EQ(s.code(), Status::Code::kRefused) << sql;
    EXPECT_NE(s.message().find("is refused in a forwarded session"), std::string::npos)
        << sql << ": " << s.message();
  }
  EXPECT_NE(CheckForwardable("DROP TABLE t").message().find("DROP TABLE is refused"), std::string::npos)
      << CheckForwardable("DROP TABLE t").message();
}

}  // namespace
}  // namespace ddb
