// The seeded workload generator (tests/support/workload_generator.h) checked
// without MySQL: determinism, prefixes, the console's splitting, and that the
// master's allow-list accepts every statement but those meant to be refused.
// It links the master's library for the allow-list (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "ddb/sql/replay_safety.h"
#include "ddb/sql/statement_classifier.h"
#include "ddb/sql/statement_splitter.h"
#include "statement_policy.h"
#include "workload_generator.h"

namespace ddb::testing {
namespace {

constexpr uint64_t kDefaultSeed = kWorkloadSeeds[0];
constexpr auto& kSeeds = kWorkloadSeeds;
constexpr int kGeneratorCheckStatements = 5000;  // further than a cluster run goes

std::vector<SplitStatement> Split(const std::string& text) {
  StatementSplitter splitter;
  splitter.Feed(text);
  std::vector<SplitStatement> out;
  SplitStatement statement;
  while (splitter.Next(&statement)) out.push_back(statement);
  return out;
}

TEST(WorkloadGeneratorTest, TheSameSeedGivesTheSameText) {
  EXPECT_EQ(GenerateWorkload(7, 2000), GenerateWorkload(7, 2000));
  EXPECT_EQ(GenerateWorkload(kDefaultSeed, 300), GenerateWorkload(kDefaultSeed, 300));
}

TEST(WorkloadGeneratorTest, DifferentSeedsGiveDifferentWorkloads) {
  std::set<std::string> texts;
  for (uint64_t seed = 1; seed <= 5; ++seed) texts.insert(GenerateWorkload(seed, 500));
  EXPECT_EQ(texts.size(), 5u);
}

TEST(WorkloadGeneratorTest, ALongerRunStartsWithTheShorterOne) {
  // What a seed generates does not depend on how long the run is, so a
  // failing run can be cut short and still replay the same beginning.
  const std::vector<std::string> shorter = GenerateWorkloadStatements(11, 1000);
  const std::vector<std::string> longer = GenerateWorkloadStatements(11, 3000);
  ASSERT_EQ(shorter.size(), 1000u);
  size_t same = 0;
  while (same < shorter.size() && shorter[same] == longer[same]) ++same;
  // Only the last unit may differ: it was cut to fit the shorter run.
  EXPECT_GT(same, 980u);
}

TEST(WorkloadGeneratorTest, TheConsoleSplitsItIntoExactlyTheRequestedStatements) {
  for (int count : {1, 5, 6, 7, 8, 11, 100, kGeneratorCheckStatements}) {
    for (uint64_t seed : {1u, 2u, 3u}) {
      const std::vector<std::string> statements = GenerateWorkloadStatements(seed, count);
      ASSERT_EQ(statements.size(), static_cast<size_t>(count)) << "seed " << seed;
      const std::vector<SplitStatement> split = Split(GenerateWorkload(seed, count));
      ASSERT_EQ(split.size(), static_cast<size_t>(count)) << "seed " << seed;
      for (int i = 0; i < count; ++i) EXPECT_EQ(split[i].sql, statements[i]) << "seed " << seed;
    }
  }
}

TEST(WorkloadGeneratorTest, EveryStatementIsOneTheMasterAcceptsButThoseMeantToBeRefused) {
  for (uint64_t seed : {kSeeds[0], kSeeds[1], kSeeds[2], uint64_t{1}, uint64_t{2}, uint64_t{3}}) {
    int refused = 0;
    for (const std::string& sql : GenerateWorkloadStatements(seed, kGeneratorCheckStatements)) {
      const ParsedStatement parsed = ParseStatement(sql);
      const StatementInfo& info = parsed.info;
      const std::string refusal = RefusalFor(parsed);
      if (RefusedByTheMaster(sql)) {
        ++refused;
        EXPECT_NE(refusal, "") << "meant to be refused, but the master would run it: " << sql;
        continue;
      }
      EXPECT_EQ(refusal, "") << sql;
      const ReplayTraits traits = InspectForReplay(sql);
      EXPECT_EQ(traits.unsafe_reason, "") << sql;
      EXPECT_EQ(traits.warning, "") << sql;
      EXPECT_NE(info.kind, StatementKind::kUnknown) << sql;
      EXPECT_NE(info.kind, StatementKind::kLockTables) << sql;
      // Run locally: DO (of a stored function it is a logged write) and
      // DEALLOCATE PREPARE.
      if (info.kind == StatementKind::kAdmin) {
        EXPECT_TRUE(info.verb == "DO" || info.verb == "DEALLOCATE") << sql;
      }
      EXPECT_NE(info.kind, StatementKind::kEmpty) << sql;
      EXPECT_FALSE(info.is_temporary) << sql;
      EXPECT_FALSE(info.incomplete) << sql;
      EXPECT_FALSE(info.has_multiple_statements) << sql;
      EXPECT_FALSE(info.sets_global_state) << sql;
    }
    EXPECT_GT(refused, 10) << "seed " << seed;
  }
}

TEST(WorkloadGeneratorTest, EndsWithNoTransactionOpenAndAutocommitOn) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    for (int count : {40, 333, 1000}) {
      bool in_transaction = false;
      bool autocommit = true;
      for (const std::string& sql : GenerateWorkloadStatements(seed, count)) {
        const StatementInfo info = ClassifyStatement(sql);
        switch (info.kind) {
          case StatementKind::kBegin: in_transaction = true; break;
          case StatementKind::kCommit:
          case StatementKind::kRollback:
          case StatementKind::kDdl: in_transaction = false; break;
          case StatementKind::kDml: in_transaction = in_transaction || !autocommit; break;
          case StatementKind::kSet:
            if (sql.find("autocommit") != std::string::npos) {
              autocommit = sql.find("= 1") != std::string::npos || sql.find("= ON") != std::string::npos;
              in_transaction = false;
            }
            break;
          default: break;
        }
      }
      EXPECT_FALSE(in_transaction) << "seed " << seed << ", " << count << " statements";
      EXPECT_TRUE(autocommit) << "seed " << seed << ", " << count << " statements";
    }
  }
}

