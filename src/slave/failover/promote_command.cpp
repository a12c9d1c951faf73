#include "promote_command.h"

#include <nlohmann/json.hpp>

#include "ddb/daemon/config_check.h"
#include "ddb/daemon/config_parser.h"
#include "ddb/daemon/role_change.h"
#include "ddb/mysql/node_role.h"
#include "slave_schema.h"
#include "snapshot_fetch.h"

namespace ddb {
namespace {

struct Peer {
  std::string name;
  std::string address;  // host:port of its HTTP
};

std::vector<Peer> PeersOf(const SlaveConfig& config) {
  std::vector<Peer> peers{{"master", config.master_http_address}};
  for (const std::string& list : config.seed_sources) {
    for (const std::string& item : SplitList(list)) {
      const size_t equals = item.find('=');
      if (equals != std::string::npos) peers.push_back({item.substr(0, equals), item.substr(equals + 1)});
    }
  }
  return peers;
}

// Why promoting this node would lose or split something `peer` knows;
// empty when nothing. `unreachable` gets peers that did not answer.
std::string Objection(const Peer& peer, uint64_t own_seq, const std::optional<EpochStart>& ours,
                      std::vector<std::string>* unreachable) {
  HttpAddress address;
  int status = 0;
  std::string body;
  // ParseHttpAddress, not a hand split: a port that is not a number is "no answer", never an exception.
  if (!ParseHttpAddress(peer.address, &address).ok() ||
      !HttpGet(address.host, address.port, "/health", "", std::chrono::milliseconds(2000), &status, &body)
           .ok() ||
      status == 0) {
    unreachable->push_back(peer.name + " (" + peer.address + ")");
    return "";
  }
  const nlohmann::json health = nlohmann::json::parse(body, nullptr, false);
  if (!health.is_object()) return "";
  const EpochStart theirs = EpochFromJson(health.value("epoch", nlohmann::json::object()));
  const std::string who = peer.name + " (" + peer.address + ")";
  if (health.value("role", "") == "master") {
    if (ours && theirs.epoch > ours->epoch) {
      return who + " is the master already, in " + EpochHistory::Describe(theirs) +
             ": this slave should follow it (master_candidates), not replace it";
    }
    if (status == 200 && health.value("status", "") == "ok") {
      return who +
             " answers as the master and takes writes: replace a running master with a switchover, "
             "or stop it first";
    }
    return "";
  }
  const uint64_t applied = health.value("applied_seq", uint64_t{0});
  if (applied > own_seq) {
    return who + " applied up to #" + std::to_string(applied) + ", this slave only #" +
           std::to_string(own_seq) + ": promote " + peer.name + " instead (promoting this one would leave #" +
           std::to_string(own_seq + 1) + ".." + "#" + std::to_string(applied) + " on " + peer.name +
           " alone)";
  }
  return "";
}

Status RequireMasterConfig(const SlaveConfig& config) {
  if (!config.master_config.empty()) return Status::Ok();
  return Status::InvalidArgument(config.config_path +
                                 ": key 'master_config' is missing (the ddb-master config this node runs as "
                                 "the master; promoting needs it)");
}

}  // namespace

Status RunPromote(const SlaveConfig& config, std::ostream& out) {
  if (Status s = RequireMasterConfig(config); !s.ok()) return s;
  std::unique_ptr<MySqlConnection> connection;
  if (Status s = MySqlConnection::Open(config.mysql, &connection); !s.ok()) {
    return Status::Unavailable("cannot connect to this slave's MySQL at " + config.mysql.Describe() + ": " +
                               s.ToString());
  }
  NodeRole role = NodeRole::kUnused;
  if (Status s = LoadNodeRole(*connection, &role); !s.ok()) return s;
  if (role != NodeRole::kSlave) {
    return Status::Refused("--promote: " + config.mysql.Describe() + " holds no slave's position (it is " +
                           (role == NodeRole::kMaster ? "a master's already" : "unused by ddb") + ")");
  }
  if (Status s = RequireLockFree(*connection, "ddb_meta.applier",
                                 "this slave's daemon is running (use \\promote at its console, or stop it)",
                                 std::chrono::milliseconds(0));
      !s.ok()) {
    return s;
  }
  StoredPosition position;
  if (Status s = LoadPosition(*connection, &position); !s.ok()) return s;
  connection.reset();

  if (Status s = CheckPeersForPromotion(config, position.seq, position.epochs.Current(), config.force, out);
      !s.ok()) {
    return s;
  }
  return BecomeMaster(config);
}

Status CheckPeersForPromotion(const SlaveConfig& config, uint64_t applied_seq,
                              const std::optional<EpochStart>& epoch, bool force, std::ostream& out) {
  if (Status s = RequireMasterConfig(config); !s.ok()) return s;
  std::vector<std::string> objections, unreachable;
  for (const Peer& peer : PeersOf(config)) {
    if (std::string objection = Objection(peer, applied_seq, epoch, &unreachable); !objection.empty()) {
      objections.push_back(std::move(objection));
    }
  }
  for (const std::string& objection : objections)
    out << (force ? "ignored (--force): " : "") << objection << "\n";
  if (!objections.empty() && !force) {
    return Status::Refused("not promoted: " + objections.front() +
                           (objections.size() > 1 ? " (and more above)" : ""));
  }
  for (const std::string& peer : unreachable) out << "no answer from " << peer << "\n";
  out << config.node_name << ": promoting at #" << applied_seq << " (running ddb-master --config "
      << config.master_config << " --promote)" << std::endl;
  return Status::Ok();
}

Status BecomeMaster(const SlaveConfig& config) {
  return ExecSiblingDaemon("ddb-master", {"--config", config.master_config, "--promote"});
}

}  // namespace ddb
