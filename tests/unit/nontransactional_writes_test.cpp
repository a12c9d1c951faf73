#include "nontransactional_writes.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

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

// AskCatalog's query, which starts with the tables' part or, for routines alone, theirs.
constexpr char kCatalog[] = "SELECT '";

std::unique_ptr<SqlConnection> Connected(FakeSqlServer& server) {
  std::unique_ptr<SqlConnection> connection;
  EXPECT_TRUE(server.Opener()(MySqlEndpoint(), MySqlOpenOptions(), &connection).ok());
  return connection;
}

// A master's catalog as AskCatalog's query sees it: per (schema, table) the
// rows of its T (engine, type), V (view definition) and G (trigger body,
// name) parts, answered for the tables each query asks about.
class FakeCatalog {
 public:
  using Row = std::vector<std::optional<std::string>>;
  void Table(const std::string& schema, const std::string& table, const std::string& engine) {
    rows_[{schema, table}].push_back({"T", schema, table, engine, "BASE TABLE"});
  }
  void View(const std::string& schema, const std::string& view, const std::string& definition) {
    rows_[{schema, view}].push_back({"T", schema, view, std::nullopt, "VIEW"});
    rows_[{schema, view}].push_back({"V", schema, view, definition, std::nullopt});
  }
  void Trigger(const std::string& schema, const std::string& table, const std::string& body) {
    rows_[{schema, table}].push_back({"G", schema, table, body, "tr_" + table});
  }
  // `body` nullopt: the account may not read it.
  void Routine(const std::string& schema, const std::string& name, const std::string& type,
               std::optional<std::string> body) {
    rows_[{schema, name}].push_back({"R", schema, name, std::move(body), type});
  }
  // Answered only where the query asks for it (a table a body inserts into).
  void AutoIncrement(const std::string& schema, const std::string& table, const std::string& column) {
    rows_[{schema, table}].push_back({"C", schema, table, column, std::nullopt});
  }
  void ServeOn(FakeSqlServer& server) {
    server.On(kCatalog, [this](const testing::FakeStatement& statement, QueryResult* result) {
      *result = FakeSqlServer::Rows({"tag", "schema", "name", "value", "extra"}, {});
      std::set<std::pair<std::string, std::string>> asked;
      for (size_t i = 0; i + 1 < statement.params.size(); i += 2) {
        asked.insert(
            {std::get<std::string>(statement.params[i]), std::get<std::string>(statement.params[i + 1])});
      }
      for (const auto& key : asked) {
        for (const Row& row : rows_[key]) {
          const bool asked_for = row[0] != "C" || statement.sql.find("TABLE_NAME = '" + key.second +
                                                                     "' AND EXTRA") != std::string::npos;
          if (asked_for) result->rows.push_back(row);
        }
      }
      return Status::Ok();
    });
  }

 private:
  std::map<std::pair<std::string, std::string>, std::vector<Row>> rows_;
};

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
  EXPECT_EQ(
      Written("WITH RECURSIVE c (n) AS (SELECT 1 UNION SELECT n + 1 FROM c WHERE n < 3), d AS (SELECT 2) "
              "UPDATE t JOIN c ON t.id = c.n SET t.v = 0"),
      (Names{"t", "c"}));
  EXPECT_EQ(
      Written("WITH old AS (SELECT id FROM t WHERE v < 0) DELETE FROM t WHERE id IN (SELECT id FROM old)"),
      Names{"t"});
  EXPECT_EQ(Written("SET STATEMENT max_statement_time = (1), sql_mode = '' FOR UPDATE t SET v = 1"),
            Names{"t"});
  EXPECT_EQ(Written("LOAD DATA LOCAL INFILE 'into table x' REPLACE INTO TABLE shop.t CHARACTER SET utf8mb4"),
            Names{"shop.t"});
  EXPECT_EQ(Written("LOAD XML CONCURRENT LOCAL INFILE 'f' INTO TABLE t ROWS IDENTIFIED BY '<r>'"),
            Names{"t"});
  EXPECT_TRUE(Written("SELECT * FROM t").empty());
  EXPECT_TRUE(Written("WITH c AS (SELECT 1) SELECT * FROM c").empty());
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
  FakeCatalog catalog;
  catalog.Table("shop", "audit", "Aria");
  catalog.ServeOn(server);
  const std::unique_ptr<SqlConnection> connection = Connected(server);
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

