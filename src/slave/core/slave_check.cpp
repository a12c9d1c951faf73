#include "slave_check.h"

#include "ddb/daemon/tls_check.h"

#include <filesystem>
#include <nlohmann/json.hpp>

namespace ddb {
namespace {

// Whether this node's own daemon runs: its /api/status answers with its name.
bool OwnDaemonAnswers(const SlaveConfig& config, std::string* detail) {
  const std::string address =
      config.http.address == "0.0.0.0" || config.http.address == "::" ? "127.0.0.1" : config.http.address;
  int status = 0;
  std::string body;
  if (!HttpGet(address, config.http.port, "/api/status", "", std::chrono::seconds(2), &status, &body).ok() ||
      status != 200) {
    return false;
  }
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || json.value("name", std::string()) != config.node_name) {
    return false;
  }
  *detail = "its /api/status answers as '" + config.node_name + "'";
  return true;
}

}  // namespace

int RunSlaveCheck(const SlaveConfig& config, const ParseResult& parsed, std::ostream& out) {
  CheckReport report;
  report.AddParse(parsed, config.config_path);
  if (parsed.read) {
    CheckMySqlAccount(config.config_path, config.mysql, MySqlRole::kSlave, &report);
    CheckWritableFile(config.config_path, "log_file", config.logging.log_file, &report);
    CheckTlsFiles(config.config_path, config.tls.files, &report);
    if (config.http.port != 0) {
      std::string detail;
      const bool own = OwnDaemonAnswers(config, &detail);
      CheckPorts(config.config_path, {{"http_port", config.http.address, config.http.port}}, own, detail,
                 &report);
    }
    if (!config.console_socket.empty()) {
      const std::filesystem::path directory = std::filesystem::path(config.console_socket).parent_path();
      if (!directory.empty() && !std::filesystem::is_directory(directory)) {
        report.Problem(config.config_path + ": key 'console_socket': directory " + directory.string() +
                       " does not exist");
      }
    }
  }
  out << report.Text("ddb-slave");
  return report.problems() == 0 ? 0 : 1;
}

}  // namespace ddb
