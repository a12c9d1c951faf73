// Runs a CLI11 app over argv plus its config file and turns CLI11's exceptions
// into problems that name the file, the key and what is wrong: every problem
// of the file, not only the first (a key that does not parse is set aside
// and the file parsed again without it).
//
// Every config key is also a command-line flag of the same name
// (`mysql_port = 3307` in the file, `--mysql_port 3307` on the command line);
// flags win over the file.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

// One thing wrong with a config: "file: key 'name': what".
struct ConfigProblem {
  std::string key;      // empty: not about one key (an unreadable file...)
  std::string message;  // the whole line, file and key included
};

// The problems of one config file, in the order found.
class ConfigProblems {
 public:
  explicit ConfigProblems(std::string file = "") : file_(std::move(file)) {}

  void set_file(std::string file) { file_ = std::move(file); }
  const std::string& file() const { return file_; }

  // "file: key 'key': what".
  void Add(const std::string& key, const std::string& what);
  // A line already written whole ("file: key 'x' is missing ...").
  void AddLine(const std::string& key, std::string message);
  bool Has(const std::string& key) const;
  bool empty() const { return problems_.empty(); }
  const std::vector<ConfigProblem>& all() const { return problems_; }
  // Ok, or InvalidArgument with every problem, one per line.
  Status ToStatus() const;

 private:
  std::string file_;
  std::vector<ConfigProblem> problems_;
};

// Adds `--config` (default `default_path`) to `app` and makes unknown keys in
// the file an error. `config_path` receives the file actually read. Not
// `required`: no file is read unless --config names one.
void AddConfigFileOption(CLI::App& app, const std::string& default_path, std::string* config_path,
                         bool required = true);

struct ParseResult {
  Status status;          // every problem, one per line
  bool read = false;      // the file and flags were read (some keys may have been set aside)
  bool exit_now = false;  // --help or --version was handled; exit 0
  std::string output;     // help text to print when exit_now
};

// The path --config names in `args` (argv without the program name), or
// `default_path`.
std::string ConfigPathIn(const std::vector<std::string>& args, const std::string& default_path);

// Parses `args` (argv without the program name) and the config file into the
// variables bound to `app`. Keys that fail to parse are reported to
// `problems` and left at their defaults; the rest of the file is still read.
// Returns false when nothing could be read (no file, --help...); `result`
// says why.
bool ParseArguments(CLI::App& app, const std::vector<std::string>& args, ConfigProblems* problems,
                    ParseResult* result);

// Each `key = value` line of an INI file: the key and its 1-based line.
std::vector<std::pair<std::string, int>> KeyLines(const std::string& path);

// "file: key 'name': message" for validation done after parsing.
Status ConfigKeyError(const std::string& config_path, const std::string& key, const std::string& what);

// Splits "a, b,c" into {"a","b","c"}; empty items are dropped.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace ddb