// `sql`, run in database shop, checked as a session would against `catalog`.
Status CheckedAgainst(FakeCatalog& catalog, const std::string& sql) {
  FakeSqlServer server;
  catalog.ServeOn(server);
  NontransactionalWrites check;
  return check.Check(*Connected(server), ParseStatement(sql), "shop", 0, "app@%");
}

TEST(NontransactionalWritesTest, AWriteToAMyIsamTableIsRefusedWithTheAlterThatConvertsIt) {
  FakeCatalog catalog;
  catalog.Table("shop", "legacy", "MyISAM");
  const Status s = CheckedAgainst(catalog, "INSERT INTO legacy VALUES (1)");
  EXPECT_EQ(s.code(), Status::Code::kRefused);
  EXPECT_NE(s.message().find("`shop`.`legacy` is a MyISAM table"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("ALTER TABLE `shop`.`legacy` ENGINE=InnoDB"), std::string::npos) << s.message();
}

TEST(NontransactionalWritesTest, ATableFoundTransactionalIsNotAskedAgainUntilTheNextDdl) {
  FakeSqlServer server;
  const std::unique_ptr<SqlConnection> connection = Connected(server);
  NontransactionalWrites check;
  const ParsedStatement insert = ParseStatement("INSERT INTO t VALUES (1)");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(check.Check(*connection, insert, "shop", 5, "app@%").ok());
  EXPECT_EQ(server.Count(kCatalog), 1u);
  ASSERT_TRUE(check.Check(*connection, insert, "shop", 6, "app@%").ok());
  EXPECT_EQ(server.Count(kCatalog), 2u);
  ASSERT_TRUE(check.Check(*connection, insert, "other", 6, "app@%").ok());  // another database's t
  EXPECT_EQ(server.Count(kCatalog), 3u);
}

TEST(NontransactionalWritesTest, SessionsOfOneAccountShareWhatTheyFoundOtherAccountsAskForThemselves) {
  FakeSqlServer server;
  const std::unique_ptr<SqlConnection> connection = Connected(server);
  KnownFineTables shared;
  const ParsedStatement insert = ParseStatement("INSERT INTO t VALUES (1)");
  NontransactionalWrites first(&shared);
  ASSERT_TRUE(first.Check(*connection, insert, "shop", 5, "app@%").ok());
  EXPECT_EQ(server.Count(kCatalog), 1u);
  // A new connection of the same account: nothing to ask.
  NontransactionalWrites second(&shared);
  ASSERT_TRUE(second.Check(*connection, insert, "shop", 5, "app@%").ok());
  EXPECT_EQ(server.Count(kCatalog), 1u);
  // Another account sees the catalog through its own privileges.
  NontransactionalWrites other_account(&shared);
  ASSERT_TRUE(other_account.Check(*connection, insert, "shop", 5, "report@%").ok());
  EXPECT_EQ(server.Count(kCatalog), 2u);
  // After a DDL, everyone asks again.
  NontransactionalWrites after_ddl(&shared);
  ASSERT_TRUE(after_ddl.Check(*connection, insert, "shop", 6, "app@%").ok());
  EXPECT_EQ(server.Count(kCatalog), 3u);
  ASSERT_TRUE(second.Check(*connection, insert, "shop", 6, "app@%").ok());
  EXPECT_EQ(server.Count(kCatalog), 3u) << "found by after_ddl in this epoch";
  // An answer from before the DDL, recorded late, is not taken for the new epoch.
  shared.Add("late@%", 5, {{false, {"shop", "t"}}});
  EXPECT_FALSE(shared.Contains("late@%", 6, {false, {"shop", "t"}}));
}

TEST(NontransactionalWritesTest, AMyIsamTableFoundByOneSessionIsRefusedInTheNextToo) {
  FakeSqlServer server;
  FakeCatalog catalog;
  catalog.Table("shop", "legacy", "MyISAM");
  catalog.ServeOn(server);
  const std::unique_ptr<SqlConnection> connection = Connected(server);
  KnownFineTables shared;
  const ParsedStatement insert = ParseStatement("INSERT INTO legacy VALUES (1)");
  for (int session = 0; session < 2; ++session) {
    NontransactionalWrites check(&shared);
    EXPECT_EQ(check.Check(*connection, insert, "shop", 5, "app@%").code(), Status::Code::kRefused);
  }
}

TEST(NontransactionalWritesTest, AWriteThroughAViewOrATriggerThatReachesAMyIsamTableIsRefused) {
  FakeSqlServer server;
  FakeCatalog catalog;
  catalog.Table("shop", "orders", "InnoDB");
  catalog.Table("shop", "notes", "MyISAM");
  catalog.View("shop", "recent_notes", "select `shop`.`notes`.`id` AS `id` from `shop`.`notes`");
  catalog.View("shop", "v2", "select `recent_notes`.`id` AS `id` from `shop`.`recent_notes`");
  catalog.Trigger("shop", "orders", "INSERT INTO v2 VALUES (NEW.id)");
  catalog.ServeOn(server);
  const std::unique_ptr<SqlConnection> connection = Connected(server);
  NontransactionalWrites check;
  const Status through_view =
      check.Check(*connection, ParseStatement("UPDATE v2 SET id = 2"), "shop", 0, "app@%");
  EXPECT_NE(through_view.message().find("`shop`.`notes` is a MyISAM table (written through view "
                                        "`shop`.`v2`, view `shop`.`recent_notes`)"),
            std::string::npos)
      << through_view.message();
  const Status through_trigger =
      check.Check(*connection, ParseStatement("INSERT INTO orders VALUES (1)"), "shop", 0, "app@%");
  EXPECT_NE(
      through_trigger.message().find("`shop`.`notes` is a MyISAM table (written through trigger "
                                     "`shop`.`tr_orders`, view `shop`.`v2`, view `shop`.`recent_notes`)"),
      std::string::npos)
      << through_trigger.message();
  // One catalog query per level: v2, recent_notes, notes; orders, v2,
  // recent_notes, notes.
  EXPECT_EQ(server.Count(kCatalog), 7u);
}

TEST(NontransactionalWritesTest, ARoutineCalledThatReachesAMyIsamTableIsRefusedAndAHiddenOneIsNotFollowed) {
  FakeCatalog catalog;
  catalog.Table("shop", "notes", "MyISAM");
  catalog.Table("shop", "orders", "InnoDB");
  catalog.Routine("shop", "add_note", "PROCEDURE", "BEGIN INSERT INTO notes VALUES (1); END");
  catalog.Routine("shop", "place", "PROCEDURE", "BEGIN INSERT INTO orders VALUES (1); CALL add_note(); END");
  catalog.Routine("shop", "note_count", "FUNCTION", "BEGIN CALL shop.place(); RETURN 1; END");
  catalog.Routine("shop", "opaque", "PROCEDURE", std::nullopt);
  const Status called = CheckedAgainst(catalog, "CALL place()");
  EXPECT_NE(called.message().find("`shop`.`notes` is a MyISAM table (written through procedure "
                                  "`shop`.`place`, procedure `shop`.`add_note`)"),
            std::string::npos)
      << called.message();
  const Status from_a_read = CheckedAgainst(catalog, "SELECT note_count()");
  EXPECT_NE(from_a_read.message().find("(written through function `shop`.`note_count`, procedure "
                                       "`shop`.`place`, procedure `shop`.`add_note`)"),
            std::string::npos)
      << from_a_read.message();
  EXPECT_TRUE(CheckedAgainst(catalog, "CALL opaque()").ok()) << "EXECUTE without the right to read the body";
}

TEST(NontransactionalWritesTest, AProgramMadeBehindDdlsBackThatCouldNotBeReplayedIsRefusedWhereItIsReached) {
  FakeCatalog catalog;
  catalog.Table("shop", "orders", "InnoDB");
  catalog.Trigger("shop", "orders", "SET NEW.token = UUID()");
  catalog.Routine("shop", "stamp", "PROCEDURE", "BEGIN INSERT INTO log VALUES (@@hostname); END");
  catalog.Routine("shop", "roll", "FUNCTION", "RETURN FLOOR(RAND() * 6)");
  catalog.Table("shop", "dice", "InnoDB");
  const Status fired = CheckedAgainst(catalog, "INSERT INTO orders VALUES (1)");
  EXPECT_NE(fired.message().find("trigger `shop`.`tr_orders` cannot be replayed: the body is unsafe for "
                                 "replication: UUID()"),
            std::string::npos)
      << fired.message();
  EXPECT_NE(fired.message().find("re-create it through ddb"), std::string::npos) << fired.message();
  const Status called = CheckedAgainst(catalog, "CALL stamp()");
  EXPECT_NE(called.message().find("procedure `shop`.`stamp` cannot be replayed"), std::string::npos)
      << called.message();
  EXPECT_NE(called.message().find("hostname"), std::string::npos) << called.message();
  const Status rolled = CheckedAgainst(catalog, "UPDATE dice SET n = roll()");
  EXPECT_NE(rolled.message().find("function `shop`.`roll` cannot be replayed: the body calls RAND()"),
            std::string::npos)
      << rolled.message();
}

// A trigger's full-text search goes into the write that fires it, even when
// the body itself writes nothing but NEW.
TEST(NontransactionalWritesTest, ATriggerMadeBehindDdlsBackThatSearchesAFullTextIndexIsRefused) {
  FakeCatalog catalog;
  catalog.Table("shop", "orders", "InnoDB");
  catalog.Trigger("shop", "orders",
                  "SET NEW.similar = (SELECT COUNT(*) FROM posts WHERE MATCH (body) AGAINST (NEW.note))");
  const Status fired = CheckedAgainst(catalog, "INSERT INTO orders (note) VALUES ('x')");
  EXPECT_NE(fired.message().find("trigger `shop`.`tr_orders` cannot be replayed: the body is unsafe for "
                                 "replication: MATCH ... AGAINST"),
            std::string::npos)
      << fired.message();
}

TEST(NontransactionalWritesTest, AProgramMadeBehindDdlsBackThatInsertsIntoAnAutoIncrementTableIsRefused) {
  FakeCatalog catalog;
  catalog.Table("shop", "orders", "InnoDB");
  catalog.AutoIncrement("shop", "orders", "id");
  catalog.Table("shop", "audit", "InnoDB");
  catalog.AutoIncrement("shop", "audit", "n");
  catalog.Trigger("shop", "orders", "INSERT INTO audit (what) VALUES ('order')");
  EXPECT_TRUE(CheckedAgainst(catalog, "UPDATE audit SET what = 'x'").ok()) << "no body inserts into it";
  const Status s = CheckedAgainst(catalog, "INSERT INTO orders (v) VALUES (1)");
  EXPECT_NE(s.message().find("`shop`.`audit` (reached through trigger `shop`.`tr_orders`) has an "
                             "AUTO_INCREMENT column, n,"),
            std::string::npos)
      << s.message() << "\n(the statement's own AUTO_INCREMENT id is logged: not refused for orders.id)";
}

TEST(NontransactionalWritesTest, AViewWhoseDefinitionIsHiddenCannotBeWrittenThrough) {
  FakeCatalog catalog;
  catalog.View("shop", "secret", "");
  const Status s = CheckedAgainst(catalog, "DELETE FROM secret");
  EXPECT_EQ(s.code(), Status::Code::kRefused);
  EXPECT_NE(s.message().find("needs SHOW VIEW"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace ddb
