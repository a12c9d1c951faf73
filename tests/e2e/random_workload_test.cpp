// A seeded random workload (tests/support/workload_generator.h) through the
// master console, with a slave offline for the middle third: afterwards every
// table, routine and trigger is equal on every node and every slave is at the
// master's position. Three fixed seeds of 1,500 statements each, each on its
// own cluster (one ctest test per seed).
//
// DDB_WORKLOAD_SEED=<n> replays a seed in the first test (the others skip;
// DDB_WORKLOAD_SEED=random picks one and prints it);
// DDB_WORKLOAD_STATEMENTS=<n> changes the length of every run: shorter to
// shrink a failing run (a shorter run is a prefix of the longer one), longer
// for a soak (docs/testing.md).
// A failure prints the seed, the command that replays it and where the
// workload's SQL was written.
// workload_generator_test.cpp checks the generator itself, without MySQL.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "cluster.h"
#include "ddb/sql/replay_safety.h"
#include "ddb/sql/statement_classifier.h"
#include "ddb/sql/statement_splitter.h"
#include "statement_policy.h"
#include "workload_generator.h"

namespace ddb::testing {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Each a cluster of its own; their order is the order ctest lists them.
constexpr auto& kSeeds = kWorkloadSeeds;
constexpr int kDefaultStatements = 1500;

// DDB_WORKLOAD_SEED, or 0 when it is not set.
uint64_t SeedFromEnvironment() {
  const char* value = std::getenv("DDB_WORKLOAD_SEED");
  if (value == nullptr || *value == '\0') return 0;
  if (std::string(value) == "random") {
    static const uint64_t random =
        static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) %
            1'000'000'007ULL +
        1;
    return random;
  }
  return std::stoull(value);
}

int WorkloadStatements() {
  const char* value = std::getenv("DDB_WORKLOAD_STATEMENTS");
  return value == nullptr || *value == '\0' ? kDefaultStatements : std::stoi(value);
}

// ------------------------------------------------------------ the cluster

// What the master console printed for failed statements, by error: how
// often, and the first few lines.
struct Errors {
  int count = 0;
  std::vector<std::string> examples;
};

std::map<std::string, Errors> ErrorsByKind(const std::string& console_output) {
  std::map<std::string, Errors> errors;
  std::istringstream lines(console_output);
  std::string line;
  const std::regex mysql_error(R"(^ERROR (\d+) )");
  while (std::getline(lines, line)) {
    if (line.rfind("ERROR", 0) != 0) continue;
    std::smatch match;
    // ddb's own errors (a refusal names its reason) have no MySQL code.
    std::string kind =
        std::regex_search(line, match, mysql_error) ? "ERROR " + match[1].str() : line.substr(0, 60);
    // 1305 is both a missing savepoint (deliberate) and a missing routine
    // (the generator's model would be wrong).
    if (kind == "ERROR 1305" && line.find("SAVEPOINT") == std::string::npos) kind += " (not a savepoint)";
    Errors& errors_of_kind = errors[kind];
    ++errors_of_kind.count;
    if (errors_of_kind.examples.size() < 3) errors_of_kind.examples.push_back(line);
  }
  return errors;
}

class RandomWorkloadTest : public ::testing::TestWithParam<uint64_t> {
 protected:
  void SetUp() override {
    const uint64_t from_environment = SeedFromEnvironment();
    if (from_environment == 0) return;
    if (GetParam() != kSeeds[0]) GTEST_SKIP() << "DDB_WORKLOAD_SEED replays one seed, in the first test";
    seed_ = from_environment;
  }

  void TearDown() override {
    if (!HasFailure()) return;
    const std::filesystem::path file =
        std::filesystem::temp_directory_path() / ("ddb-workload-" + std::to_string(seed_) + ".sql");
    std::ofstream(file) << GenerateWorkload(seed_, statements_);
    std::cerr << "\nthe workload's SQL (seed " << seed_ << ", " << statements_ << " statements) is in "
              << file << "\nreplay: DDB_WORKLOAD_SEED=" << seed_ << " DDB_WORKLOAD_STATEMENTS=" << statements_
              << " build/tests/random_workload_test --gtest_filter='Seeds/RandomWorkloadTest.*/seed_"
              << kSeeds[0] << "'\n";
  }

