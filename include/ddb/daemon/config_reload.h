// Reloading a running daemon's config (\reload, SIGHUP, POST /api/reload):
// the file is read afresh; a file with any problem changes nothing; else
// every changed key that can change live is applied, and every other
// changed key is reported as needing a restart (its old value stays in
// force, and stays reported, until then).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ddb/base/status.h"
#include "ddb/daemon/config_keys.h"

namespace spdlog {
class logger;
}

namespace ddb {

struct ReloadChange {
  std::string key;
  std::string old_value;  // secrets masked
  std::string new_value;  // secrets masked
  KeyChange change = KeyChange::kRestart;
  bool applied = false;  // false: needs a restart, or applying failed (see note)
  std::string note;      // what applying did, or why it did not
};

struct ReloadOutcome {
  bool ok = false;    // the file was read and valid
  std::string error;  // why nothing changed
  std::vector<ReloadChange> changes;
  int64_t at_micros = 0;  // 0: never reloaded
};

// What applying one live key did: `note` says what, or why it failed.
struct KeyApplied {
  bool ok = true;
  std::string note;
};

// The console's and the log's text: a table of the changes, or why nothing
// changed ("reload failed, nothing changed: ...").
std::string ReloadText(const ReloadOutcome& outcome);

class ConfigReloader {
 public:
  // Parses the config afresh into the daemon's own struct; its settings, or
  // the problems.
  using Load = std::function<Status(KeySettings* fresh)>;
  // Applies the freshly loaded value of live key `key` to the running parts.
  using Apply = std::function<KeyApplied(const std::string& key)>;

  // `current`: the settings the daemon started with.
  ConfigReloader(KeySettings current, Load load, Apply apply, std::shared_ptr<spdlog::logger> logger);

  // Thread-safe: one reload at a time (console, signal and HTTP threads).
  ReloadOutcome Reload();
  ReloadOutcome Last() const;
  // The settings in force: a key that needs a restart keeps its old value.
  KeySettings Current() const;

 private:
  const Load load_;
  const Apply apply_;
  std::shared_ptr<spdlog::logger> logger_;
  mutable std::mutex mutex_;
  KeySettings current_;  // guarded by mutex_
  ReloadOutcome last_;   // guarded by mutex_
};

}  // namespace ddb
