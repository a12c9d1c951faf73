// The sysbench program as the harness drives it: `prepare` and `run` of one
// of its OLTP Lua tests (oltp_write_only, oltp_read_write, ...) against one
// MySQL-protocol server, and the figures read back from its report. Which
// servers, threads and tests are measured is the sweep's business
// (sysbench_sweep.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace ddb::bench {

// Where sysbench connects: plain MariaDB's root, or ddb's endpoint user.
struct SysbenchTarget {
  uint16_t port = 0;
  std::string user = "root";
  std::string password;
};

// The data sysbench prepares and then works on (`--tables`, `--table-size`).
struct SysbenchTables {
  int tables = 4;
  int table_size = 10000;
};

struct SysbenchResult {
  double tps = 0;               // transactions per second
  double p95_ms = 0;            // 95th percentile latency
  long errors = 0;              // sysbench's "errors:" count (deadlocks it retried)
  bool replicas_equal = false;  // filled in by the sweep: CHECKSUM TABLE equal on every node
};

// CREATE DATABASE sbtest, then `sysbench <test> prepare`. Logs go to
// `log_prefix`-create.log and -prepare.log. Throws std::runtime_error if
// either fails.
void SysbenchPrepare(const std::string& test, const SysbenchTables& tables, const SysbenchTarget& target,
                     const std::filesystem::path& log_prefix);

// `sysbench <test> run` for `seconds` with `threads` client threads; its
// output goes to `log`. Throws std::runtime_error if it fails or its report
// lacks a figure.
SysbenchResult SysbenchRun(const std::string& test, const SysbenchTables& tables, int threads, int seconds,
                           const SysbenchTarget& target, const std::filesystem::path& log);

}  // namespace ddb::bench
