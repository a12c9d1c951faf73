// A session's temporary tables stay on the master: statements that create,
// change, read or drop only them run there unlogged; a statement that would
// carry one into replicated data is refused, one that reaches a stored
// program has its bodies checked; names are matched exactly, schema resolved.
#include "temporary_tables.h"

#include <gtest/gtest.h>

#include <deque>

namespace ddb {
namespace {

using Use = TemporaryTables::Use;

class TemporaryTablesTest : public ::testing::Test {
 protected:
  // Parsed statements keep views into their text: the texts live here.
  const ParsedStatement& Parse(const std::string& sql) {
    texts_.push_back(sql);
    parsed_.push_back(ParseStatement(texts_.back()));
    return parsed_.back();
  }
  TemporaryTables::Decision Classify(const std::string& sql, const std::string& database = "app") {
    return tables_.Classify(Parse(sql), database);
  }
  // Classifies `sql` and, when it runs on the master alone, learns from it
  // as the session does after it succeeded.
  TemporaryTables::Decision Run(const std::string& sql, const std::string& database = "app") {
    const ParsedStatement& parsed = Parse(sql);
    const TemporaryTables::Decision decision = tables_.Classify(parsed, database);
    if (decision.use == Use::kLocal) tables_.Learn(parsed, database);
    return decision;
  }

