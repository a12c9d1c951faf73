#include "master_reload.h"

namespace ddb {

KeyApplied ApplyMasterKey(const std::string& key, const MasterConfig& fresh, MasterLiveParts& parts) {
  if (key == "slaves") return {true, parts.registry.SetNames(fresh.slaves)};
  if (key == "sync_slaves") {
    if (Status s = parts.sync.SetRequired(fresh.sync_slaves); !s.ok()) return {false, s.message()};
    return {true, ""};
  }
  if (key == "sync_timeout_ms") {
    parts.sync.SetTimeout(std::chrono::milliseconds(fresh.sync_timeout_ms));
    return {true, ""};
  }
  if (key == "max_lag_seconds" || key == "read_your_writes_wait_ms") {
    parts.router.SetLimits(fresh.max_lag_seconds, std::chrono::milliseconds(fresh.read_your_writes_wait_ms));
    return {true, ""};
  }
  if (key == "read_from") {
    parts.router.set_from_slaves(fresh.read_from == "slaves");
    return {true, ""};
  }
  if (key == "log_level") {
    parts.logging.SetLevel(fresh.logging.log_level);
    return {true, ""};
  }
  if (key == "log_retention_seconds" || key == "purge_interval_ms") {
    parts.purger.SetOptions({fresh.log_retention_seconds, fresh.purge_interval_ms});
    return {true, ""};
  }
  if (key == "verify_interval_seconds" || key == "verify_busy_percent") {
    parts.verify.SetPacing({fresh.verify_interval_seconds, fresh.verify_busy_percent});
    return {true, ""};
  }
  if (key == "slave_mysql_addresses" || key == "slave_http_addresses" || key == "haproxy_bind") {
    return {true, "read by --haproxy-config only"};
  }
  return {false, "no way to apply it live (a key marked live without an applier: a bug)"};
}

std::unique_ptr<ConfigReloader> MakeMasterReloader(int argc, const char* const argv[],
                                                   const MasterConfig& started, MasterLiveParts parts,
                                                   std::shared_ptr<spdlog::logger> logger) {
  // The fresh config lives between the load and the applies, which the
  // reloader runs under its own lock.
  auto fresh = std::make_shared<MasterConfig>();
  std::vector<std::string> args(argv, argv + argc);
  return std::make_unique<ConfigReloader>(
      started.settings,
      [fresh, args](KeySettings* settings) {
        std::vector<const char*> argv;
        for (const std::string& arg : args) argv.push_back(arg.c_str());
        *fresh = MasterConfig();
        const ParseResult parsed = LoadMasterConfig(static_cast<int>(argv.size()), argv.data(), fresh.get());
        if (!parsed.status.ok()) return parsed.status;
        *settings = fresh->settings;
        return Status::Ok();
      },
      [fresh, parts](const std::string& key) mutable { return ApplyMasterKey(key, *fresh, parts); },
      std::move(logger));
}

}  // namespace ddb
