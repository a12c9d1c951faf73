// The key table of a daemon's config: each key is a CLI11 option (so also a
// flag, and a line of --help) registered here with whether a running daemon
// can take a new value on reload and whether its value is a secret. The same
// table gives --print-config, the reload's table of changes and
// docs/configuration.md, so they cannot disagree with --help.
//
// A new key is one add_option call wrapped in ConfigKeys::Add.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "ddb/base/status.h"

namespace ddb {

enum class KeyChange {
  kLive,     // a reload (\reload, SIGHUP, POST /api/reload) applies it
  kRestart,  // read at start only
};

enum class KeySecrecy {
  kPlain,
  kSecret,         // never shown
  kUserPasswords,  // "user:password, ...": the users shown, the passwords not
};

struct ConfigKey {
  CLI::Option* option;  // owned by the app the key was added to
  KeyChange change;
  KeySecrecy secrecy;
  std::string name() const;  // without the leading "--"
};

// One key's effective value and where it came from.
struct KeySetting {
  std::string name;
  std::string value;     // as given (lists joined with ", "), secrets included
  std::string source;    // "default", "file:line", "flag", "environment (DDB_X)"
  std::string help;      // what it does (--help's text)
  std::string fallback;  // its default
  KeyChange change = KeyChange::kRestart;
  KeySecrecy secrecy = KeySecrecy::kPlain;
  // `value` with secrets masked: what may be printed or logged.
  std::string Shown() const;
};

using KeySettings = std::vector<KeySetting>;

class ConfigKeys {
 public:
  // Registers `option`, added to the daemon's app by the caller, as a config
  // key: it is put in the --help group of its kind, captures its default for
  // --help and the docs, and may also come from the environment as
  // DDB_<KEY> (below the file and flags).
  CLI::Option* Add(CLI::Option* option, KeyChange change, KeySecrecy secrecy = KeySecrecy::kPlain);
  CLI::Option* Live(CLI::Option* option) { return Add(option, KeyChange::kLive); }
  CLI::Option* Restart(CLI::Option* option) { return Add(option, KeyChange::kRestart); }
  CLI::Option* Secret(CLI::Option* option) { return Add(option, KeyChange::kRestart, KeySecrecy::kSecret); }

  const std::vector<ConfigKey>& all() const { return keys_; }

  // After a parse: every key's value and source. `args` is argv without the
  // program name; `config_path` the file that was read.
  KeySettings Settings(const std::vector<std::string>& args, const std::string& config_path) const;

  // The Markdown table of docs/configuration.md: key, default, live or
  // restart, what it does (the --help text).
  std::string MarkdownTable() const;

 private:
  std::vector<ConfigKey> keys_;
};

// A daemon's key table: its CLI11 app, whose options are bound to the
// fields of the daemon's config struct, and the keys among them.
class ConfigSchema {
 public:
  ConfigSchema(const std::string& description, const std::string& program) : app_(description, program) {}
  virtual ~ConfigSchema() = default;

  CLI::App& app() { return app_; }
  const ConfigKeys& keys() const { return keys_; }
  // After a parse: lists split, derived defaults filled in.
  virtual void Finish() = 0;

 protected:
  CLI::App app_;
  ConfigKeys keys_;
};

const char* KeyChangeName(KeyChange change);  // "live" | "restart"
std::string EnvironmentName(const std::string& key);

// Sets the value of `name` (a value derived after parsing, e.g. a default
// built from another key).
void OverrideSetting(KeySettings* settings, const std::string& name, const std::string& value);
const KeySetting* FindSetting(const KeySettings& settings, const std::string& name);

// --print-config: "key = value  # source", one key per line, secrets masked.
std::string PrintSettings(const KeySettings& settings);

// --init-config: writes a fully commented config with `settings`' values
// to `path` (mode 0600: it holds secrets), giving each key of
// `fresh_secrets` that has no value a new random one. Never overwrites.
Status WriteInitialConfig(const std::string& path, const std::string& title, KeySettings settings,
                          const std::vector<std::string>& fresh_secrets);

// The 1-based line of `path` where `key` is set, or 0.
int LineOfKey(const std::string& path, const std::string& key);

}  // namespace ddb