  TemporaryTables tables_;
  std::deque<std::string> texts_;
  std::deque<ParsedStatement> parsed_;
};

TEST_F(TemporaryTablesTest, WithoutTemporaryTablesEveryStatementIsAsUsual) {
  EXPECT_EQ(Classify("INSERT INTO t SELECT * FROM tmp").use, Use::kNone);
  EXPECT_EQ(Classify("CALL p()").use, Use::kNone);
  EXPECT_EQ(Classify("CREATE TABLE t (id INT)").use, Use::kNone);
  EXPECT_EQ(Classify("CREATE TEMPORARY SEQUENCE s").use, Use::kNone);  // refused as a sequence, elsewhere
}

TEST_F(TemporaryTablesTest, CreatingAndDroppingOneRunsOnTheMasterWithoutCommitting) {
  const TemporaryTables::Decision created = Run("CREATE TEMPORARY TABLE IF NOT EXISTS tmp (id INT)");
  EXPECT_EQ(created.use, Use::kLocal);
  EXPECT_FALSE(created.commits_implicitly);
  EXPECT_FALSE(tables_.empty());
  EXPECT_EQ(Run("CREATE OR REPLACE TEMPORARY TABLE other.scratch AS SELECT * FROM app.t").use, Use::kLocal);
  const TemporaryTables::Decision dropped = Run("DROP TEMPORARY TABLE IF EXISTS tmp, other.scratch");
  EXPECT_EQ(dropped.use, Use::kLocal);
  EXPECT_FALSE(dropped.commits_implicitly);
  EXPECT_TRUE(tables_.empty());
  EXPECT_EQ(Classify("SELECT * FROM tmp").use, Use::kNone);
}

TEST_F(TemporaryTablesTest, WritesAndReadsOfOnlyThemStayOnTheMaster) {
  Run("CREATE TEMPORARY TABLE tmp (id INT)");
  EXPECT_EQ(Classify("INSERT INTO tmp SELECT id FROM orders WHERE total > 10").use, Use::kLocal);
  EXPECT_EQ(Classify("INSERT INTO app.tmp VALUES (UUID_SHORT())").use, Use::kLocal);
  EXPECT_EQ(Classify("UPDATE `tmp` SET id = id + 1").use, Use::kLocal);
  EXPECT_EQ(Classify("UPDATE tmp SET id = (SELECT MAX(id) FROM orders)").use, Use::kLocal);
  EXPECT_EQ(Classify("DELETE FROM tmp USING tmp JOIN (SELECT id FROM orders) o ON (o.id = tmp.id)").use,
            Use::kLocal);
  EXPECT_EQ(Classify("DELETE FROM tmp WHERE id = 3").use, Use::kLocal);
  EXPECT_EQ(Classify("SELECT o.* FROM orders o JOIN tmp ON tmp.id = o.id").use, Use::kLocal);
  EXPECT_EQ(Classify("SHOW CREATE TABLE tmp").use, Use::kLocal);
  EXPECT_EQ(Classify("LOAD DATA LOCAL INFILE 'rows.csv' INTO TABLE tmp FIELDS TERMINATED BY ','").use,
            Use::kLocal);
  // Statements that do not name it are as usual, reads and writes.
  EXPECT_EQ(Classify("SELECT * FROM orders").use, Use::kNone);
  EXPECT_EQ(Classify("INSERT INTO orders VALUES (1)").use, Use::kNone);
}

TEST_F(TemporaryTablesTest, ReadingOneIntoTablesThatReplicateIsRefusedNamingIt) {
  Run("CREATE TEMPORARY TABLE staging (id INT)");
  for (const char* sql : {"INSERT INTO orders VALUES ((SELECT MAX(id) FROM staging))",
                          "UPDATE orders JOIN staging USING (id) SET n = 1",
                          "DELETE orders FROM orders JOIN staging USING (id)",
                          "UPDATE staging JOIN (orders) ON staging.id = orders.id SET orders.n = 1",
                          "CREATE TABLE copy AS SELECT * FROM staging", "CREATE TABLE copy LIKE staging",
                          "CREATE VIEW v AS SELECT * FROM staging", "DROP TABLE staging, orders",
                          "INSERT INTO other.staging VALUES (1)", "INSERT INTO STAGING VALUES (1)",
                          "LOAD DATA INFILE '/etc/passwd' INTO TABLE staging"}) {
    const TemporaryTables::Decision decision = Classify(sql);
    EXPECT_EQ(decision.use, Use::kRefused) << sql;
    EXPECT_NE(decision.refusal.find("`staging`"), std::string::npos) << sql << ": " << decision.refusal;
  }
  // Another default database: `staging` there is another table.
  EXPECT_EQ(Classify("INSERT INTO staging VALUES (1)", "other").use, Use::kRefused);
  // Rows a query reads from it into tables that replicate: the master runs
  // the query and logs the rows as values.
  for (const char* sql :
       {"INSERT INTO orders SELECT * FROM staging", "REPLACE INTO orders (id) SELECT id FROM staging",
        "INSERT IGNORE INTO orders (SELECT id FROM staging) RETURNING id"}) {
    EXPECT_EQ(Classify(sql).use, Use::kMaterialize) << sql;
  }
  EXPECT_EQ(Classify("INSERT INTO orders SELECT id FROM staging ON DUPLICATE KEY UPDATE n = 1").use,
            Use::kRefused);
}

TEST_F(TemporaryTablesTest, ItsDdlRunsOnTheMasterAfterTheImplicitCommit) {
  Run("CREATE TEMPORARY TABLE tmp (id INT)");
  for (const char* sql : {"ALTER TABLE tmp ADD COLUMN n INT", "TRUNCATE TABLE tmp", "TRUNCATE tmp",
                          "CREATE INDEX i ON tmp (id)", "DROP INDEX i ON app.tmp"}) {
    const TemporaryTables::Decision decision = Classify(sql);
    EXPECT_EQ(decision.use, Use::kLocal) << sql;
    EXPECT_TRUE(decision.commits_implicitly) << sql;
  }
  EXPECT_EQ(Classify("ALTER TABLE tmp RENAME COLUMN id TO n, RENAME INDEX a TO b").use, Use::kLocal);
  EXPECT_EQ(Classify("ALTER TABLE tmp RENAME TO kept").use, Use::kRefused);
  EXPECT_EQ(Classify("ALTER TABLE tmp ADD n INT, RENAME kept").use, Use::kRefused);
  EXPECT_EQ(Classify("RENAME TABLE tmp TO kept").use, Use::kRefused);
  // DROP TABLE without TEMPORARY drops the temporary table that hides a
  // real one of its name, and commits.
  const TemporaryTables::Decision dropped = Run("DROP TABLE tmp");
  EXPECT_EQ(dropped.use, Use::kLocal);
  EXPECT_TRUE(dropped.commits_implicitly);
  EXPECT_TRUE(tables_.empty());
}

TEST_F(TemporaryTablesTest, ProgramsReachedWhileOneIsHeldHaveTheirBodiesChecked) {
  EXPECT_EQ(Classify("CREATE TEMPORARY TABLE tmp AS SELECT my_function(id) FROM t").use, Use::kRefused);
  Run("CREATE TEMPORARY TABLE tmp (id INT)");
  for (const char* sql : {"CALL p()", "SELECT my_function(1)", "INSERT INTO orders VALUES (my_function(1))",
                          "BEGIN NOT ATOMIC INSERT INTO orders VALUES (1); END", "SET @a = my_function(2)"}) {
    EXPECT_EQ(Classify(sql).use, Use::kCheckPrograms) << sql;
  }
  // Naming the table itself, a program's statement is refused at once.
  for (const char* sql : {"CALL p((SELECT COUNT(*) FROM tmp))", "SELECT my_function(id) FROM tmp",
                          "INSERT INTO tmp VALUES (my_function(1))",
                          "BEGIN NOT ATOMIC INSERT INTO orders SELECT id FROM tmp; END"}) {
    const TemporaryTables::Decision decision = Classify(sql);
    EXPECT_EQ(decision.use, Use::kRefused) << sql;
    EXPECT_NE(decision.refusal.find("`tmp`"), std::string::npos) << decision.refusal;
  }
  EXPECT_EQ(Classify("SELECT COUNT(*), NOW() FROM tmp").use, Use::kLocal);
}

TEST_F(TemporaryTablesTest, AfterAFailedCreateOrDropTheServerSaysWhatIsHeld) {
  Run("CREATE TEMPORARY TABLE a (id INT)");
  Run("CREATE TEMPORARY TABLE b (id INT)");
  std::vector<std::string> asked;
  tables_.Recheck(Parse("DROP TEMPORARY TABLE a, other.missing, b"), "app",
                  [&](const std::string& schema, const std::string& table) {
                    asked.push_back(schema + "." + table);
                    return table == "b";  // the server dropped `a` before it failed
                  });
  EXPECT_EQ(asked, (std::vector<std::string>{"app.a", "other.missing", "app.b"}));
  EXPECT_EQ(Classify("INSERT INTO a VALUES (1)").use, Use::kNone);
  EXPECT_EQ(Classify("INSERT INTO b VALUES (1)").use, Use::kLocal);
  tables_.Recheck(
      Parse("CREATE OR REPLACE TEMPORARY TABLE b (id INT PRIMARY KEY) SELECT 1 UNION ALL SELECT 1"), "app",
      [](const std::string&, const std::string&) { return false; });
  EXPECT_TRUE(tables_.empty());
}

TEST_F(TemporaryTablesTest, ForgettingThemEndsEveryRestriction) {
  Run("CREATE TEMPORARY TABLE tmp (id INT)");
  tables_.Forget();
  EXPECT_TRUE(tables_.empty());
  EXPECT_EQ(Classify("CALL p()").use, Use::kNone);
  EXPECT_EQ(Classify("INSERT INTO tmp VALUES (1)").use, Use::kNone);
}

}  // namespace
}  // namespace ddb