TEST(WorkloadGeneratorTest, CoversTheWholeMix) {
  const std::string text = GenerateWorkload(kDefaultSeed, kGeneratorCheckStatements);
  for (const char* needle :
       {"CREATE DATABASE", "CREATE TABLE", " LIKE ", "ADD COLUMN", "DROP COLUMN", "MODIFY COLUMN",
        "CREATE INDEX", "ADD INDEX", "DROP TABLE", "RENAME TABLE", "TRUNCATE", "INSERT INTO", "), (",
        "INSERT IGNORE", "ON DUPLICATE KEY UPDATE", "REPLACE INTO", "SELECT LEFT(", "UPDATE ", " JOIN ",
        "DELETE FROM", "ORDER BY id LIMIT", "BEGIN;", "START TRANSACTION;", "COMMIT;", "ROLLBACK;",
        "SAVEPOINT sp_a;", "ROLLBACK TO SAVEPOINT", "RELEASE SAVEPOINT", "SET autocommit = 0;",
        "SET autocommit = 1;", "USE wl_b;", "NULL", "DEFAULT", "AUTO_INCREMENT", "CURRENT_TIMESTAMP(6)",
        "NOW(6)", "CURDATE()", "RAND()", "LAST_INSERT_ID()", "SET @v", "INTO @v5", "@counter := @counter + 1",
        "time_zone", "div_precision_increment", "😀", "日本語", "\\'", "''", "\\\\", "\\n", "_utf8mb4'",
        // stored programs
        "CREATE TRIGGER", "BEFORE INSERT", "AFTER UPDATE", "BEFORE DELETE", "DROP TRIGGER",
        "CREATE PROCEDURE", "CREATE FUNCTION", "MODIFIES SQL DATA", "DELIMITER //", "CALL ", "DO ",
        "VALUES ('by function', ", "INTO @v4", "DROP PROCEDURE IF EXISTS", "DROP FUNCTION IF EXISTS",
        // refused by the master
        "PREPARE s1 FROM", "EXECUTE s1", "DEALLOCATE PREPARE s1", "XA ", "LOAD DATA INFILE", "@@port",
        "ENGINE=MyISAM", "ISOLATION LEVEL READ COMMITTED", "PREPARE s2"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << "the workload never contains " << needle;
  }
}

}  // namespace
}  // namespace ddb::testing
