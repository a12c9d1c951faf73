// Micro-benchmarks of the statement classifier, which the master runs on
// every statement typed at its console before anything else.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "ddb/sql/statement_classifier.h"

namespace ddb {
namespace {

const std::vector<std::string>& Statements() {
  static const std::vector<std::string> statements = {
      "INSERT INTO bench.mixed (id, k, v) VALUES (42, 7, 'abcdefghijklmnopqrstuvwxyz0123456789')",
      "UPDATE bench.mixed SET k = k + 1, v = 'abcdefghij' WHERE id = 42",
      "DELETE FROM bench.mixed WHERE id = 42",
      "SELECT id, k, v FROM bench.mixed WHERE k BETWEEN 10 AND 20 ORDER BY id",
      "/* a comment */ CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, `na;me` VARCHAR(20) DEFAULT 'x''y')",
      "/*!40101 SET NAMES utf8mb4 */",
      "BEGIN",
  };
  return statements;
}

void BM_Classify(benchmark::State& state) {
  const std::string& sql = Statements()[static_cast<size_t>(state.range(0))];
  for (auto _ : state) benchmark::DoNotOptimize(ClassifyStatement(sql));
  state.SetLabel(sql.substr(0, 24));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(sql.size()));
}
BENCHMARK(BM_Classify)->DenseRange(0, 6);

// A long multi-row INSERT: the lexer's cost grows with the statement.
void BM_ClassifyLongInsert(benchmark::State& state) {
  std::string sql = "INSERT INTO bench.mixed (id, k, v) VALUES ";
  for (int i = 0; i < state.range(0); ++i) {
    sql += (i ? ", (" : "(") + std::to_string(i) + ", " + std::to_string(i * 7) + ", 'value " +
           std::to_string(i) + "')";
  }
  for (auto _ : state) benchmark::DoNotOptimize(ClassifyStatement(sql));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(sql.size()));
}
BENCHMARK(BM_ClassifyLongInsert)->Arg(10)->Arg(1000);

}  // namespace
}  // namespace ddb
