// Logging: one set of sinks per daemon (a file, or standard error) and a named
// spdlog logger per component ("master.log", "master.link", ...).
#pragma once

#include <memory>
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

 private:
  Logging(std::vector<spdlog::sink_ptr> sinks, spdlog::level::level_enum level);

  std::vector<spdlog::sink_ptr> sinks_;
  spdlog::level::level_enum level_;
};

}  // namespace ddb
