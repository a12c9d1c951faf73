#include "master_check.h"

#include "ddb/daemon/tls_check.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace ddb {
namespace {

// Where to reach a listener bound to `address` from this host.
std::string DialAddress(const std::string& address) {
  return address == "0.0.0.0" || address == "::" ? "127.0.0.1" : address;
}

// Whether this node's own daemon runs: its /health (which needs no token,
// so none is sent to whoever holds the port) answers with its name.
bool OwnDaemonAnswers(const MasterConfig& config, std::string* detail) {
  if (config.http.port == 0) {
    *detail = "no HTTP listener to ask (http_port 0)";
    return false;
  }
  int status = 0;
  std::string body;
  if (!HttpGet(DialAddress(config.http.address), config.http.port, "/health", "", std::chrono::seconds(2),
               &status, &body)
           .ok() ||
      (status != 200 && status != 503)) {
    return false;
  }
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object() || json.value("name", std::string()) != config.node_name) {
    return false;
  }
  *detail = "its /health answers as '" + config.node_name + "'";
  return true;
}

std::map<std::string, std::string> ReadItems(const std::string& file, std::string* error) {
  std::map<std::string, std::string> items;
  try {
    for (const CLI::ConfigItem& item : CLI::ConfigTOML().from_file(file)) {
      std::string value;
      for (const std::string& input : item.inputs) value += (value.empty() ? "" : ",") + input;
      items[item.name] = value;
    }
  } catch (const CLI::Error& e) {
    *error = e.what();
  }
  return items;
}

}  // namespace

void CheckSlaveFiles(const MasterConfig& config, const std::vector<std::string>& files, CheckReport* report) {
  const std::set<std::string> listed(config.slaves.begin(), config.slaves.end());
  std::set<std::string> named;
  for (const std::string& file : files) {
    std::string error;
    std::map<std::string, std::string> items = ReadItems(file, &error);
    if (!error.empty()) {
      report->Problem(file + ": cannot read config file (" + error + ")");
      continue;
    }
    const std::string name = items["node_name"];
    const size_t before = static_cast<size_t>(report->problems());
    if (name.empty()) {
      report->Problem(file + ": key 'node_name' is missing (the name the master knows this slave by)");
    } else if (!listed.count(name)) {
      std::string list;
      for (const std::string& slave : config.slaves) list += (list.empty() ? "" : ", ") + slave;
      report->Problem(file + ": key 'node_name': '" + name + "' is not in the master's 'slaves' (" +
                      config.config_path + ": " + (list.empty() ? "none" : list) + ")");
    } else if (!named.insert(name).second) {
      report->Problem(file + ": key 'node_name': '" + name +
                      "' is also the name of another slave file given");
    }
    if (items["cluster_secret"] != config.cluster_secret) {
      report->Problem(file + ": key 'cluster_secret' differs from the master's (" + config.config_path +
                      "): the slave could not authenticate");
    }
    const std::string port = items.count("master_port") ? items["master_port"] : "4407";
    if (port != std::to_string(config.replication_port)) {
      report->Problem(file + ": key 'master_port': " + port + " is not the master's replication_port (" +
                      std::to_string(config.replication_port) + ")");
    }
    if (static_cast<size_t>(report->problems()) == before) {
      report->Ok(file + ": slave '" + name + "' is in the master's list, same secret, dials port " + port);
    }
  }
  if (files.empty()) return;
  for (const std::string& slave : config.slaves) {
    if (!named.count(slave)) report->Ok("slave '" + slave + "': no config file given, not checked");
  }
}

int RunMasterCheck(const MasterConfig& config, const ParseResult& parsed, std::ostream& out) {
  CheckReport report;
  report.AddParse(parsed, config.config_path);
  if (parsed.read) {
    CheckMySqlAccount(config.config_path, config.mysql, MySqlRole::kMaster, &report);
    CheckWritableFile(config.config_path, "log_file", config.logging.log_file, &report);
    CheckTlsFiles(config.config_path, config.tls.files, &report);
    std::vector<NodePort> ports = {{"replication_port", config.replication_address, config.replication_port}};
    if (config.http.port != 0) ports.push_back({"http_port", config.http.address, config.http.port});
    if (config.client_port != 0) ports.push_back({"client_port", config.client_address, config.client_port});
    std::string detail;
    const bool own = OwnDaemonAnswers(config, &detail);
    CheckPorts(config.config_path, ports, own, detail, &report);
    CheckSlaveFiles(config, config.commands.peer_files, &report);
  }
  out << report.Text("ddb-master");
  return report.problems() == 0 ? 0 : 1;
}

}  // namespace ddb
