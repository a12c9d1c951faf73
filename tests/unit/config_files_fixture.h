// The fixture of the config unit tests (config_test.cpp, tls_config_test.cpp):
// a directory of their own, config files written into it, and the daemons'
// loaders run on them as they run on argv.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "master_config.h"
#include "slave_config.h"

namespace ddb {

class ConfigFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ddb-config-files-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  ParseResult LoadMaster(const std::string& path, MasterConfig* config, std::vector<std::string> extra = {}) {
    return LoadWith(LoadMasterConfig, "ddb-master", path, config, std::move(extra));
  }
  ParseResult LoadSlave(const std::string& path, SlaveConfig* config, std::vector<std::string> extra = {}) {
    return LoadWith(LoadSlaveConfig, "ddb-slave", path, config, std::move(extra));
  }

  std::filesystem::path dir_;

 private:
  template <typename Config, typename Load>
  ParseResult LoadWith(Load load, const char* binary, const std::string& path, Config* config,
                       std::vector<std::string> extra) {
    std::vector<std::string> args = {binary, "--config", path};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    return load(static_cast<int>(argv.size()), argv.data(), config);
  }
};

}  // namespace ddb