  uint64_t seed_ = GetParam();
  int statements_ = WorkloadStatements();
};

std::vector<std::string> TablesOf(MariaDbInstance& db) {
  std::vector<std::string> tables;
  for (const auto& row :
       db.Query("SELECT CONCAT(table_schema, '.', table_name) FROM information_schema.tables "
                "WHERE table_schema IN ('wl', 'wl_b') ORDER BY 1")) {
    tables.push_back(row.at(0));
  }
  return tables;
}

// SHOW CREATE TABLE without the AUTO_INCREMENT counter, which may be ahead on
// the master (failed and rolled-back inserts use up values there).
std::string Definition(MariaDbInstance& db, const std::string& table) {
  const auto rows = db.Query("SHOW CREATE TABLE " + table);
  return std::regex_replace(rows.at(0).at(1), std::regex(R"( AUTO_INCREMENT=\d+)"), "");
}

// The rows of `table` that differ between the master and a slave (by id;
// wl.audit, which has no key, by the whole row), for the failure message.
std::string RowDifferences(MariaDbInstance& master, MariaDbInstance& slave, const std::string& table) {
  const bool keyless = table == "wl.audit";
  auto rows_by_id = [&](MariaDbInstance& db) {
    std::map<std::string, std::string> rows;
    for (const auto& row : db.Query("SELECT * FROM " + table)) {
      std::string text;
      for (const std::string& value : row) text += (text.empty() ? "" : " | ") + value;
      std::string key = keyless ? text : row.at(0);
      for (int copy = 2; keyless && rows.count(key); ++copy)
        key = text + " (copy " + std::to_string(copy) + ")";
      rows[key] = text;
    }
    return rows;
  };
  const auto on_master = rows_by_id(master);
  const auto on_slave = rows_by_id(slave);
  std::string out;
  int shown = 0;
  auto show = [&](const std::string& id, const std::string& master_row, const std::string& slave_row) {
    if (++shown > 10) return;
    out += "  id " + id + ":\n    master: " + master_row + "\n    slave:  " + slave_row + "\n";
  };
  for (const auto& [id, row] : on_master) {
    const auto it = on_slave.find(id);
    if (it == on_slave.end()) {
      show(id, row, "(missing)");
    } else if (it->second != row) {
      show(id, row, it->second);
    }
  }
  for (const auto& [id, row] : on_slave) {
    if (!on_master.count(id)) show(id, "(missing)", row);
  }
  return out;
}

