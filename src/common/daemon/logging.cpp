#include "ddb/daemon/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace ddb {

Logging::Logging(std::vector<spdlog::sink_ptr> sinks, spdlog::level::level_enum level)
    : sinks_(std::move(sinks)), level_(level) {}

Status Logging::Open(const LoggingOptions& options, std::unique_ptr<Logging>* out) {
  std::vector<spdlog::sink_ptr> sinks;
  try {
    if (options.log_file.empty()) {
      sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    } else {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.log_file));
    }
  } catch (const spdlog::spdlog_ex& e) {
    return Status::IoError("cannot open log file '" + options.log_file + "': " + e.what());
  }
  out->reset(new Logging(std::move(sinks), spdlog::level::from_str(options.log_level)));
  return Status::Ok();
}

std::shared_ptr<spdlog::logger> Logging::For(const std::string& component) const {
  auto logger = std::make_shared<spdlog::logger>(component, sinks_.begin(), sinks_.end());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    logger->set_level(level_);
    loggers_.push_back(logger);
  }
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ [%n] %v");
  // Warnings and errors reach the file at once: they are what an operator
  // reads after a crash.
  logger->flush_on(spdlog::level::info);
  return logger;
}

void Logging::SetLevel(const std::string& level) {
  std::lock_guard<std::mutex> lock(mutex_);
  level_ = spdlog::level::from_str(level);
  for (const std::weak_ptr<spdlog::logger>& weak : loggers_) {
    if (auto logger = weak.lock()) logger->set_level(level_);
  }
}

}  // namespace ddb
