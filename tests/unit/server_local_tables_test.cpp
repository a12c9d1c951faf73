#include "server_local_tables.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

std::string Refusal(const std::string& sql, std::string_view database = "shop") {
  return RefuseServerLocalTables(ParseStatement(sql), database);
}

TEST(ServerLocalTablesTest, AWriteThatReadsAServersOwnTablesIsRefusedNamingTheTable) {
  for (const std::string sql :
       {"INSERT INTO t (v) SELECT COUNT(*) FROM information_schema.PROCESSLIST",
        "INSERT INTO t SELECT VARIABLE_VALUE FROM `information_schema`.GLOBAL_STATUS",
        "UPDATE t SET v = (SELECT COUNT(*) FROM performance_schema.threads)",
        "DELETE FROM t WHERE id IN (SELECT 1 FROM sys.session)", "REPLACE INTO t SELECT User FROM mysql.user",
        "WITH k AS (SELECT TABLE_ROWS AS n FROM information_schema.TABLES) INSERT INTO t SELECT n FROM k",
        "CREATE TABLE t AS SELECT * FROM information_schema.PROCESSLIST",
        "CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW INSERT INTO audit SELECT COUNT(*) FROM "
        "mysql.global_priv"}) {
    const std::string refusal = Refusal(sql);
    EXPECT_NE(refusal.find("is this server's own"), std::string::npos) << sql << ": " << refusal;
  }
  EXPECT_NE(Refusal("INSERT INTO t SELECT 1 FROM information_schema.PROCESSLIST")
                .find("information_schema.PROCESSLIST"),
            std::string::npos);
}

TEST(ServerLocalTablesTest, ADirectWriteToTheMysqlSchemaSaysToUseAccountStatements) {
  EXPECT_NE(Refusal("INSERT INTO mysql.user (Host) VALUES ('%')").find("mysql schema"), std::string::npos);
  EXPECT_NE(Refusal("DELETE FROM `mysql`.proxies_priv WHERE 1 = 0").find("CREATE USER, GRANT"),
            std::string::npos);
}

TEST(ServerLocalTablesTest, WritesWithAServerLocalDefaultDatabaseAreRefused) {
  EXPECT_NE(Refusal("INSERT INTO user (Host) VALUES ('%')", "mysql").find("default database is mysql"),
            std::string::npos);
  EXPECT_NE(Refusal("INSERT INTO shop.t SELECT COUNT(*) FROM PROCESSLIST", "information_schema"), "");
  EXPECT_EQ(Refusal("CREATE USER u IDENTIFIED BY 'x'", "mysql"), "");
}

TEST(ServerLocalTablesTest, OtherStatementsAndLookalikesAreLeftAlone) {
  for (const std::string sql : {"SELECT * FROM information_schema.TABLES", "GRANT SELECT ON mysql.* TO u",
                                "CREATE VIEW v AS SELECT * FROM information_schema.TABLES",
                                "INSERT INTO t SELECT sys.id FROM systems AS sys",
                                "UPDATE t JOIN systems sys ON sys.id = t.id SET t.v = sys.v",
                                "INSERT INTO t SELECT s.mysql.v FROM s.mysql",
                                "INSERT INTO t VALUES ('mysql.user')", "INSERT INTO t (mysql) VALUES (1)"}) {
    EXPECT_EQ(Refusal(sql), "") << sql;
  }
}

}  // namespace
}  // namespace ddb
