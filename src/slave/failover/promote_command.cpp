#include "promote_command.h"

#include "ddb/daemon/role_change.h"
#include "ddb/mysql/node_role.h"
#include "peer_health.h"
#include "slave_schema.h"

namespace ddb {
namespace {

// Why promoting this node would lose or split something `peer` knows;
// empty when nothing. `unreachable` gets peers that did not answer.
std::string Objection(const Peer& peer, uint64_t own_seq, const std::optional<EpochStart>& ours,
                      ssl::context* verify, std::vector<std::string>* unreachable) {
  const PeerHealth health = AskPeerHealth(peer, std::chrono::milliseconds(2000), verify);
  const std::string who = peer.Describe();
  if (!health.answered) {
    unreachable->push_back(who);
    return "";
  }
  if (health.master()) {
    if (ours && health.epoch.epoch > ours->epoch) {
      return who + " is the master already, in " + EpochHistory::Describe(health.epoch) +
             ": this slave should follow it (master_candidates), not replace it";
    }
    if (health.master_ok) {
      return who +
             " answers as the master and takes writes: replace a running master with a switchover, "
             "or stop it first";
    }
    return "";
  }
  if (health.applied_seq > own_seq) {
    const std::string applied = std::to_string(health.applied_seq);
    return who + " applied up to #" + applied + ", this slave only #" + std::to_string(own_seq) +
           ": promote " + peer.name + " instead (promoting this one would leave #" +
           std::to_string(own_seq + 1) + ".." + "#" + applied + " on " + peer.name + " alone)";
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
  std::shared_ptr<ssl::context> verify;
  if (Status s = MakePeerTlsContext(config.config_path, config.tls.files, &verify); !s.ok()) return s;
  std::vector<std::string> objections, unreachable;
  for (const Peer& peer : PeersOf(config)) {
    if (std::string objection = Objection(peer, applied_seq, epoch, verify.get(), &unreachable);
        !objection.empty()) {
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
