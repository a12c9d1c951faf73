// Logging: one set of sinks per daemon (a file, or standard error) and a named
// spdlog logger per component ("master.log", "master.link", ...).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "ddb/base/status.h"
#include "ddb/daemon/common_options.h"

namespace ddb {

class Logging {
 public:
  // Opens the log file if one is configured; an unwritable path is an error
  // naming the file.
  static Status Open(const LoggingOptions& options, std::unique_ptr<Logging>* out);

  std::shared_ptr<spdlog::logger> For(const std::string& component) const;

  // log_level on reload: every component's logger, and those made later.
  // Thread-safe (spdlog's level is atomic).
  void SetLevel(const std::string& level);

 private:
  Logging(std::vector<spdlog::sink_ptr> sinks, spdlog::level::level_enum level);

  std::vector<spdlog::sink_ptr> sinks_;
  mutable std::mutex mutex_;
  spdlog::level::level_enum level_;                             // guarded by mutex_
  mutable std::vector<std::weak_ptr<spdlog::logger>> loggers_;  // guarded by mutex_
};

}  // namespace ddb
