#include "ha_configs.h"

#include <algorithm>
#include <fstream>

#include "ddb/daemon/config_check.h"
#include "file_text.h"
#include "http_client.h"
#include "wait.h"

namespace ddb::testing {
namespace {

std::string Loopback(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

// A node's TLS keys in either role, with the Cluster's CA and the
// certificate it issued the node (ClusterOptions::tls).
std::string TlsKeys(const Cluster& cluster, const std::string& node, bool master) {
  if (!cluster.options().tls) return "";
  const std::filesystem::path tls = cluster.dir() / "tls";
  std::string keys = "tls_ca_file = \"" + cluster.ca_file().string() + "\"\n";
  if (master || cluster.options().tls_client_certs) {
    keys += "tls_cert_file = \"" + (tls / (node + ".pem")).string() + "\"\ntls_key_file = \"" +
            (tls / (node + ".key")).string() + "\"\n";
  }
  if (master) {
    keys += std::string("tls_require_client_cert = ") +
            (cluster.options().tls_client_certs ? "true" : "false") + "\n";
  }
  return keys;
}

void Append(const std::filesystem::path& file, const std::string& lines) {
  std::ofstream out(file, std::ios::app);
  out << lines;
}

}  // namespace

HaConfigs::HaConfigs(Cluster& cluster, HaOptions options) : cluster_(cluster) {
  const std::filesystem::path& dir = cluster.dir();
  HaNode master;
  master.name = "master";
  master.http_port = cluster.master_http_port();
  master.replication_port = cluster.replication_port();
  master.client_port = cluster.client_port();
  master.master_config = cluster.master_config();
  master.slave_config = dir / "master-as-slave.ini";
  master.master_log = dir / "master.log";
  master.slave_log = dir / "master-as-slave.log";
  nodes_.push_back(master);
  for (int i = 0; i < cluster.slave_count(); ++i) {
    HaNode slave;
    slave.name = "slave" + std::to_string(i + 1);
    slave.http_port = cluster.slave_http_port(i);
    slave.replication_port = FreeLoopbackPort();
    if (cluster.options().mysql_endpoint) slave.client_port = FreeLoopbackPort();
    slave.master_config = dir / (slave.name + "-as-master.ini");
    slave.slave_config = cluster.slave_config(i);
    slave.master_log = dir / (slave.name + "-as-master.log");
    slave.slave_log = dir / (slave.name + ".log");
    nodes_.push_back(slave);
  }
  for (int n = 0; n < node_count(); ++n) {
    WriteMasterConfig(n, options);
    WriteSlaveConfig(n, options);
  }
}

void HaConfigs::WriteMasterConfig(int n, const HaOptions& options) const {
  const HaNode& self = nodes_[n];
  std::string others, http, mysql;
  for (int k = 0; k < node_count(); ++k) {
    if (k == n) continue;
    const std::string separator = others.empty() ? "" : ", ";
    others += separator + nodes_[k].name;
    http += separator + nodes_[k].name + "=" + Loopback(nodes_[k].http_port);
    mysql += separator + nodes_[k].name + "=" + Loopback(db(k).port());
  }
  const std::string failover = "slave_config = \"" + self.slave_config.string() + "\"\n" +
                               "sync_slaves = " + std::to_string(options.sync_slaves) + "\n" +
                               options.master_extra;
  if (n == 0) {
    // The Cluster's master.ini names the slaves and their addresses already.
    Append(self.master_config, failover);
    return;
  }
  const ClusterOptions& cluster = cluster_.options();
  std::ofstream out(self.master_config);
  out << "node_name = " << self.name << "\ncluster_secret = \"" << cluster.secret << "\"\n"
      << "replication_port = " << self.replication_port << "\n"
      << "mysql_port = " << db(n).port() << "\n"
      << "heartbeat_interval_ms = " << cluster.heartbeat_interval_ms << "\n"
      << "heartbeat_timeout_ms = " << cluster.heartbeat_timeout_ms << "\n"
      << "http_port = " << self.http_port << "\nhttp_token = \"" << cluster.http_token << "\"\n"
      << "log_file = \"" << self.master_log.string() << "\"\n"
      << "slaves = " << others << "\nslave_http_addresses = " << http << "\n"
      << "slave_mysql_addresses = " << mysql << "\n"
      << TlsKeys(cluster_, self.name, true) << failover;
  if (self.client_port != 0) {
    out << "client_port = " << self.client_port << "\n"
        << "client_users = \"" << kClientUser << ":" << kClientPassword << "\"\n";
  }
}

void HaConfigs::WriteSlaveConfig(int n, const HaOptions& options) const {
  const HaNode& self = nodes_[n];
  std::string candidates, seeds, first_other;
  for (int k = 0; k < node_count(); ++k) {
    if (k == n) continue;
    candidates += (candidates.empty() ? "" : ", ") + Loopback(nodes_[k].replication_port);
    // --promote asks master_http_address and seed_sources: between them,
    // every other node.
    if (first_other.empty()) {
      first_other = Loopback(nodes_[k].http_port);
    } else {
      seeds += (seeds.empty() ? "" : ", ") + nodes_[k].name + "=" + Loopback(nodes_[k].http_port);
    }
  }
  std::string failover = "master_candidates = " + candidates + "\nmaster_config = \"" +
                         self.master_config.string() + "\"\nmaster_http_address = " + first_other + "\n" +
                         (seeds.empty() ? "" : "seed_sources = " + seeds + "\n") + options.slave_extra;
  if (self.client_port != 0) {
    // As a slave, the node's endpoint port names the master.
    std::string endpoints;
    for (const HaNode& node : nodes_)
      endpoints += (endpoints.empty() ? "" : ", ") + node.name + "=" + Loopback(node.client_port);
    failover +=
        "client_port = " + std::to_string(self.client_port) + "\nnode_client_addresses = " + endpoints + "\n";
  }
  if (n != 0) {
    Append(self.slave_config, failover);
    return;
  }
  const ClusterOptions& cluster = cluster_.options();
  std::ofstream out(self.slave_config);
  out << "node_name = " << self.name << "\ncluster_secret = \"" << cluster.secret << "\"\n"
      << "master_port = " << nodes_[1 % node_count()].replication_port << "\n"
      << "mysql_port = " << db(n).port() << "\n"
      << "heartbeat_interval_ms = " << cluster.heartbeat_interval_ms << "\n"
      << "heartbeat_timeout_ms = " << cluster.heartbeat_timeout_ms << "\n"
      << "reconnect_min_ms = 50\nreconnect_max_ms = 500\n"
      << "http_port = " << self.http_port << "\n"
      << "max_lag_seconds = " << cluster.slave_max_lag_seconds << "\n"
      << "log_file = \"" << self.slave_log.string() << "\"\n"
      << "console_socket = \"" << (cluster_.dir() / "master.sock").string() << "\"\n"
      << TlsKeys(cluster_, self.name, false) << failover;
}

int HaConfigs::CurrentMaster() const {
  int found = -1;
  for (int n = 0; n < node_count(); ++n) {
    // ddb's own client: it speaks HTTPS to a TLS cluster's nodes too.
    int status = 0;
    std::string body;
    if (!ddb::HttpGet("127.0.0.1", nodes_[n].http_port, "/health?role=master", "", std::chrono::seconds(5),
                      &status, &body)
             .ok() ||
        status != 200) {
      continue;
    }
    if (found != -1) return -1;  // two at once: not settled
    found = n;
  }
  return found;
}

bool HaConfigs::WaitForMaster(int n, std::chrono::milliseconds deadline) const {
  return WaitFor([&] { return CurrentMaster() == n; }, deadline);
}

std::optional<std::chrono::milliseconds> HaConfigs::SwitchOverThroughApi(int from, int to,
                                                                         std::chrono::milliseconds deadline,
                                                                         std::string* why) const {
  const auto started = std::chrono::steady_clock::now();
  const HttpReply asked = HttpPost(nodes_[from].http_port, "/api/switchover",
                                   "{\"to\": \"" + nodes_[to].name + "\"}", cluster_.options().http_token);
  if (asked.status != 202) {
    *why = "POST /api/switchover answered " + std::to_string(asked.status) + ": " + asked.body;
    return std::nullopt;
  }
  if (!WaitForMaster(to, deadline)) {
    *why = nodes_[to].name + " did not become the master\n" + Logs();
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
}

bool HaConfigs::WaitForTableEqualEverywhere(const std::string& db_name, const std::string& table,
                                            std::chrono::milliseconds deadline) const {
  return WaitFor(
      [&] {
        const std::string expected = db(0).TableChecksum(db_name, table);
        for (int n = 1; n < node_count(); ++n) {
          if (db(n).TableChecksum(db_name, table) != expected) return false;
        }
        return true;
      },
      deadline);
}

size_t HaConfigs::CountMissing(int n, const std::string& db_name, const std::string& table,
                               const std::vector<int64_t>& ids) const {
  size_t missing = 0;
  for (size_t from = 0; from < ids.size(); from += 1000) {  // a thousand per query
    const size_t to = std::min(ids.size(), from + 1000);
    std::string list;
    for (size_t i = from; i < to; ++i) list += (i == from ? "" : ",") + std::to_string(ids[i]);
    const std::string found =
        db(n).QueryValue("SELECT COUNT(*) FROM `" + db_name + "`.`" + table + "` WHERE id IN (" + list + ")");
    missing += (to - from) - std::stoull(found);
  }
  return missing;
}

std::string HaConfigs::Logs() const {
  std::string logs;
  for (const HaNode& node : nodes_) {
    for (const std::filesystem::path& log : {node.master_log, node.slave_log}) {
      if (!std::filesystem::exists(log)) continue;
      const std::string text = ReadFile(log);
      const size_t kTail = 6000;  // the end says what went wrong
      logs += "--- " + log.string() + "\n" + (text.size() > kTail ? text.substr(text.size() - kTail) : text);
    }
  }
  return logs;
}

}  // namespace ddb::testing
