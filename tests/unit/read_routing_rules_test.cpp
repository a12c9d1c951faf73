// Which reads a slave may answer (read_routing_rules.h) and which SETs keep a
// session's reads on the master.
#include "read_routing_rules.h"

#include <gtest/gtest.h>

#include "endpoint_reads.h"

namespace ddb {
namespace {

bool Routable(const std::string& sql) { return IsRoutableRead(sql, ParseStatement(sql)); }

std::string PinnedBy(const std::string& sql) { return SetKeepsReadsOnMaster(Tokenize(sql)); }

TEST(ReadRoutingRulesTest, PlainReadsOfTablesMayGoToASlave) {
  EXPECT_TRUE(Routable("SELECT c FROM sbtest1 WHERE id = 5"));
  EXPECT_TRUE(Routable("select sum(k) from t where id between 1 and 10 order by c"));
  EXPECT_TRUE(Routable("SHOW TABLES"));
  EXPECT_TRUE(Routable("SHOW FULL COLUMNS FROM t"));
  EXPECT_TRUE(Routable("SHOW CREATE TABLE t"));
  EXPECT_TRUE(Routable("DESCRIBE t"));
  EXPECT_TRUE(Routable("SELECT NOW(), 'for update' AS quoted_words_do_not_count"));
}

TEST(ReadRoutingRulesTest, ReadsThatActOnTheMastersSessionOrRowsStayThere) {
  EXPECT_FALSE(Routable("SELECT * FROM t WHERE id = 1 FOR UPDATE"));
  EXPECT_FALSE(Routable("SELECT * FROM t WHERE id = 1 LOCK IN SHARE MODE"));
  EXPECT_FALSE(Routable("SELECT id INTO @x FROM t LIMIT 1"));
  EXPECT_FALSE(Routable("SELECT @x"));
  EXPECT_FALSE(Routable("SELECT @@session.sql_mode"));
  EXPECT_FALSE(Routable("SELECT LAST_INSERT_ID()"));
  EXPECT_FALSE(Routable("SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1"));
  EXPECT_FALSE(Routable("SELECT FOUND_ROWS()"));
  EXPECT_FALSE(Routable("SELECT ROW_COUNT()"));
  EXPECT_FALSE(Routable("SELECT CONNECTION_ID()"));
  EXPECT_FALSE(Routable("SELECT GET_LOCK('a', 1)"));
  EXPECT_FALSE(Routable("SELECT RAND()"));
  // One server's own state.
  EXPECT_FALSE(Routable("SELECT * FROM information_schema.PROCESSLIST"));
  EXPECT_FALSE(Routable("SELECT * FROM performance_schema.threads"));
  EXPECT_FALSE(Routable("SELECT * FROM ddb_meta.replication_log"));
  EXPECT_FALSE(Routable("SHOW TABLE STATUS"));
  EXPECT_FALSE(Routable("SHOW FULL PROCESSLIST"));
  EXPECT_FALSE(Routable("SHOW WARNINGS"));
  EXPECT_FALSE(Routable("SHOW STATUS"));
  // Not reads at all.
  EXPECT_FALSE(Routable("INSERT INTO t VALUES (1)"));
  EXPECT_FALSE(Routable("SET @x = 1"));
}

TEST(ReadRoutingRulesTest, TheHintInAnyCommentForcesTheMaster) {
  EXPECT_FALSE(Routable("/* ddb:master */ SELECT c FROM t"));
  EXPECT_FALSE(Routable("SELECT /*DDB:MASTER*/ c FROM t"));
  EXPECT_FALSE(Routable("SELECT c FROM t -- ddb:master"));
  EXPECT_TRUE(HasMasterHint("SELECT 1 # please, ddb:master"));
  // In a string it is data, not a hint.
  EXPECT_TRUE(Routable("SELECT c FROM t WHERE c = '/* ddb:master */'"));
  EXPECT_FALSE(HasMasterHint("SELECT 'ddb:master'"));
}

TEST(ReadRoutingRulesTest, SetsThatSlavesReproduceKeepReadsRouted) {
  EXPECT_EQ(PinnedBy("SET @x = 1, @y = (SELECT 2)"), "");
  EXPECT_EQ(PinnedBy("SET NAMES utf8mb4 COLLATE utf8mb4_bin"), "");
  EXPECT_EQ(PinnedBy("SET CHARACTER SET latin1"), "");
  EXPECT_EQ(PinnedBy("SET autocommit = 1"), "");
  EXPECT_EQ(PinnedBy("SET SESSION sql_mode = 'ANSI_QUOTES', time_zone = '+02:00'"), "");
  EXPECT_EQ(PinnedBy("SET @@session.wait_timeout = 60, @@character_set_results = NULL"), "");
  EXPECT_EQ(PinnedBy("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE"), "");
  EXPECT_EQ(PinnedBy("SET GLOBAL max_connections = 10"), "");
  EXPECT_EQ(PinnedBy("SET STATEMENT max_statement_time = 1 FOR SELECT 1"), "");
  // Replicated variables travel with routed reads too.
  EXPECT_EQ(
      PinnedBy("SET group_concat_max_len = 10, lc_time_names = 'de_DE', system_versioning_asof = DEFAULT"),
      "");
}

TEST(ReadRoutingRulesTest, SetsThatSlavesCannotReproducePinReadsToTheMaster) {
  EXPECT_EQ(PinnedBy("SET timestamp = 1000"), "timestamp");
  EXPECT_EQ(PinnedBy("SET @x = 1, SESSION optimizer_search_depth = 10"), "optimizer_search_depth");
  EXPECT_EQ(PinnedBy("SET @@session.sql_select_limit = 1"), "sql_select_limit");
  EXPECT_EQ(PinnedBy("SET max_execution_time = IF(1, 2, 3), lc_time_names = 'de_DE'"), "max_execution_time");
}

TEST(EndpointReadsTest, CountsPerNodeWithTheMasterFirst) {
  EndpointReads reads("m1");
  reads.Count("slave2");
  reads.Count("master");
  reads.Count("");
  reads.Count("slave1");
  reads.Count("slave2");
  reads.CountFallback();
  const auto nodes = reads.Snapshot();
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes[0].node, "m1");
  EXPECT_TRUE(nodes[0].is_master);
  EXPECT_EQ(nodes[0].reads, 2u);
  EXPECT_EQ(nodes[1].node, "slave1");
  EXPECT_EQ(nodes[2].reads, 2u);
  EXPECT_EQ(reads.fallbacks(), 1u);
  EXPECT_EQ(reads.Describe(),
            "m1 (master) 2, slave1 1, slave2 2; 1 read(s) a slave could have answered went to the master");
}

}  // namespace
}  // namespace ddb
