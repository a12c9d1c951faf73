// VerifyResults: how a check's report becomes each table's state (equal,
// differs with the chunks' ranges and slaves, unknown and why), and how the
// results show in GET /api/verify's JSON, \status and /metrics.
#include "verify_results.h"

#include <gtest/gtest.h>

#include <sstream>

#include "master_metrics.h"

namespace ddb {
namespace {

// A report of one table of three chunks checked on slave1 and slave2.
VerifyReport ReportOf(const std::string& table, std::map<std::string, std::string> slaves) {
  VerifyReport report;
  report.position = 42;
  report.slave_names = {"slave1", "slave2"};
  ChunkPlan plan;
  plan.table = table;
  plan.conditions = {"c1", "c2", "c3"};
  plan.ranges = {"id <= 1000", "1000 < id <= 2000", "2000 < id"};
  report.plans.push_back(plan);
  TableVerdict verdict;
  verdict.table = table;
  verdict.master_rows = 2500;
  verdict.slaves = std::move(slaves);
  report.tables.push_back(verdict);
  return report;
}

TEST(VerifyResultsTest, EveryCheckedSlaveOkIsEqual) {
  const TableResult result = ResultOf(ReportOf("w.t", {{"slave1", "ok"}, {"slave2", "ok"}}), 0, 7);
  EXPECT_EQ(result.state, TableState::kEqual);
  EXPECT_EQ(result.checked_at_micros, 7);
  EXPECT_EQ(result.position, 42u);
  EXPECT_EQ(result.chunks, 3u);
  EXPECT_TRUE(result.differences.empty());
}

TEST(VerifyResultsTest, ADifferingChunkIsNamedByNumberRangeAndSlave) {
  VerifyReport report = ReportOf("w.t", {{"slave1", "ok"}, {"slave2", "DIFFERS: chunk 2 of 3, ..."}});
  report.tables[0].differing_chunks = {1};
  report.tables[0].differing_slaves[1] = {"slave2"};
  const TableResult result = ResultOf(report, 0, 7);
  EXPECT_EQ(result.state, TableState::kDiffers);
  ASSERT_EQ(result.differences.size(), 1u);
  EXPECT_EQ(result.differences[0].chunk, 2u);
  EXPECT_EQ(result.differences[0].range, "1000 < id <= 2000");
  EXPECT_EQ(result.differences[0].slaves, std::vector<std::string>{"slave2"});
}

TEST(VerifyResultsTest, AnOfflineSlaveOrNoPrimaryKeyIsUnknownWithTheReason) {
  VerifyReport offline = ReportOf("w.t", {{"slave1", "ok"}});
  offline.skipped["slave2"] = "offline: not checked";
  TableResult result = ResultOf(offline, 0, 7);
  EXPECT_EQ(result.state, TableState::kUnknown);
  EXPECT_EQ(result.reason, "slave2: offline: not checked");

  VerifyReport no_key = ReportOf("w.log", {{"slave1", "not checkable: no primary key to divide it by"},
                                           {"slave2", "not checkable: no primary key to divide it by"}});
  no_key.plans[0].not_checkable = "not checkable: no primary key to divide it by";
  result = ResultOf(no_key, 0, 7);
  EXPECT_EQ(result.state, TableState::kUnknown);
  EXPECT_EQ(result.reason, "not checkable: no primary key to divide it by");
}

TEST(VerifyResultsTest, ResultsShowInJsonStatusAndMetrics) {
  VerifyResults results;
  VerifyReport report = ReportOf("w.t2", {{"slave1", "ok"}, {"slave2", "DIFFERS: chunk 2 of 3, ..."}});
  report.tables[0].differing_slaves[1] = {"slave2"};
  results.Record(report, 1'000'000);
  results.Record(ResultOf(ReportOf("w.t1", {{"slave1", "ok"}, {"slave2", "ok"}}), 0, 1'000'000));
  results.UpdateProgress([](PassProgress& progress) {
    progress.interval_seconds = 60;
    progress.busy_percent = 5;
    progress.passes_completed = 3;
  });

  const nlohmann::json json = VerifyResultsJson(results);
  EXPECT_EQ(json["chunks_differing"], 1);
  EXPECT_EQ(json["passes_completed"], 3);
  ASSERT_EQ(json["tables"].size(), 2u);
  EXPECT_EQ(json["tables"][0]["table"], "w.t1");
  EXPECT_EQ(json["tables"][0]["state"], "equal");
  EXPECT_EQ(json["tables"][1]["state"], "differs");
  EXPECT_EQ(json["tables"][1]["differences"][0]["range"], "1000 < id <= 2000");

  std::ostringstream status;
  PrintVerifyResults(results, 3'000'000, status);
  EXPECT_NE(status.str().find("a pass every 60 s, at most 5% of the time; 3 pass(es) done"),
            std::string::npos)
      << status.str();
  EXPECT_NE(status.str().find("| w.t2  | differs | 2 s ago      | chunk 2 (1000 < id <= 2000) on slave2 |"),
            std::string::npos)
      << status.str();

  RecentRecords recent(10, 0);
  SlaveRegistry registry({"slave1", "slave2"});
  const std::string metrics = MasterMetrics(recent, registry, nullptr, 3'000'000, &results);
  EXPECT_NE(metrics.find("\nddb_verify_chunks_differing 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("ddb_verify_tables{state=\"equal\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("ddb_verify_passes_total 3"), std::string::npos) << metrics;

  // A table dropped since is forgotten.
  results.KeepOnly({"w.t1"});
  EXPECT_EQ(results.ChunksDiffering(), 0u);
  EXPECT_EQ(results.Tables().size(), 1u);
}

}  // namespace
}  // namespace ddb
