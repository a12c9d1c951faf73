// Runs a CLI11 app over argv plus its config file and turns CLI11's exceptions
// into a Status that names the file, the key and what is wrong.
//
// Every config key is also a command-line flag of the same name
// (`mysql_port = 3307` in the file, `--mysql_port 3307` on the command line);
// flags win over the file.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "ddb/base/status.h"

namespace ddb {

// Adds `--config` (default `default_path`) to `app` and makes unknown keys in
// the file an error. `config_path` receives the file actually read.
void AddConfigFileOption(CLI::App& app, const std::string& default_path, std::string* config_path);

struct ParseResult {
  Status status;
  bool exit_now = false;  // --help or --version was handled; exit 0
  std::string output;     // help text to print when exit_now
};

ParseResult ParseArguments(CLI::App& app, int argc, const char* const argv[], const std::string& config_path);

// "file: key 'name': message" for validation done after parsing.
Status ConfigKeyError(const std::string& config_path, const std::string& key, const std::string& what);

// Splits "a, b,c" into {"a","b","c"}; empty items are dropped.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace ddb
