#include "sysbench.h"

#include <chrono>
#include <regex>
#include <stdexcept>
#include <vector>

#include "child_process.h"

namespace ddb::bench {
namespace {

std::string RunProgram(std::vector<std::string> argv, const std::filesystem::path& log,
                       std::chrono::seconds limit) {
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

std::vector<std::string> SysbenchArgv(const std::string& test, const SysbenchTables& tables,
                                      const SysbenchTarget& target) {
  std::vector<std::string> argv = {
      "sysbench", test, "--db-driver=mysql", "--mysql-host=127.0.0.1",
      "--mysql-port=" + std::to_string(target.port), "--mysql-user=" + target.user, "--mysql-db=sbtest",
      "--tables=" + std::to_string(tables.tables), "--table-size=" + std::to_string(tables.table_size),
      // ddb's endpoint offers no server-side prepared statements; the
      // same mode everywhere keeps the comparison fair.
      "--db-ps-mode=disable"};
  if (!target.password.empty()) argv.push_back("--mysql-password=" + target.password);
  return argv;
}

double Capture(const std::string& output, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(output, match, std::regex(pattern))) {
    throw std::runtime_error("sysbench output has no '" + pattern + "':\n" + output);
  }
  return std::stod(match[1]);
}

}  // namespace

void SysbenchPrepare(const std::string& test, const SysbenchTables& tables, const SysbenchTarget& target,
                     const std::filesystem::path& log_prefix) {
  RunProgram(
      {"mariadb", "--no-defaults", "-h", "127.0.0.1", "-P", std::to_string(target.port), "-u", target.user,
       target.password.empty() ? "--skip-password" : "-p" + target.password, "-e", "CREATE DATABASE sbtest"},
      log_prefix.string() + "-create.log", std::chrono::seconds(60));
  std::vector<std::string> argv = SysbenchArgv(test, tables, target);
  argv.push_back("prepare");
  RunProgram(std::move(argv), log_prefix.string() + "-prepare.log", std::chrono::seconds(600));
}

SysbenchResult SysbenchRun(const std::string& test, const SysbenchTables& tables, int threads, int seconds,
                           const SysbenchTarget& target, const std::filesystem::path& log) {
  std::vector<std::string> argv = SysbenchArgv(test, tables, target);
  argv.insert(argv.end(), {"--threads=" + std::to_string(threads), "--time=" + std::to_string(seconds),
                           "--report-interval=0", "run"});
  // Generous: 64 threads queued behind one commit lock can take a while to
  // finish their last transactions after --time.
  const std::string output = RunProgram(std::move(argv), log, std::chrono::seconds(seconds + 120));
  SysbenchResult result;
  result.tps = Capture(output, R"(transactions:\s+\d+\s+\(([\d.]+) per sec)");
  result.p95_ms = Capture(output, R"(95th percentile:\s+([\d.]+))");
  result.errors = static_cast<long>(Capture(output, R"(errors:\s+(\d+))"));
  return result;
}

}  // namespace ddb::bench
