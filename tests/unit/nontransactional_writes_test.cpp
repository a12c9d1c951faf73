#include "nontransactional_writes.h"

#include <gtest/gtest.h>

#include "fake_sql_connection.h"

namespace ddb {
namespace {

using testing::FakeSqlServer;

std::vector<std::string> Written(const std::string& sql) {
  std::vector<std::string> names;
  for (const TableName& name : WrittenTables(ParseStatement(sql))) {
    names.push_back(name.schema.empty() ? name.table : name.schema + "." + name.table);
  }
  return names;
}

using Names = std::vector<std::string>;

TEST(WrittenTablesTest, TheTablesEachKindOfWriteChanges) {
  EXPECT_EQ(Written("INSERT INTO t (a) VALUES (1)"), Names{"t"});
  EXPECT_EQ(Written("insert low_priority ignore shop.`items` select * from other"), Names{"shop.items"});
  EXPECT_EQ(Written("REPLACE t VALUES (1)"), Names{"t"});
  EXPECT_EQ(Written("UPDATE t SET a = 1 WHERE id IN (SELECT id FROM u)"), Names{"t"});
  EXPECT_EQ(Written("UPDATE a AS x JOIN db.b y ON x.id = y.id, c SET x.v = y.v"), (Names{"a", "db.b", "c"}));
  EXPECT_EQ(Written("DELETE FROM t WHERE id = 1"), Names{"t"});
  EXPECT_EQ(Written("DELETE QUICK FROM t1, t2 USING t1 JOIN t2 JOIN t3"), (Names{"t1", "t2"}));
  EXPECT_EQ(Written("DELETE t1, s.t2.* FROM t1 JOIN s.t2 JOIN t3"),
            (Names{"t1", "s.t2", "t1", "s.t2", "t3"}));
  EXPECT_EQ(Written("DELETE n FROM notes AS n WHERE id = 1"), (Names{"n", "notes"}));
  EXPECT_TRUE(Written("SELECT * FROM t").empty());
  EXPECT_TRUE(Written("CALL p()").empty());
}

TEST(WrittenTablesTest, TheTablesAProgramsBodyWrites) {
  std::vector<std::string> names;
  for (const TableName& name :
       TablesWrittenInBody(Tokenize("CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN "
                                    "INSERT INTO audit (a) VALUES (NEW.a) ON DUPLICATE KEY UPDATE a = 1; "
                                    "UPDATE s.totals SET n = n + 1; DELETE FROM old WHERE a = NEW.a; END"))) {
    names.push_back(name.schema.empty() ? name.table : name.schema + "." + name.table);
  }
  EXPECT_EQ(names, (Names{"audit", "s.totals", "old"}));
}

TEST(NontransactionalWritesTest, AProgramThatWritesAMyIsamTableIsRefused) {
  FakeSqlServer server;
  server.Answer("SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE FROM information_schema.TABLES",
                FakeSqlServer::Rows({"TABLE_SCHEMA", "TABLE_NAME", "ENGINE"}, {{"shop", "audit", "Aria"}}));
  std::unique_ptr<SqlConnection> connection;
  ASSERT_TRUE(server.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection).ok());
  const Status s = CheckProgramWrites(
      *connection,
      ParseStatement("CREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW INSERT INTO audit VALUES (NEW.a)"),
      "shop");
  EXPECT_EQ(s.code(), Status::Code::kRefused);
  EXPECT_NE(s.message().find("its body writes `shop`.`audit`, whose engine is Aria: a write"),
            std::string::npos)
      << s.message();
  EXPECT_TRUE(CheckProgramWrites(*connection, ParseStatement("INSERT INTO audit VALUES (1)"), "shop").ok())
      << "not a program: Check's business";
}

TEST(NontransactionalWritesTest, AWriteToAMyIsamTableIsRefusedWithTheAlterThatConvertsIt) {
  FakeSqlServer server;
  server.Answer(
      "SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE FROM information_schema.TABLES",
      FakeSqlServer::Rows({"TABLE_SCHEMA", "TABLE_NAME", "ENGINE"}, {{"shop", "legacy", "MyISAM"}}));
  std::unique_ptr<SqlConnection> connection;
  ASSERT_TRUE(server.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection).ok());
  NontransactionalWrites check;
  const Status s = check.Check(*connection, ParseStatement("INSERT INTO legacy VALUES (1)"), "shop", 0);
  EXPECT_EQ(s.code(), Status::Code::kRefused);
  EXPECT_NE(s.message().find("`shop`.`legacy` is a MyISAM table"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("ALTER TABLE `shop`.`legacy` ENGINE=InnoDB"), std::string::npos) << s.message();
}

TEST(NontransactionalWritesTest, ATableFoundTransactionalIsNotAskedAgainUntilTheNextDdl) {
  FakeSqlServer server;
  std::unique_ptr<SqlConnection> connection;
  ASSERT_TRUE(server.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection).ok());
  NontransactionalWrites check;
  const ParsedStatement insert = ParseStatement("INSERT INTO t VALUES (1)");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(check.Check(*connection, insert, "shop", 5).ok());
  EXPECT_EQ(server.Count("SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE"), 1u);
  ASSERT_TRUE(check.Check(*connection, insert, "shop", 6).ok());
  EXPECT_EQ(server.Count("SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE"), 2u);
  ASSERT_TRUE(check.Check(*connection, insert, "other", 6).ok());  // another database's t
  EXPECT_EQ(server.Count("SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE"), 3u);
}

}  // namespace
}  // namespace ddb