// Statements fail on purpose (duplicate keys, values a column cannot hold):
// fine, they are not replicated. A syntax error, an unknown table or a
// refusal means the generator wrote something it should not have.
//
// The statements written to be refused print ddb's reason (no MySQL code):
// each must be one of these, and there must be as many as were written.
void ExpectOnlyDeliberateFailures(const std::string& console_output,
                                  const std::vector<std::string>& statements) {
  static const std::vector<std::string> kRefusals = {
      "ERROR: PREPARE is not run by ddb",
      "ERROR: EXECUTE is not run by ddb",
      "ERROR: XA is not run by ddb",
      "ERROR: LOAD DATA without LOCAL reads a file",
      "ERROR: @@port has each server",
      "ERROR: @@server_id has each server",
      "ERROR: ENGINE=MYISAM is not transactional",
      "ERROR: ddb runs master sessions at REPEATABLE READ",
      "ERROR: the body runs PREPARE",
  };
  const auto is_refusal = [](const std::string& kind) {
    return std::any_of(kRefusals.begin(), kRefusals.end(),
                       [&](const std::string& refusal) { return kind.rfind(refusal, 0) == 0; });
  };
  static const std::set<std::string> kDeliberate = {
      "ERROR 1243",  // DEALLOCATE PREPARE of a text never prepared (PREPARE is refused)
      "ERROR 1062",  // duplicate entry
      "ERROR 1051",  // DROP TABLE naming a missing table (after dropping the others)
      "ERROR 1048",  // column cannot be null
      "ERROR 1305",  // savepoint does not exist
      "ERROR 1406",  // data too long
      "ERROR 1264",  // out of range
      "ERROR 1265",  // data truncated
      "ERROR 1292",  // truncated incorrect value
      "ERROR 1366",  // incorrect value
  };
  int failed = 0;
  int refused = 0;
  for (const auto& [kind, of_kind] : ErrorsByKind(console_output)) {
    std::cerr << "  " << of_kind.count << " x " << kind << "\n";
    failed += of_kind.count;
    if (is_refusal(kind)) {
      refused += of_kind.count;
      continue;
    }
    std::string examples;
    for (const std::string& line : of_kind.examples) examples += "  " + line + "\n";
    EXPECT_TRUE(kDeliberate.count(kind)) << of_kind.count << " statements failed with " << kind << ", e.g.\n"
                                         << examples;
  }
  EXPECT_EQ(refused, std::count_if(statements.begin(), statements.end(), RefusedByTheMaster))
      << "every statement written to be refused, and only those, is refused";
  EXPECT_LT(failed, static_cast<int>(statements.size()) / 5) << "too few statements did any work";
}

// Every table of the workload's databases: the same tables on every node,
// the same definition (but the AUTO_INCREMENT counter) and the same rows.
// Returns the master's row count.
// The workload's routines and triggers, with their definitions.
std::vector<std::vector<std::string>> ProgramsOf(MariaDbInstance& db) {
  std::vector<std::vector<std::string>> programs = db.Query(
      "SELECT routine_schema, routine_name, routine_type, routine_definition FROM "
      "information_schema.routines "
      "WHERE routine_schema IN ('wl', 'wl_b') ORDER BY 1, 2");
  for (auto& row :
       db.Query("SELECT trigger_schema, trigger_name, event_object_table, "
                "CONCAT(action_timing, ' ', event_manipulation, ' ', action_order), action_statement "
                "FROM information_schema.triggers WHERE trigger_schema IN ('wl', 'wl_b') ORDER BY 1, 2")) {
    programs.push_back(std::move(row));
  }
  return programs;
}

void ExpectEveryProgramEqual(Cluster& cluster) {
  const auto programs = ProgramsOf(cluster.master_db());
  for (int i = 0; i < cluster.slave_count(); ++i) {
    EXPECT_EQ(ProgramsOf(cluster.slave_db(i)), programs) << "routines or triggers differ on slave" << (i + 1);
  }
  std::cerr << programs.size() << " routines and triggers on the master\n";
}

uint64_t ExpectEveryTableEqual(Cluster& cluster) {
  const std::vector<std::string> tables = TablesOf(cluster.master_db());
  EXPECT_GE(tables.size(), 3u);
  std::set<std::string> on_every_slave(tables.begin(), tables.end());
  for (int i = 0; i < cluster.slave_count(); ++i) {
    const std::vector<std::string> slave_tables = TablesOf(cluster.slave_db(i));
    EXPECT_EQ(slave_tables, tables) << "slave" << (i + 1) << " has other tables";
    std::erase_if(on_every_slave, [&](const std::string& table) {
      return std::find(slave_tables.begin(), slave_tables.end(), table) == slave_tables.end();
    });
  }
  uint64_t rows = 0;
  for (const std::string& table : tables) {
    if (!on_every_slave.count(table)) continue;  // reported above
    const std::string db = table.substr(0, table.find('.'));
    const std::string name = table.substr(table.find('.') + 1);
    cluster.ExpectTableEqualEverywhere(db, name);
    const std::string checksum = cluster.master_db().TableChecksum(db, name);
    const std::string definition = Definition(cluster.master_db(), table);
    for (int i = 0; i < cluster.slave_count(); ++i) {
      if (cluster.slave_db(i).TableChecksum(db, name) != checksum) {
        ADD_FAILURE() << table << " rows that differ on slave" << (i + 1) << ":\n"
                      << RowDifferences(cluster.master_db(), cluster.slave_db(i), table);
      }
      EXPECT_EQ(Definition(cluster.slave_db(i), table), definition) << table << " on slave" << (i + 1);
    }
    rows += std::stoull(cluster.master_db().QueryValue("SELECT COUNT(*) FROM " + table));
  }
  std::cerr << tables.size() << " tables, " << rows << " rows on the master\n";
  return rows;
}

