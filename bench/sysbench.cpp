#include "sysbench.h"

#include <cstdio>
#include <regex>
#include <stdexcept>
#include <vector>

#include "child_process.h"
#include "ddb_setup.h"
#include "setup.h"

namespace ddb::bench {
namespace {

struct Target {
  uint16_t port = 0;
  std::string user = "root";
  std::string password;
};

std::string RunProgram(std::vector<std::string> argv, const std::filesystem::path& log, std::chrono::seconds limit) {
  testing::ChildProcess child(std::move(argv), log);
  int code = -1;
  if (!child.WaitForExit(limit, &code)) {
    child.Terminate(std::chrono::seconds(5));
    throw std::runtime_error("timed out after " + std::to_string(limit.count()) + " s:\n" + child.ReadLog());
  }
  const std::string output = child.ReadLog();
  if (code != 0) throw std::runtime_error("exit code " + std::to_string(code) + ":\n" + output);
  return output;
}

std::vector<std::string> SysbenchArgv(const SysbenchOptions& options, const Target& target,
                                      const std::string& command) {
  std::vector<std::string> argv = {"sysbench", "oltp_write_only", "--db-driver=mysql", "--mysql-host=127.0.0.1",
                                   "--mysql-port=" + std::to_string(target.port), "--mysql-user=" + target.user,
                                   "--mysql-db=sbtest", "--tables=" + std::to_string(options.tables),
                                   "--table-size=" + std::to_string(options.table_size),
                                   // ddb's endpoint offers no server-side prepared statements; the
                                   // same mode everywhere keeps the comparison fair.
                                   "--db-ps-mode=disable"};
  if (!target.password.empty()) argv.push_back("--mysql-password=" + target.password);
  if (command == "run") {
    argv.push_back("--threads=" + std::to_string(options.threads));
    argv.push_back("--time=" + std::to_string(options.seconds));
    argv.push_back("--report-interval=0");
  }
  argv.push_back(command);
  return argv;
}

double Capture(const std::string& output, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(output, match, std::regex(pattern))) {
    throw std::runtime_error("sysbench output has no '" + pattern + "':\n" + output);
  }
  return std::stod(match[1]);
}

SysbenchResult Measure(const SysbenchOptions& options, Setup& setup, const Target& target,
                       const std::filesystem::path& dir, std::ostream& log) {
  const std::string name = setup.name();
  RunProgram({"mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", std::to_string(target.port), "-u", target.user,
              target.password.empty() ? "--skip-password" : "-p" + target.password, "-e", "CREATE DATABASE sbtest"},
             dir / (name + "-create.log"), std::chrono::seconds(60));
  RunProgram(SysbenchArgv(options, target, "prepare"), dir / (name + "-prepare.log"), std::chrono::seconds(300));
  log << "  sysbench " << name << ": " << options.seconds << " s of oltp_write_only, " << options.threads
      << " threads" << std::endl;
  const std::string output = RunProgram(SysbenchArgv(options, target, "run"), dir / (name + "-run.log"),
                                        std::chrono::seconds(options.seconds + 120));
  SysbenchResult result;
  result.tps = Capture(output, R"(transactions:\s+\d+\s+\(([\d.]+) per sec)");
  result.p95_ms = Capture(output, R"(95th percentile:\s+([\d.]+))");
  result.errors = static_cast<long>(Capture(output, R"(errors:\s+(\d+))"));
  setup.WaitReplicasCaughtUp(std::chrono::minutes(10));
  result.replicas_equal = true;
  for (int t = 1; t <= options.tables; ++t) {
    const std::string checksum = "CHECKSUM TABLE sbtest.sbtest" + std::to_string(t);
    const std::string expected = setup.primary().QueryValue(checksum);
    for (testing::MariaDbInstance* replica : setup.replicas()) {
      if (replica->QueryValue(checksum) != expected) result.replicas_equal = false;
    }
  }
  return result;
}

std::string Fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", digits, value);
  return text;
}

}  // namespace

SysbenchRow RunSysbenchRow(const SysbenchOptions& options, const std::filesystem::path& work_dir, std::ostream& log) {
  SysbenchRow row;
  {
    auto plain = StartPlain();
    row.plain = Measure(options, *plain, {plain->primary().port()}, work_dir, log);
  }
  {
    auto native = StartNative();
    row.native = Measure(options, *native, {native->primary().port()}, work_dir, log);
  }
  {
    DdbOptions ddb_options;
    ddb_options.slaves = options.slaves;
    ddb_options.mysql_endpoint = true;
    DdbSetup ddb(ddb_options);
    row.ddb = Measure(options, ddb, {ddb.client_port(), testing::kClientUser, testing::kClientPassword}, work_dir, log);
  }
  return row;
}

void WriteSysbenchReport(const SysbenchOptions& options, const SysbenchRow& row, std::ostream& out) {
  out << "\n### sysbench oltp_write_only (" << options.threads << " threads, " << options.seconds << " s, "
      << options.tables << " tables of " << options.table_size << " rows, --db-ps-mode=disable)\n\n"
      << "| setup | transactions/s | p95 latency ms | errors (retried deadlocks) | replicas equal |\n|---|---|---|---|---|\n";
  auto line = [&](const char* name, const SysbenchResult& r) {
    out << "| " << name << " | " << Fixed(r.tps, 1) << " | " << Fixed(r.p95_ms, 2) << " | " << r.errors << " | "
        << (r.replicas_equal ? "yes" : "NO") << " |\n";
  };
  line("plain MariaDB", row.plain);
  line("MariaDB + native replica", row.native);
  line("ddb endpoint + slaves", row.ddb);
  if (row.plain.tps > 0 && row.native.tps > 0) {
    out << "\nddb / plain: " << Fixed(row.ddb.tps / row.plain.tps, 2) << " x; ddb / native: "
        << Fixed(row.ddb.tps / row.native.tps, 2) << " x (transactions per second, higher is better)\n";
  }
}

}  // namespace ddb::bench
