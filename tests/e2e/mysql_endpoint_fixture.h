// The fixture of the MySQL endpoint's e2e tests (mysql_endpoint_test.cpp,
// mysql_endpoint_hostile_test.cpp): a master with its endpoint and two slaves,
// and real client programs run against it.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "child_process.h"
#include "cluster.h"

namespace ddb::testing {

// Debian's interpreter, where python3-pymysql is installed (not whatever
// python3 comes first on PATH).
constexpr const char* kPython = "/usr/bin/python3";

struct ProgramRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

class MySqlEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override { StartCluster({}); }

  // `tls`: the cluster's private CA signs every node's certificate
  // (Cluster::ca_file()), and the master's endpoint offers TLS.
  void StartCluster(std::vector<std::string> master_args, bool tls = false) {
    ClusterOptions options;
    options.mysql_endpoint = true;
    options.tls = tls;
    cluster_ = std::make_unique<Cluster>(options);
    cluster_->StartMaster(std::move(master_args));
    cluster_->StartSlave(0);
    cluster_->StartSlave(1);
  }

  // Runs a program to its end (killed after `limit`).
  ProgramRun Run(std::vector<std::string> argv, std::chrono::seconds limit = std::chrono::seconds(60)) {
    const auto log = cluster_->dir() / ("program-" + std::to_string(++runs_) + ".log");
    ChildProcess child(std::move(argv), log);
    ProgramRun run;
    if (!child.WaitForExit(limit, &run.exit_code)) {
      child.Terminate(std::chrono::seconds(5));
      run.exit_code = -1;
    }
    run.output = child.ReadLog();
    return run;
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const auto path = cluster_->dir() / name;
    std::ofstream(path) << text;
    return path.string();
  }

  // `mariadb` against a port, reading `sql` from a file as `mariadb < file.sql` does.
  ProgramRun Mariadb(uint16_t port, const std::string& user, const std::string& password,
                     const std::string& sql, const std::string& flags = "") {
    const std::string file = WriteFile("input-" + std::to_string(runs_ + 1) + ".sql", sql);
    return Run({"/bin/sh", "-c",
                "exec mariadb --no-defaults --batch " + flags + " -h 127.0.0.1 -P " + std::to_string(port) +
                    " -u " + user + (password.empty() ? "" : " -p" + password) + " < '" + file + "'"});
  }
  ProgramRun Endpoint(const std::string& sql) {
    return Mariadb(cluster_->client_port(), kClientUser, kClientPassword, sql);
  }

  void ExpectSlavesEqual(const std::string& db, const std::vector<std::string>& tables) {
    ASSERT_TRUE(cluster_->WaitForSlavesCaughtUp(std::chrono::seconds(60)))
        << "master at #" << cluster_->MasterLastSeq() << ", slaves at #" << cluster_->SlaveSeq(0) << " and #"
        << cluster_->SlaveSeq(1);
    for (const std::string& table : tables) cluster_->ExpectTableEqualEverywhere(db, table);
  }

  std::unique_ptr<Cluster> cluster_;
  int runs_ = 0;
};

// The first line of `output` that starts with "ERROR".
inline std::string ErrorLine(const std::string& output) {
  std::smatch match;
  if (std::regex_search(output, match, std::regex("ERROR[^\n]*"))) return match.str();
  return "";
}

}  // namespace ddb::testing