TEST_P(RandomWorkloadTest, AllNodesEqualAfterTheWorkloadWithASlaveOfflineForItsMiddleThird) {
  SCOPED_TRACE("workload seed " + std::to_string(seed_) + " (" + std::to_string(statements_) +
               " statements); replay with DDB_WORKLOAD_SEED=" + std::to_string(seed_));
  std::cerr << "workload seed " << seed_ << ", " << statements_ << " statements\n";
  const std::vector<std::string> statements = GenerateWorkloadStatements(seed_, statements_);

  Cluster cluster;
  cluster.StartMaster();
  cluster.StartSlave(0);
  cluster.StartSlave(1);
  const size_t third = statements.size() / 3;
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };

  auto phase = Clock::now();
  cluster.SqlAndWait(ConsoleText(statements, 0, third), minutes(10));
  const double first = seconds_since(phase);
  cluster.StopSlave(1);
  phase = Clock::now();
  cluster.SqlAndWait(ConsoleText(statements, third, 2 * third), minutes(10));
  const double second = seconds_since(phase);
  // slave2 comes back and replays the middle third with the clock moved on
  // by whole seconds (NOW() without a fraction must still agree): a second
  // after its last statement, every one of them is at least a second old.
  std::this_thread::sleep_for(seconds(1));
  // A small receive queue, so the catch-up keeps hitting a full queue (the
  // path where a record once got lost).
  cluster.StartSlave(1, {"--queue_records", "50"});
  phase = Clock::now();
  cluster.SqlAndWait(ConsoleText(statements, 2 * third, statements.size()), minutes(10));
  const double last = seconds_since(phase);
  phase = Clock::now();
  ASSERT_TRUE(cluster.WaitForSlavesCaughtUp(minutes(3)))
      << "slaves did not catch up: master at #" << cluster.MasterLastSeq() << ", slave1 at #"
      << cluster.SlaveSeq(0) << ", slave2 at #" << cluster.SlaveSeq(1) << "\n"
      << cluster.SlaveLog(0) << cluster.SlaveLog(1);
  std::cerr << "master console: " << statements.size() << " statements in " << first << " + " << second
            << " + " << last << " s (slave2 offline for the second third), slaves caught up "
            << seconds_since(phase) << " s later; log at #" << cluster.MasterLastSeq() << "\n";

  ExpectOnlyDeliberateFailures(cluster.MasterConsoleOutput(), statements);
  ExpectEveryProgramEqual(cluster);
  EXPECT_GT(ExpectEveryTableEqual(cluster), 100u) << "the workload left almost nothing to compare";
  // Every DDL the master ran is marked done in its log (a row left 'pending'
  // would be executed again at the master's next start).
  EXPECT_EQ(
      cluster.master_db().QueryValue("SELECT COUNT(*) FROM ddb_meta.replication_log WHERE state <> 'done'"),
      "0");
  const uint64_t master_seq = cluster.MasterLastSeq();
  for (int i = 0; i < cluster.slave_count(); ++i) {
    EXPECT_EQ(cluster.SlaveSeq(i), master_seq) << "slave" << (i + 1) << "'s position";
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomWorkloadTest, ::testing::ValuesIn(kSeeds),
                         [](const ::testing::TestParamInfo<uint64_t>& info) {
                           return "seed_" + std::to_string(info.param);
                         });

}  // namespace
}  // namespace ddb::testing
